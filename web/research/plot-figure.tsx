import type { ReactNode } from "react";
import { TableScroll } from "./table-scroll";

/**
 * The frame every plot shares: a <figure> whose <figcaption> names it, then
 * either "No data yet" (and no SVG at all), or the legend, the SVG and, under
 * it, a table with the same numbers, for screen readers, copy-paste and
 * exact values. The table scrolls sideways on its own when it is wider than
 * the screen, so the page does not.
 */
export function PlotFigure({
  id,
  caption,
  empty,
  summary,
  legend,
  plot,
  table,
}: {
  id: string;
  caption: string;
  /** When set, the reason there is nothing to plot yet ("no participant has finished"). */
  empty: string | null;
  summary?: ReactNode;
  legend: ReactNode;
  plot: ReactNode;
  table: ReactNode;
}) {
  return (
    <figure className="plot" id={id} data-plot={id}>
      <figcaption>{caption}</figcaption>
      {empty !== null ? (
        <p className="plot-empty" data-empty="">
          No data yet: {empty}.
        </p>
      ) : (
        <>
          {summary}
          {legend}
          {plot}
          <TableScroll labelledBy={`${id}-table-caption`}>{table}</TableScroll>
        </>
      )}
    </figure>
  );
}

/**
 * The plot's SVG: an image for assistive technology, named by its <title>
 * and described by its <desc> (which points to the table). It scales to the
 * width it is given, from phone to desktop, keeping its proportions.
 */
export function PlotSvg({
  id,
  width,
  height,
  title,
  description,
  children,
}: {
  id: string;
  width: number;
  height: number;
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <svg
      className="plot-svg"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      data-plot-svg={id}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {children}
    </svg>
  );
}

/**
 * The caption of a plot's table, for screen readers (the figure's visible
 * caption is just above); its id labels the table's scrolling region.
 */
export function TableCaption({ id, children }: { id: string; children: ReactNode }) {
  return (
    <caption id={`${id}-table-caption`} className="visually-hidden">
      {children}
    </caption>
  );
}
