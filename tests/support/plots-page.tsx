/**
 * A page with the monitor's plots (web/research/measure-plots.tsx) for
 * made-up measures and for a study with no data yet, styled by the site's
 * CSS, for Chromium to check (tests/e2e/plots.test.ts) and for people to
 * look at (scripts/plots-preview.tsx).
 */
import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { MeasurePlots } from "../../web/research/measure-plots";
import { emptyCondition, SAMPLE_CONDITIONS } from "./measures-sample";

export function plotsPage(): string {
  const css = readFileSync(new URL("../../web/styles/app.css", import.meta.url), "utf8");
  const body = renderToStaticMarkup(
    <main className="research">
      <h1>Plots</h1>
      <section id="sample">
        <h2>Three conditions</h2>
        <MeasurePlots conditions={SAMPLE_CONDITIONS} />
      </section>
      <section id="empty">
        <h2>No data yet</h2>
        <MeasurePlots conditions={[emptyCondition("control")]} />
      </section>
    </main>,
  );
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Plots</title>' +
    `<style>${css}</style></head><body>${body}</body></html>`
  );
}
