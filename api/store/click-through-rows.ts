import type { ClickThrough, ClickThroughCounts, ConditionClickThrough, RankClickThrough } from "./store";

/*
 * Both adapters count click-through per condition, kind of rank and rank;
 * this turns those rows into the port's ClickThrough per condition. Every
 * shown source has one displayed rank, so the totals are the sums over the
 * displayed ranks.
 */

export type RankAxis = "displayed" | "original";

export type ClickThroughRow = ClickThroughCounts & { condition: string; axis: RankAxis; rank: number };

const zero = (): ClickThroughCounts => ({ shown: 0, seen: 0, clicked: 0, seenClicked: 0 });

/** A condition without any source shown. */
export const emptyClickThrough = (): ClickThrough => ({
  ...zero(),
  byDisplayedRank: [],
  byOriginalRank: [],
});

const byRank = (a: RankClickThrough, b: RankClickThrough) => a.rank - b.rank;

/** The rows' conditions by condition id, each with its ranks ascending; rows with nothing shown are left out. */
export function clickThroughOf(rows: ClickThroughRow[]): ConditionClickThrough[] {
  const conditions = new Map<string, ConditionClickThrough>();
  for (const row of rows) {
    if (row.shown <= 0) continue;
    let c = conditions.get(row.condition);
    if (!c) {
      c = { condition: row.condition, ...emptyClickThrough() };
      conditions.set(row.condition, c);
    }
    const counts = { shown: row.shown, seen: row.seen, clicked: row.clicked, seenClicked: row.seenClicked };
    if (row.axis === "original") {
      c.byOriginalRank.push({ rank: row.rank, ...counts });
      continue;
    }
    c.byDisplayedRank.push({ rank: row.rank, ...counts });
    c.shown += counts.shown;
    c.seen += counts.seen;
    c.clicked += counts.clicked;
    c.seenClicked += counts.seenClicked;
  }
  return [...conditions.values()]
    .map((c) => ({
      ...c,
      byDisplayedRank: c.byDisplayedRank.sort(byRank),
      byOriginalRank: c.byOriginalRank.sort(byRank),
    }))
    .sort((a, b) => (a.condition < b.condition ? -1 : a.condition > b.condition ? 1 : 0));
}
