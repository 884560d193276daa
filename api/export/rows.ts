import type { EventRecord, ExportFilter, QueryRecord, Store } from "../store/store";
import type { ParticipantRow, SourceRow, TableName } from "./tables";

/**
 * Each table's rows, read from the store one keyset batch at a time: a
 * reader holds one batch and the cursor after it, never the whole table.
 * `cursor` is the position after the batch (null before any row), so a
 * download can continue there (the `after` parameter, docs/decisions/014-export-cli.md).
 */
export type Batch<R> = { rows: R[]; done: boolean; cursor: string | null };
export type RowReader<R> = () => Promise<Batch<R>>;

/** Where a reader starts (a cursor of the same table's reader, or null) and its rows per store call. */
export type ReadFrom = { after: string | null; size: number };

/** Rows per store call. Events are small; an answer carries its texts and sources. */
export const BATCH_SIZES: Record<TableName, number> = {
  answers: 1000,
  sources: 500,
  events: 5000,
  participants: 1000,
};

function records<R>(store: Store, filter: ExportFilter, from: ReadFrom): RowReader<R> {
  let after = from.after;
  return async () => {
    const page = await store.exportPage(filter, from.size, after);
    after = page.records.at(-1)?.cursor ?? after;
    return { rows: page.records.map((r) => r.record as R), done: !page.hasNextPage, cursor: after };
  };
}

const answers = (store: Store, filter: ExportFilter, from: ReadFrom) =>
  records<QueryRecord>(store, { ...filter, kinds: ["QUERY"] }, from);

/** A source row's position is its answer's: a batch of sources holds every source of its answers. */
function sources(store: Store, filter: ExportFilter, from: ReadFrom): RowReader<SourceRow> {
  const next = records<QueryRecord>(store, { ...filter, kinds: ["QUERY"] }, from);
  return async () => {
    const batch = await next();
    // Clicks and exposure stored after `to` are left out, so a `to` in the past gives the same file again.
    const ids = batch.rows.map((q) => q.id);
    const [clicks, exposure] = await Promise.all([
      store.sourceClicks(ids, filter.to ?? null),
      store.sourceExposure(ids, filter.to ?? null),
    ]);
    const byKey = new Map(clicks.map((c) => [JSON.stringify([c.queryId, c.targetUrl]), c]));
    const visible = new Map(exposure.map((e) => [JSON.stringify([e.queryId, e.rank, e.url]), e.visibleMs]));
    const rows = batch.rows.flatMap((answer) =>
      answer.sources.map((source) => {
        const c = byKey.get(JSON.stringify([answer.id, source.url]));
        return {
          answer,
          source,
          clicks: c?.clicks ?? 0,
          firstClickAt: c?.firstClickAt ?? null,
          visibleMs: visible.get(JSON.stringify([answer.id, source.rank, source.url])) ?? null,
        };
      }),
    );
    return { rows, done: batch.done, cursor: batch.cursor };
  };
}

const events = (store: Store, filter: ExportFilter, from: ReadFrom) =>
  records<EventRecord>(store, { ...filter, kinds: ["EVENT"] }, from);

function participants(store: Store, filter: ExportFilter, from: ReadFrom): RowReader<ParticipantRow> {
  let after = from.after;
  return async () => {
    const page = await store.exportParticipants(filter, from.size, after);
    after = page.rows.at(-1)?.cursor ?? after;
    const to = filter.to;
    const rows = page.rows.map(({ assignment, answers, sourceClicks }) => ({
      // A finish after `to` had not happened yet as of `to`.
      assignment:
        to && assignment.finishedAt !== null && assignment.finishedAt >= to
          ? { ...assignment, finishedAt: null, outcome: null }
          : assignment,
      answers,
      sourceClicks,
    }));
    return { rows, done: !page.hasNextPage, cursor: after };
  };
}

type Reader = (store: Store, filter: ExportFilter, from: ReadFrom) => RowReader<unknown>;

export const READERS: { [T in TableName]: Reader } = {
  answers,
  sources,
  events,
  participants,
} as { [T in TableName]: Reader };

/**
 * The tables whose row count the store can give cheaply (one count query):
 * a record is a row. A sources row is one of an answer's sources, and a
 * participants row an assignment; neither is counted by the store.
 */
export const COUNTED_KINDS: Partial<Record<TableName, "QUERY" | "EVENT">> = {
  answers: "QUERY",
  events: "EVENT",
};
