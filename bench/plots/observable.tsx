/**
 * The candidate not chosen (docs/decisions/016-plots.md): the position
 * curve drawn by Observable Plot on a linkedom document, in the same frame
 * and with the same table as web/research/position-curve.tsx. Neither
 * package is a dependency: `npm install --no-save @observablehq/plot
 * linkedom` to measure it; without them `load` returns null.
 */
import type { ReactNode } from "react";
import { PlotFigure } from "../../web/research/plot-figure";
import { type PositionCurveProps, PositionCurveTable } from "../../web/research/position-curve";

type Mark = unknown;
type PlotModule = {
  plot(options: Record<string, unknown>): { outerHTML: string };
  line(data: unknown[], options: Record<string, unknown>): Mark;
  dot(data: unknown[], options: Record<string, unknown>): Mark;
};
type Linkedom = { parseHTML(html: string): { document: unknown } };

export type ObservableCurve = (props: PositionCurveProps) => ReactNode;

/** The packages, imported by name at run time (type-checking does not need them); null when not installed. */
export async function load(): Promise<ObservableCurve | null> {
  const names = ["@observablehq/plot", "linkedom"];
  try {
    const Plot = (await import(/* @vite-ignore */ names[0] as string)) as PlotModule;
    const linkedom = (await import(/* @vite-ignore */ names[1] as string)) as Linkedom;
    return observableCurve(Plot, linkedom);
  } catch {
    return null;
  }
}

/** The curve on one linkedom document, shared by all renders. */
export function observableCurve(Plot: PlotModule, linkedom: Linkedom): ObservableCurve {
  const { document } = linkedom.parseHTML("<!doctype html><html><head></head><body></body></html>");
  return function ObservablePositionCurve(props: PositionCurveProps) {
    const rate = props.over === "shown" ? "clickRate" : "seenClickRate";
    const data = props.series.flatMap((s) =>
      s.ranks
        .filter((r) => r[rate] !== null)
        .map((r) => ({ condition: s.name, rank: r.rank, rate: r[rate] })),
    );
    const svg = Plot.plot({
      document,
      width: 420,
      height: 250,
      ariaLabel: props.caption,
      ariaDescription: "The table below lists every point with its counts.",
      x: { type: "point", label: props.rank === "displayed" ? "Displayed rank" : "Original rank" },
      y: { percent: true, grid: true, label: "Click rate (%)" },
      marks: [
        Plot.line(data, { x: "rank", y: "rate", stroke: "condition" }),
        Plot.dot(data, { x: "rank", y: "rate", fill: "condition", symbol: "condition" }),
      ],
    }).outerHTML;
    return (
      <PlotFigure
        id={props.id}
        caption={props.caption}
        empty={data.length === 0 ? "no source yet" : null}
        legend={null}
        // biome-ignore lint/security/noDangerouslySetInnerHtml: Plot's own SVG, from our numbers only.
        plot={<div dangerouslySetInnerHTML={{ __html: svg }} />}
        table={<PositionCurveTable {...props} />}
      />
    );
  };
}
