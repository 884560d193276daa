/**
 * Size budgets: the tracker (at most 3 KiB gzip), the Worker bundle (3 MiB
 * gzip on Cloudflare's free plan) and all JavaScript the chat page loads (at
 * most 100 KiB gzip), measured from what a browser really fetches. Baseline
 * in the same run: react + react-dom alone, bundled the same way.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { OFFLINE_ENV } from "../scripts/dev-server";

const KiB = 1024;
const gz = (text: string | Uint8Array) => gzipSync(text, { level: 9 }).length;

async function bundle(entry: string, contents?: string): Promise<string> {
  const result = await build({
    ...(contents
      ? { stdin: { contents, resolveDir: process.cwd(), loader: "ts" } }
      : { entryPoints: [entry] }),
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return result.outputFiles[0]?.text ?? "";
}

export async function measureSizes(baseUrl: string) {
  const tracker = gz(await bundle("web/tracker/tracker.ts"));
  const react = gz(await bundle("", 'import "react"; import "react-dom/client";'));

  const html = await (await fetch(`${baseUrl}/`)).text();
  const scripts = new Set<string>();
  for (const m of html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g))
    if (m[1]) scripts.add(m[1]);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)|from\s*"([^"]+\.js)"/g)) {
    const path = m[1] ?? m[2];
    if (path) scripts.add(path);
  }
  let pageJs = 0;
  for (const path of scripts)
    pageJs += gz(new Uint8Array(await (await fetch(new URL(path, baseUrl))).arrayBuffer()));
  const inline = [...html.matchAll(/<script(?![^>]*src)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] ?? "")
    .join("");
  pageJs += gz(inline);

  // The Worker as `wrangler deploy` would upload it (Cloudflare's free plan takes 3 MiB gzip).
  const out = mkdtempSync(join(tmpdir(), "lsp-dry-"));
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], {
    env: { ...process.env, ...OFFLINE_ENV },
    stdio: "ignore",
  });
  const worker = gz(readFileSync(join(out, "worker.js")));
  rmSync(out, { recursive: true, force: true });

  return [
    { figure: "tracker, minified + gzip", bytes: tracker, budget: 3 * KiB, baseline: null },
    {
      figure: "Worker bundle (wrangler dry run), gzip",
      bytes: worker,
      budget: 3 * KiB * KiB,
      baseline: null,
    },
    {
      figure: `chat page JS (${scripts.size} files + inline), gzip`,
      bytes: pageJs,
      budget: 100 * KiB,
      baseline: react,
    },
  ];
}

export function printSizes(rows: Awaited<ReturnType<typeof measureSizes>>): void {
  for (const row of rows) {
    const ratio = `${((row.bytes / row.budget) * 100).toFixed(0)}% of budget (${(row.budget / KiB).toFixed(0)} KiB)`;
    const base = row.baseline
      ? `; react + react-dom alone: ${(row.baseline / KiB).toFixed(1)} KiB (x${(row.bytes / row.baseline).toFixed(2)})`
      : "";
    console.log(
      `  ${row.figure.padEnd(40)} ${(row.bytes / KiB).toFixed(2).padStart(7)} KiB  ${ratio}${base}`,
    );
  }
}
