/**
 * A participant's records in the order they happened (docs/tracking.md,
 * "Times and order"): the tracker's events grouped by their page view
 * (`extraData.pageViewId`), the page views placed by the `clientTime` of
 * their page view event (`seq` 0; the group's earliest time when that one
 * is missing), and within a page view by `extraData.seq`. The server's
 * records (answers, study steps, clicks with JavaScript off: no
 * `pageViewId`) are placed by `clientTime`, or `receivedAt` when that is
 * null. Ties keep the export's order (receivedAt).
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

const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);

export function visitOrder<T>(records: readonly T[], place: (record: T) => Placed): T[] {
  type Unit = { time: string; first: number; records: T[] };
  const units: Unit[] = [];
  const pageViews = new Map<string, { unit: Unit; members: { record: T; at: Placed; i: number }[] }>();
  records.forEach((record, i) => {
    const at = place(record);
    if (at.pageViewId === null) {
      units.push({ time: at.time, first: i, records: [record] });
      return;
    }
    let view = pageViews.get(at.pageViewId);
    if (!view) {
      view = { unit: { time: at.time, first: i, records: [] }, members: [] };
      pageViews.set(at.pageViewId, view);
      units.push(view.unit);
    }
    view.members.push({ record, at, i });
  });
  for (const { unit, members } of pageViews.values()) {
    const opening = members.find((m) => m.at.seq === 0);
    unit.time = opening
      ? opening.at.time
      : members.map((m) => m.at.time).reduce((a, b) => (byTime(a, b) <= 0 ? a : b));
    members.sort(
      (a, b) =>
        (a.at.seq ?? Number.POSITIVE_INFINITY) - (b.at.seq ?? Number.POSITIVE_INFINITY) ||
        byTime(a.at.time, b.at.time) ||
        a.i - b.i,
    );
    unit.records = members.map((m) => m.record);
  }
  units.sort((a, b) => byTime(a.time, b.time) || a.first - b.first);
  return units.flatMap((u) => u.records);
}
