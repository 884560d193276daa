/**
 * A participant's records in the order they happened (docs/tracking.md,
 * "Times and order"): the tracker's events grouped by their page view
 * (`extraData.pageViewId`), the page views placed by the `clientTime` of
 * their page view event (`seq` 0; the group's earliest time when that one
 * is missing), and within a page view by `extraData.seq`. The server's
 * records (answers, study steps, clicks with JavaScript off: no
 * `pageViewId`) are placed by `clientTime`, or `receivedAt` when that is
 * null, among the tracker's events by those events' own times (a merge:
 * the tracker's order is kept as it is, so a clock that jumps inside a
 * page view moves no event of it). Ties keep the export's order
 * (receivedAt).
 */
export type Placed = {
  pageViewId: string | null;
  seq: number | null;
  /** clientTime, or receivedAt when that is null (ISO-8601). */
  time: string;
};

/** Where a record goes: its page view and number from its extraData, and its time. */
export function placeOf(record: {
  clientTime: string | null;
  receivedAt: string;
  extraData?: unknown;
}): Placed {
  const extra = (record.extraData ?? {}) as { pageViewId?: unknown; seq?: unknown };
  return {
    pageViewId: typeof extra.pageViewId === "string" ? extra.pageViewId : null,
    seq: typeof extra.seq === "number" ? extra.seq : null,
    time: record.clientTime ?? record.receivedAt,
  };
}

export function visitOrder<T>(records: readonly T[], place: (record: T) => Placed): T[] {
  type Item = { record: T; at: Placed; i: number; ms: number };
  const items: Item[] = records.map((record, i) => {
    const at = place(record);
    return { record, at, i, ms: Date.parse(at.time) };
  });
  const server = items.filter((x) => x.at.pageViewId === null).sort((a, b) => a.ms - b.ms || a.i - b.i);
  const views = new Map<string, Item[]>();
  for (const x of items) {
    if (x.at.pageViewId === null) continue;
    const members = views.get(x.at.pageViewId) ?? [];
    if (members.length === 0) views.set(x.at.pageViewId, members);
    members.push(x);
  }
  const anchored = [...views.values()].map((members) => {
    const opening = members.find((m) => m.at.seq === 0);
    const anchor = opening ?? members.reduce((a, b) => (b.ms < a.ms ? b : a));
    members.sort(
      (a, b) =>
        (a.at.seq ?? Number.POSITIVE_INFINITY) - (b.at.seq ?? Number.POSITIVE_INFINITY) ||
        a.ms - b.ms ||
        a.i - b.i,
    );
    return { anchor, members };
  });
  anchored.sort((a, b) => a.anchor.ms - b.anchor.ms || a.anchor.i - b.anchor.i);
  const tracker = anchored.flatMap((v) => v.members);
  const ordered: T[] = [];
  let s = 0;
  let t = 0;
  while (s < server.length || t < tracker.length) {
    const a = server[s];
    const b = tracker[t];
    if (a && (!b || a.ms < b.ms || (a.ms === b.ms && a.i < b.i))) {
      ordered.push(a.record);
      s++;
    } else if (b) {
      ordered.push(b.record);
      t++;
    }
  }
  return ordered;
}
