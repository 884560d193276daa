/**
 * `npx tsx bench/plots.ts`: what a plot costs, for docs/decisions/016-plots.md.
 * For the position curve (three conditions, ten ranks) it prints, against
 * the same run's baseline (its table alone, rendered the same way):
 * - ms per render with react-dom/server, in Node and in workerd (Miniflare,
 *   timed from outside: a Worker's clock stands still while it computes);
 * - the gzip size of a Worker bundling each (react-dom/server included).
 * Options: the hand-written SVG (web/research/position-curve.tsx, chosen)
 * and, when installed (`npm install --no-save @observablehq/plot linkedom`),
 * Observable Plot on linkedom (bench/plots/observable.tsx).
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import type { ReactNode } from "react";
import { SAMPLE_CONDITIONS } from "../tests/support/measures-sample";
import type { PositionCurveProps } from "../web/research/position-curve";

// React's production build, as the Worker has it (imports are hoisted: these come after the line).
process.env.NODE_ENV = "production";
const { createElement } = await import("react");
const { renderToString } = await import("react-dom/server");
const { PositionCurve, PositionCurveTable } = await import("../web/research/position-curve");
const { load } = await import("./plots/observable");

const props: PositionCurveProps = {
  id: "bench",
  caption: "Click-through by displayed rank, over sources shown",
  rank: "displayed",
  over: "shown",
  series: SAMPLE_CONDITIONS.map((c) => ({ name: c.condition, ranks: c.clickThrough.byDisplayedRank })),
};

const observable = await load();
type Option = { name: string; module: string; render: (p: PositionCurveProps) => ReactNode };
const options: Option[] = [
  { name: "table alone (baseline)", module: "table", render: PositionCurveTable },
  { name: "hand-written SVG + table", module: "react", render: PositionCurve },
  ...(observable
    ? [{ name: "Observable Plot + linkedom + table", module: "observable", render: observable }]
    : []),
];
if (!observable)
  console.log(
    "Observable Plot not installed: `npm install --no-save @observablehq/plot linkedom` to compare it.\n",
  );

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ROUNDS = 15;

/**
 * Each round times every option in turn (`time(option)` gives ms per
 * render), so a busy moment of the machine weighs on all of them; per
 * option: the median ms and the median of its per-round ratios to the
 * baseline (the first option).
 */
async function interleaved(time: (i: number) => Promise<number>): Promise<{ ms: number; ratio: number }[]> {
  const ms: number[][] = options.map(() => []);
  for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < options.length; i++) ms[i]?.push(await time(i));
  return ms.map((xs) => ({
    ms: median(xs),
    ratio: median(xs.map((x, r) => x / (ms[0]?.[r] ?? Number.NaN))),
  }));
}

const PER_ROUND = 40;
async function nodeMs(i: number): Promise<number> {
  const element = () => createElement((options[i] as Option).render, props);
  const start = performance.now();
  for (let k = 0; k < PER_ROUND; k++) renderToString(element());
  return (performance.now() - start) / PER_ROUND;
}

/** A Worker that renders the option `?n=` times per request. */
async function workerScript(option: Option): Promise<string> {
  const imports =
    option.module === "observable"
      ? `import * as Plot from "@observablehq/plot"; import * as linkedom from "linkedom";
         import { observableCurve } from "./bench/plots/observable"; const Render = observableCurve(Plot, linkedom);`
      : option.module === "react"
        ? `import { PositionCurve as Render } from "./web/research/position-curve";`
        : `import { PositionCurveTable as Render } from "./web/research/position-curve";`;
  const contents = `${imports}
    import { createElement } from "react"; import { renderToString } from "react-dom/server";
    const props = ${JSON.stringify(props)};
    export default { fetch(request) {
      const n = Number(new URL(request.url).searchParams.get("n") ?? 1);
      let html = "";
      for (let i = 0; i < n; i++) html = renderToString(createElement(Render, props));
      return new Response(html);
    } };`;
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: "tsx" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

const PER_REQUEST = 100;

/** A Miniflare (workerd) running the script, checked to answer with the figure's table. */
async function startWorker(script: string): Promise<{ mf: Miniflare; bytes: number }> {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    compatibilityFlags: ["nodejs_compat"],
  });
  const first = await mf.dispatchFetch("http://bench/?n=1");
  const html = await first.text();
  if (!first.ok || !html.includes("<table"))
    throw new Error(`the Worker answered ${first.status}: ${html.slice(0, 200)}`);
  await (await mf.dispatchFetch(`http://bench/?n=${PER_REQUEST}`)).text();
  return { mf, bytes: html.length };
}

const KiB = 1024;
const scripts = await Promise.all(options.map(workerScript));
const gzip = scripts.map((script) => gzipSync(script, { level: 9 }).length);
const workers: { mf: Miniflare; bytes: number }[] = [];
for (const script of scripts) workers.push(await startWorker(script));
try {
  for (let i = 0; i < options.length; i++) await nodeMs(i); // warm-up
  const node = await interleaved(nodeMs);
  const workerd = await interleaved(async (i) => {
    const start = performance.now();
    await (await (workers[i] as { mf: Miniflare }).mf.dispatchFetch(`http://bench/?n=${PER_REQUEST}`)).text();
    return (performance.now() - start) / PER_REQUEST;
  });
  const rows = options.map((option, i) => [
    option.name,
    `${node[i]?.ms.toFixed(3)} ms (${node[i]?.ratio.toFixed(2)}x)`,
    `${workerd[i]?.ms.toFixed(3)} ms (${workerd[i]?.ratio.toFixed(2)}x)`,
    `${((gzip[i] ?? 0) / KiB).toFixed(1)} KiB (+${(((gzip[i] ?? 0) - (gzip[0] ?? 0)) / KiB).toFixed(1)})`,
    `${((workers[i]?.bytes ?? 0) / KiB).toFixed(1)} KiB`,
  ]);
  console.log(
    `Position curve, 3 conditions x 10 ranks: ms per render (median of ${ROUNDS} rounds; ratio: median of per-round ratios to the table alone)`,
  );
  const head = ["option", "Node", "workerd", "Worker bundle gzip", "HTML"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const row of [head, ...rows])
    console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  "));
} finally {
  for (const w of workers) await w.mf.dispose();
}
