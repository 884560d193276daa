import type { EventRecord, ExportFilter, QueryRecord, Store } from "../store/store";
import type { ParticipantRow, SourceRow, TableName } from "./tables";

/**
 * Each table's rows, read from the store one keyset batch at a time: a
 * reader holds one batch and the cursor after it, never the whole table.
 */
export type Batch<R> = { rows: R[]; done: boolean };
export type RowReader<R> = () => Promise<Batch<R>>;

/** Rows per store call. Events are small; an answer carries its texts and sources. */
export const BATCH_SIZES: Record<TableName, number> = {
  answers: 1000,
  sources: 500,
  events: 5000,
  participants: 1000,
};

function records<R>(store: Store, filter: ExportFilter, size: number): RowReader<R> {
  let after: string | null = null;
  return async () => {
    const page = await store.exportPage(filter, size, after);
    after = page.records.at(-1)?.cursor ?? after;
    return { rows: page.records.map((r) => r.record as R), done: !page.hasNextPage };
  };
}

const answers = (store: Store, filter: ExportFilter) =>
  records<QueryRecord>(store, { ...filter, kinds: ["QUERY"] }, BATCH_SIZES.answers);

function sources(store: Store, filter: ExportFilter): RowReader<SourceRow> {
  const next = records<QueryRecord>(store, { ...filter, kinds: ["QUERY"] }, BATCH_SIZES.sources);
  return async () => {
    const batch = await next();
    // Clicks stored after `to` are left out, so a `to` in the past gives the same file again.
    const clicks = await store.sourceClicks(
      batch.rows.map((q) => q.id),
      filter.to ?? null,
    );
    const byKey = new Map(clicks.map((c) => [JSON.stringify([c.queryId, c.targetUrl]), c]));
    const rows = batch.rows.flatMap((answer) =>
      answer.sources.map((source) => {
        const c = byKey.get(JSON.stringify([answer.id, source.url]));
        return { answer, source, clicks: c?.clicks ?? 0, firstClickAt: c?.firstClickAt ?? null };
      }),
    );
    return { rows, done: batch.done };
  };
}

const events = (store: Store, filter: ExportFilter) =>
  records<EventRecord>(store, { ...filter, kinds: ["EVENT"] }, BATCH_SIZES.events);

function participants(store: Store, filter: ExportFilter): RowReader<ParticipantRow> {
  let after: string | null = null;
  return async () => {
    const page = await store.exportParticipants(filter, BATCH_SIZES.participants, after);
    after = page.rows.at(-1)?.cursor ?? after;
    const to = filter.to;
    const rows = page.rows.map(({ assignment, answers, sourceClicks }) => ({
      // A finish after `to` had not happened yet as of `to`.
      assignment:
        to && assignment.finishedAt !== null && assignment.finishedAt >= to
          ? { ...assignment, finishedAt: null }
          : assignment,
      answers,
      sourceClicks,
    }));
    return { rows, done: !page.hasNextPage };
  };
}

export const READERS: { [T in TableName]: (store: Store, filter: ExportFilter) => RowReader<unknown> } = {
  answers,
  sources,
  events,
  participants,
} as { [T in TableName]: (store: Store, filter: ExportFilter) => RowReader<unknown> };
