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
const PER_ROUND = 40;

function nodeMs(option: Option): number {
  const element = () => createElement(option.render, props);
  for (let i = 0; i < 50; i++) renderToString(element());
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < PER_ROUND; i++) renderToString(element());
    rounds.push((performance.now() - start) / PER_ROUND);
  }
  return median(rounds);
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

async function workerdMs(script: string): Promise<{ ms: number; bytes: number }> {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    compatibilityFlags: ["nodejs_compat"],
  });
  try {
    const first = await mf.dispatchFetch("http://bench/?n=1");
    const html = await first.text();
    if (!first.ok || !html.includes("<table"))
      throw new Error(`the Worker answered ${first.status}: ${html.slice(0, 200)}`);
    const n = 200;
    await (await mf.dispatchFetch("http://bench/?n=50")).text();
    const rounds: number[] = [];
    for (let r = 0; r < 7; r++) {
      const start = performance.now();
      await (await mf.dispatchFetch(`http://bench/?n=${n}`)).text();
      rounds.push((performance.now() - start) / n);
    }
    return { ms: median(rounds), bytes: html.length };
  } finally {
    await mf.dispose();
  }
}

const KiB = 1024;
const rows: string[][] = [];
let base: { node: number; workerd: number; gzip: number } | null = null;
for (const option of options) {
  const node = nodeMs(option);
  const script = await workerScript(option);
  const gzip = gzipSync(script, { level: 9 }).length;
  const w = await workerdMs(script);
  base ??= { node, workerd: w.ms, gzip };
  rows.push([
    option.name,
    `${node.toFixed(3)} ms (${(node / base.node).toFixed(2)}x)`,
    `${w.ms.toFixed(3)} ms (${(w.ms / base.workerd).toFixed(2)}x)`,
    `${(gzip / KiB).toFixed(1)} KiB (+${((gzip - base.gzip) / KiB).toFixed(1)})`,
    `${(w.bytes / KiB).toFixed(1)} KiB`,
  ]);
}
console.log("Position curve, 3 conditions x 10 ranks: per render (median; ratio to the table alone)");
const head = ["option", "Node", "workerd", "Worker bundle gzip", "HTML"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
for (const row of [head, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  "));
