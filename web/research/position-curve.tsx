import type { RankClickThrough } from "./measures";
import { PlotFigure, PlotSvg, TableCaption } from "./plot-figure";
import { linear, niceTicks } from "./scale";
import { Legend, Marker, seriesStyle } from "./series-style";
import { percent } from "./share";

/**
 * The position curve: the share of sources clicked at each rank, one line
 * per condition. `over` "shown" divides the sources clicked by those shown
 * (clickRate); "seen" divides the sources seen and clicked by those seen
 * (seenClickRate, from the exposure events). A rank whose denominator is 0
 * has no point, and the line breaks there.
 */
export type PositionCurveProps = {
  id: string;
  caption: string;
  /** "displayed" or "original": names the x axis. */
  rank: "displayed" | "original";
  over: "shown" | "seen";
  series: { name: string; ranks: RankClickThrough[] }[];
};

const W = 420;
const H = 250;
const M = { top: 14, right: 14, bottom: 40, left: 46 };

const count = (r: RankClickThrough, over: "shown" | "seen") =>
  over === "shown" ? { clicked: r.clicked, of: r.shown } : { clicked: r.seenClicked, of: r.seen };
const rate = (r: RankClickThrough, over: "shown" | "seen") =>
  over === "shown" ? r.clickRate : r.seenClickRate;

const ranksOf = (series: PositionCurveProps["series"]) =>
  [...new Set(series.flatMap((s) => s.ranks.map((r) => r.rank)))].sort((a, b) => a - b);
const rankNameOf = (rank: PositionCurveProps["rank"]) =>
  rank === "displayed" ? "Displayed rank" : "Original rank";

export function PositionCurve(props: PositionCurveProps) {
  const { id, caption, over, series } = props;
  const anyData = series.some((s) => s.ranks.some((r) => count(r, over).of > 0));
  return (
    <PlotFigure
      id={id}
      caption={caption}
      empty={anyData ? null : `no source has been ${over} yet`}
      legend={<Legend id={id} names={series.map((s) => s.name)} kind="line" />}
      plot={<PositionCurveSvg {...props} />}
      table={<PositionCurveTable {...props} />}
    />
  );
}

/** The plot alone (PositionCurve frames it). */
export function PositionCurveSvg({ id, caption, rank, over, series }: PositionCurveProps) {
  const ranks = ranksOf(series);
  const rankName = rankNameOf(rank);
  const ofName = over;
  const maxRate = Math.max(0, ...series.flatMap((s) => s.ranks.map((r) => rate(r, over) ?? 0)));
  const ticks = niceTicks(Math.min(1, maxRate), 4).filter((t) => t <= 1);
  const top = ticks.at(-1) ?? 1;
  const y = linear(top, H - M.bottom, M.top);
  const band = (W - M.left - M.right) / Math.max(1, ranks.length);
  const x = (r: number) => M.left + (ranks.indexOf(r) + 0.5) * band;

  return (
    <PlotSvg
      id={id}
      width={W}
      height={H}
      title={caption}
      description={`Click rate over sources ${ofName}, by ${rankName.toLowerCase()} (${ranks[0]} to ${ranks.at(-1)}), one line per condition: ${series.map((s) => s.name).join(", ")}. The table below lists every point with its counts.`}
    >
      <g className="plot-grid">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end">
              {`${Math.round(t * 100)}%`}
            </text>
          </g>
        ))}
        {ranks.map((r) => (
          <text key={r} x={x(r)} y={H - M.bottom + 16} textAnchor="middle">
            {r}
          </text>
        ))}
        <text
          x={M.left + (W - M.left - M.right) / 2}
          y={H - 6}
          textAnchor="middle"
          className="plot-axis-label"
        >
          {rankName}
        </text>
      </g>
      {series.map((s, i) => {
        const style = seriesStyle(i);
        const points = s.ranks
          .filter((r) => rate(r, over) !== null)
          .sort((a, b) => a.rank - b.rank)
          .map((r) => ({ rank: r.rank, x: x(r.rank), y: y(rate(r, over) ?? 0) }));
        // A line joins neighbouring ranks only: a rank without a point breaks it.
        const d = points
          .map(
            (p, j) =>
              `${j > 0 && ranks.indexOf(p.rank) === ranks.indexOf(points[j - 1]?.rank ?? -1) + 1 ? "L" : "M"}${p.x},${p.y}`,
          )
          .join("");
        return (
          <g key={s.name} data-series={s.name}>
            <path d={d} fill="none" stroke={style.color} strokeWidth={2} strokeDasharray={style.dash} />
            {points.map((p) => (
              <g key={p.rank} data-point={p.rank}>
                <Marker style={style} x={p.x} y={p.y} />
              </g>
            ))}
          </g>
        );
      })}
    </PlotSvg>
  );
}

/** The plot's numbers alone (PositionCurve puts them under the plot). */
export function PositionCurveTable({ id, caption, rank, over, series }: PositionCurveProps) {
  const ranks = ranksOf(series);
  const rankName = rankNameOf(rank);
  const ofName = over;
  return (
    <table className="research-table plot-table" data-table={id}>
      <TableCaption id={id}>
        {caption}: sources clicked of those {ofName}, and the rate, by {rankName.toLowerCase()}
      </TableCaption>
      <thead>
        <tr>
          <td />
          {series.map((s) => (
            <th key={s.name} scope="colgroup" colSpan={2}>
              <code>{s.name}</code>
            </th>
          ))}
        </tr>
        <tr>
          <th scope="col">{rankName}</th>
          {series.map((s) => [
            <th key={`${s.name}-n`} scope="col">{`Clicked / ${ofName}`}</th>,
            <th key={`${s.name}-r`} scope="col">
              Rate
            </th>,
          ])}
        </tr>
      </thead>
      <tbody>
        {ranks.map((r) => (
          <tr key={r} data-rank={r}>
            <th scope="row">{r}</th>
            {series.map((s) => {
              const at = s.ranks.find((p) => p.rank === r);
              const c = at ? count(at, over) : { clicked: 0, of: 0 };
              const v = at ? rate(at, over) : null;
              return [
                <td key={`${s.name}-n`} className="number">{`${c.clicked} / ${c.of}`}</td>,
                <td key={`${s.name}-r`} className="number">
                  {v === null ? "–" : percent(v)}
                </td>,
              ];
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
