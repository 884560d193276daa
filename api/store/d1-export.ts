import { encodeCursor } from "./cursor";
import {
  EVENT_ROW_COLUMNS,
  type EventRow,
  type ExportRow,
  QUERY_COLUMNS,
  type QueryRow,
  rowObjects,
  toEventRecord,
  toLogRecord,
  toQueryRecord,
} from "./d1-rows";
import type { ExportFilter, ExportPage, LogRecord } from "./store";

/*
 * The export's SQL on D1: one statement per page over both tables, keyset
 * on the shared sequence (docs/decisions/002-export-order.md).
 */

/** Both kinds as one row shape, so one statement can page over both in order. */
const EXPORT_QUERY_COLUMNS = `'QUERY' AS kind, seq, query_id, conversation_id, user_id, session_id, prolific_study_id,
  panel_participant_id, panel_session_id, study_id, condition, study_version,
  query, response, displayed_response, sources, model_sources, model, provenance, latency_ms, ttft_ms, stopped,
  history_turns, error, prompt_tokens, completion_tokens, total_tokens, client_time, received_at, input_signals,
  NULL AS event_id, NULL AS event_type, NULL AS target_url, NULL AS page_url, NULL AS extra_data`;
const EXPORT_EVENT_COLUMNS = `'EVENT' AS kind, seq, query_id, NULL AS conversation_id, user_id, session_id, prolific_study_id,
  panel_participant_id, panel_session_id, study_id, condition, study_version,
  query, NULL AS response, NULL AS displayed_response, NULL AS sources, NULL AS model_sources, NULL AS model,
  NULL AS provenance, NULL AS latency_ms, NULL AS ttft_ms, NULL AS stopped,
  NULL AS history_turns, NULL AS error, NULL AS prompt_tokens, NULL AS completion_tokens, NULL AS total_tokens,
  client_time, received_at, NULL AS input_signals,
  event_id, event_type, target_url, page_url, extra_data`;

/** Numbered SQL parameters, each value bound once and referenced by any number of clauses. */
export class Params {
  readonly values: unknown[] = [];
  private readonly refs = new Map<string, string>();
  ref(key: string, value: unknown): string {
    let ref = this.refs.get(key);
    if (!ref) {
      this.values.push(value);
      ref = `?${this.values.length}`;
      this.refs.set(key, ref);
    }
    return ref;
  }
}

/**
 * WHERE clauses for one table of the export. Lists are bound as one JSON
 * array each (json_each), which keeps any filter far under D1's limit of 100
 * bound parameters per statement.
 */
export function exportWhere(
  filter: ExportFilter,
  table: "queries" | "events",
  afterSeq: number,
  p: Params,
): string {
  const clauses = [`seq > ${p.ref("after", afterSeq)}`];
  const list = (key: string, values: string[]) =>
    `(SELECT value FROM json_each(${p.ref(key, JSON.stringify(values))}))`;
  if (filter.userIds) clauses.push(`user_id IN ${list("users", filter.userIds)}`);
  if (filter.sessionIds) clauses.push(`session_id IN ${list("sessions", filter.sessionIds)}`);
  if (filter.studyIds) clauses.push(`study_id IN ${list("studies", filter.studyIds)}`);
  if (filter.conditions) clauses.push(`condition IN ${list("conditions", filter.conditions)}`);
  if (filter.panelParticipantIds)
    clauses.push(`panel_participant_id IN ${list("panels", filter.panelParticipantIds)}`);
  if (filter.from) clauses.push(`received_at >= ${p.ref("from", filter.from)}`);
  if (filter.to) clauses.push(`received_at < ${p.ref("to", filter.to)}`);
  if (table === "events" && filter.eventTypes)
    clauses.push(`event_type IN ${list("types", filter.eventTypes)}`);
  return clauses.join(" AND ");
}

export function includes(filter: ExportFilter, kind: "QUERY" | "EVENT"): boolean {
  if (filter.kinds && !filter.kinds.includes(kind)) return false;
  if (kind === "QUERY" && filter.eventTypes) return false;
  return true;
}

/** A record of a page; its cursor is made only when asked for (a download reads only the last one's). */
class PageRecord {
  constructor(
    readonly record: LogRecord,
    private readonly seq: number,
  ) {}
  get cursor(): string {
    return encodeCursor(this.seq);
  }
}

/** How a page of one kind reads its own table: that table's columns only, none of the other kind's NULLs. */
const ONE_KIND = {
  QUERY: { table: "queries", columns: QUERY_COLUMNS, record: toQueryRecord },
  EVENT: { table: "events", columns: EVENT_ROW_COLUMNS, record: toEventRecord },
} as const;

/**
 * One page after `afterSeq`. Each branch walks its table in seq order from
 * the cursor and stops after one page, so a late page costs what the first does.
 * A page of one kind (the downloads' pages) reads its table alone, each row
 * as one JSON array that SQLite builds (json_array): one cell per row to
 * pass from D1 instead of one per column, which took about a third off the
 * local D1's and the Worker's CPU time of a download of events
 * (docs/benchmarks.md). Both tables' columns are TEXT or INTEGER, whose
 * JSON text (json_array's) gives back the same value.
 */
export async function exportPage(
  db: D1Database,
  filter: ExportFilter,
  first: number,
  afterSeq: number,
): Promise<ExportPage> {
  const kinds = (["QUERY", "EVENT"] as const).filter((kind) => includes(filter, kind));
  if (kinds.length === 0) return { records: [], hasNextPage: false };
  const p = new Params();
  const limit = p.ref("limit", first + 1);
  let rows: { seq: number; record: LogRecord }[];
  const only = kinds.length === 1 ? ONE_KIND[kinds[0] as "QUERY" | "EVENT"] : null;
  if (only) {
    const cells = await db
      .prepare(
        `SELECT json_array(${only.columns}) FROM ${only.table} WHERE ${exportWhere(filter, only.table, afterSeq, p)} ORDER BY seq LIMIT ${limit}`,
      )
      .bind(...p.values)
      .raw<[string]>();
    rows = rowObjects<QueryRow & EventRow>(
      only.columns,
      cells.map(([json]) => JSON.parse(json)),
    ).map((row) => ({ seq: row.seq, record: only.record(row) }));
  } else {
    const branches = [
      `SELECT * FROM (SELECT ${EXPORT_QUERY_COLUMNS} FROM queries WHERE ${exportWhere(filter, "queries", afterSeq, p)} ORDER BY seq LIMIT ${limit})`,
      `SELECT * FROM (SELECT ${EXPORT_EVENT_COLUMNS} FROM events WHERE ${exportWhere(filter, "events", afterSeq, p)} ORDER BY seq LIMIT ${limit})`,
    ];
    const { results } = await db
      .prepare(`${branches.join(" UNION ALL ")} ORDER BY seq LIMIT ${limit}`)
      .bind(...p.values)
      .all<ExportRow>();
    rows = results.map((row) => ({ seq: row.seq, record: toLogRecord(row) }));
  }
  return {
    records: rows.slice(0, first).map((r) => new PageRecord(r.record, r.seq)),
    hasNextPage: rows.length > first,
  };
}
