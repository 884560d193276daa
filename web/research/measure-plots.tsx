import { type BarCell, GroupedBars } from "./grouped-bars";
import type { ConditionMeasures } from "./measures";
import { PositionCurve } from "./position-curve";

/**
 * The monitor's per-condition measures as plots (docs/research.md): click-
 * through by displayed and by original rank, over sources shown and over
 * sources seen; scroll depth; time on task; questions per participant;
 * conversions per label. Each is a figure with its table under it.
 */
export function MeasurePlots({ conditions }: { conditions: ConditionMeasures[] }) {
  return (
    <div className="measure-plots">
      <h3>Source click-through</h3>
      <div className="plot-grid-2">
        {(["displayed", "original"] as const).flatMap((rank) =>
          (["shown", "seen"] as const).map((over) => (
            <PositionCurve
              key={`${rank}-${over}`}
              id={`ctr-${rank}-${over}`}
              caption={`Click-through by ${rank} rank, over sources ${over}`}
              rank={rank}
              over={over}
              series={conditions.map((c) => ({
                name: c.condition,
                ranks: rank === "displayed" ? c.clickThrough.byDisplayedRank : c.clickThrough.byOriginalRank,
              }))}
            />
          )),
        )}
      </div>
      <h3>Participants</h3>
      <div className="plot-grid-2">
        <ScrollDepthPlot conditions={conditions} />
        <TimeOnTaskPlot conditions={conditions} />
        <QuestionsPlot conditions={conditions} />
        <ConversionsPlot conditions={conditions} />
      </div>
    </div>
  );
}

/**
 * The categories of all conditions in order (they share the API's buckets;
 * a category one condition lacks counts 0 there), each condition's cells in
 * that order.
 */
function aligned<T>(
  conditions: ConditionMeasures[],
  items: (c: ConditionMeasures) => T[],
  key: (item: T) => string,
  order: (a: T, b: T) => number,
  cell: (item: T | undefined, c: ConditionMeasures) => BarCell,
) {
  const all = conditions.flatMap(items).sort(order);
  const categories = [...new Set(all.map(key))];
  return {
    categories,
    series: conditions.map((c) => ({
      name: c.condition,
      cells: categories.map((k) =>
        cell(
          items(c).find((item) => key(item) === k),
          c,
        ),
      ),
    })),
  };
}

export function ScrollDepthPlot({ conditions }: { conditions: ConditionMeasures[] }) {
  const { categories, series } = aligned(
    conditions,
    (c) => c.scrollDepth.buckets,
    (b) => `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`,
    (a, b) => a.from - b.from,
    (b, c) => ({ count: b?.participants ?? 0, of: c.scrollDepth.participants }),
  );
  return (
    <GroupedBars
      id="scroll-depth"
      caption="Scroll depth: each participant's deepest scroll"
      categoryName="Deepest scroll"
      categories={categories}
      series={series}
      countName="participants"
      ofName="scrolled"
      emptyText="no participant has scrolled"
    />
  );
}

/** 45 s, 2.5 min, 1.2 h. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}

export function TimeOnTaskPlot({ conditions }: { conditions: ConditionMeasures[] }) {
  const { categories, series } = aligned(
    conditions,
    (c) => c.timeOnTask.buckets,
    (b) => (b.toMs === null ? `${duration(b.fromMs)} or more` : `${duration(b.fromMs)}–${duration(b.toMs)}`),
    (a, b) => a.fromMs - b.fromMs,
    (b, c) => ({ count: b?.participants ?? 0, of: c.timeOnTask.finished }),
  );
  return (
    <GroupedBars
      id="time-on-task"
      caption="Time on task: consent to finish"
      categoryName="Time"
      categories={categories}
      series={series}
      countName="participants"
      ofName="finished"
      emptyText="no participant has finished"
      summary={
        <ul className="plot-summary">
          {conditions.map((c) => (
            <li key={c.condition}>
              <code>{c.condition}</code>: median{" "}
              {c.timeOnTask.medianMs === null ? "–" : duration(c.timeOnTask.medianMs)} over{" "}
              {c.timeOnTask.finished} finished
            </li>
          ))}
        </ul>
      }
    />
  );
}

export function QuestionsPlot({ conditions }: { conditions: ConditionMeasures[] }) {
  const { categories, series } = aligned(
    conditions,
    (c) => c.questionsPerParticipant,
    (q) => (q.atLeast ? `${q.questions} or more` : String(q.questions)),
    (a, b) => a.questions - b.questions || Number(a.atLeast) - Number(b.atLeast),
    (q, c) => ({
      count: q?.participants ?? 0,
      of: c.questionsPerParticipant.reduce((sum, x) => sum + x.participants, 0),
    }),
  );
  return (
    <GroupedBars
      id="questions"
      caption="Questions per participant"
      categoryName="Questions asked"
      categories={categories}
      series={series}
      countName="participants"
      ofName="consented"
      emptyText="no participant has consented"
    />
  );
}

export function ConversionsPlot({ conditions }: { conditions: ConditionMeasures[] }) {
  const { categories, series } = aligned(
    conditions,
    (c) => c.conversions,
    (v) => v.label,
    (a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
    (v, c) => ({ count: v?.participants ?? 0, of: c.consented, extra: v?.events ?? 0 }),
  );
  return (
    <GroupedBars
      id="conversions"
      caption="Conversions per label: participants with at least one"
      categoryName="Label"
      categories={categories}
      series={series}
      countName="participants"
      ofName="consented"
      extraName="events"
      emptyText="no conversion has been recorded"
    />
  );
}
