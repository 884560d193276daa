import type { ReactNode } from "react";
import { PlotFigure, PlotSvg, TableCaption } from "./plot-figure";
import { linear, niceTicks } from "./scale";
import { FillPattern, Legend, seriesStyle } from "./series-style";
import { percent } from "./share";

/**
 * Horizontal bars grouped by category (a histogram's buckets, or labels),
 * one bar per condition in each group. A bar's length is the share
 * `count / of`, so conditions of different sizes compare; the table gives
 * count, denominator and share, plus one extra count column when `extra`
 * is set (a conversion's events). Rows, not columns, grow with the
 * categories, so the plot stays readable at phone width.
 */
export type BarCell = { count: number; of: number; extra?: number };

export type GroupedBarsProps = {
  id: string;
  caption: string;
  /** What the categories are, for the table's first column ("Deepest scroll"). */
  categoryName: string;
  categories: string[];
  /** One per condition; cells in the order of categories. */
  series: { name: string; cells: BarCell[] }[];
  /** What count and of are ("participants", "consented"): the table's heading is "<count> / <of>". */
  countName: string;
  ofName: string;
  extraName?: string;
  /** Why there is nothing to plot, shown when every denominator is 0. */
  emptyText: string;
  summary?: ReactNode;
};

const W = 420;
const LABEL = 116;
const RIGHT = 44;
const BAR = 13;
const GAP = 8;
const TOP = 6;
const AXIS = 22;

const share = (c: BarCell) => (c.of > 0 ? c.count / c.of : 0);
const short = (label: string) => (label.length > 14 ? `${label.slice(0, 13)}…` : label);

export function GroupedBars(props: GroupedBarsProps) {
  const { id, caption, categories, series } = props;
  const anyData = categories.length > 0 && series.some((s) => s.cells.some((c) => c.of > 0));
  return (
    <PlotFigure
      id={id}
      caption={caption}
      empty={anyData ? null : props.emptyText}
      summary={props.summary}
      legend={<Legend id={id} names={series.map((s) => s.name)} kind="bar" />}
      plot={<GroupedBarsSvg {...props} />}
      table={<GroupedBarsTable {...props} />}
    />
  );
}

/**
 * The bars alone (GroupedBars frames them with a legend and the table);
 * `description` replaces the default <desc>, which points to the table below.
 */
export function GroupedBarsSvg(
  props: Pick<GroupedBarsProps, "id" | "caption" | "categoryName" | "categories" | "series" | "ofName"> & {
    description?: string;
  },
) {
  const { id, caption, categories, series } = props;
  const groupHeight = series.length * BAR + GAP;
  const height = TOP + categories.length * groupHeight + AXIS;
  const ticks = niceTicks(Math.max(0, ...series.flatMap((s) => s.cells.map(share))), 4).filter((t) => t <= 1);
  const x = linear(ticks.at(-1) ?? 1, LABEL, W - RIGHT);
  const axisY = height - AXIS;

  return (
    <PlotSvg
      id={id}
      width={W}
      height={height}
      title={caption}
      description={
        props.description ??
        `${categories.length} ${props.categoryName.toLowerCase()} groups, one bar per condition (${series.map((s) => s.name).join(", ")}), each the share of ${props.ofName}. The table below lists every bar with its counts.`
      }
    >
      <defs>
        {series.map((s, i) => (
          <FillPattern key={s.name} id={`${id}-fill-${i}`} style={seriesStyle(i)} />
        ))}
      </defs>
      <g className="plot-grid">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={TOP} y2={axisY} />
            <text x={x(t)} y={axisY + 15} textAnchor="middle">
              {`${Math.round(t * 100)}%`}
            </text>
          </g>
        ))}
      </g>
      {categories.map((category, k) => {
        const groupTop = TOP + k * groupHeight;
        return (
          <g key={category} data-category={category}>
            <text x={LABEL - 6} y={groupTop + (series.length * BAR) / 2 + 4} textAnchor="end">
              {short(category)}
            </text>
            {series.map((s, i) => {
              const cell = s.cells[k] ?? { count: 0, of: 0 };
              const style = seriesStyle(i);
              const barY = groupTop + i * BAR;
              const end = x(share(cell));
              return (
                <g key={s.name} data-bar={s.name}>
                  <rect
                    x={LABEL}
                    y={barY + 1}
                    width={Math.max(0, end - LABEL)}
                    height={BAR - 2}
                    fill={`url(#${id}-fill-${i})`}
                    stroke={style.color}
                    strokeWidth={1}
                  />
                  <text x={end + 4} y={barY + BAR - 2} className="plot-value">
                    {cell.of > 0 ? `${Math.round(share(cell) * 100)}%` : "–"}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
      <line className="plot-axis" x1={LABEL} x2={LABEL} y1={TOP} y2={axisY} />
    </PlotSvg>
  );
}

/** The bars' numbers alone. */
export function GroupedBarsTable(props: GroupedBarsProps) {
  const { id, caption, categories, series } = props;
  return (
    <table className="research-table plot-table" data-table={id}>
      <TableCaption id={id}>
        {caption}: {props.countName} of {props.ofName}, and the share
      </TableCaption>
      <thead>
        <tr>
          <td />
          {series.map((s) => (
            <th key={s.name} scope="colgroup" colSpan={props.extraName ? 3 : 2}>
              <code>{s.name}</code>
            </th>
          ))}
        </tr>
        <tr>
          <th scope="col">{props.categoryName}</th>
          {series.map((s) => [
            <th key={`${s.name}-n`} scope="col">{`${cap(props.countName)} / ${props.ofName}`}</th>,
            <th key={`${s.name}-r`} scope="col">
              Share
            </th>,
            props.extraName ? (
              <th key={`${s.name}-e`} scope="col">
                {cap(props.extraName)}
              </th>
            ) : null,
          ])}
        </tr>
      </thead>
      <tbody>
        {categories.map((category, k) => (
          <tr key={category} data-category={category}>
            <th scope="row">{category}</th>
            {series.map((s) => {
              const cell = s.cells[k] ?? { count: 0, of: 0 };
              return [
                <td key={`${s.name}-n`} className="number">{`${cell.count} / ${cell.of}`}</td>,
                <td key={`${s.name}-r`} className="number">
                  {cell.of > 0 ? percent(share(cell)) : "–"}
                </td>,
                props.extraName ? (
                  <td key={`${s.name}-e`} className="number">
                    {cell.extra ?? 0}
                  </td>
                ) : null,
              ];
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
