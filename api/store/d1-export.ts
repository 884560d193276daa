import { encodeCursor } from "./cursor";
import { type ExportRow, toLogRecord } from "./d1-rows";
import type { ExportFilter, ExportPage } from "./store";

/*
 * The export's SQL on D1: one statement per page over both tables, keyset
 * on the shared sequence (docs/decisions/002-export-order.md).
 */

/** Both kinds as one row shape, so one statement can page over both in order. */
const EXPORT_QUERY_COLUMNS = `'QUERY' AS kind, seq, query_id, conversation_id, user_id, session_id, prolific_study_id,
  panel_participant_id, panel_session_id, study_id, condition, study_version,
  query, response, displayed_response, sources, model_sources, model, provenance, latency_ms, ttft_ms, stopped,
  history_turns, error, prompt_tokens, completion_tokens, total_tokens, client_time, received_at,
  NULL AS event_id, NULL AS event_type, NULL AS target_url, NULL AS page_url, NULL AS extra_data`;
const EXPORT_EVENT_COLUMNS = `'EVENT' AS kind, seq, query_id, NULL AS conversation_id, user_id, session_id, prolific_study_id,
  panel_participant_id, panel_session_id, study_id, condition, study_version,
  query, NULL AS response, NULL AS displayed_response, NULL AS sources, NULL AS model_sources, NULL AS model,
  NULL AS provenance, NULL AS latency_ms, NULL AS ttft_ms, NULL AS stopped,
  NULL AS history_turns, NULL AS error, NULL AS prompt_tokens, NULL AS completion_tokens, NULL AS total_tokens,
  client_time, received_at,
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

/**
 * One page after `afterSeq`. Each branch walks its table in seq order from
 * the cursor and stops after one page, so a late page costs what the first does.
 */
export async function exportPage(
  db: D1Database,
  filter: ExportFilter,
  first: number,
  afterSeq: number,
): Promise<ExportPage> {
  const p = new Params();
  const limit = p.ref("limit", first + 1);
  const branches: string[] = [];
  if (includes(filter, "QUERY")) {
    branches.push(
      `SELECT * FROM (SELECT ${EXPORT_QUERY_COLUMNS} FROM queries WHERE ${exportWhere(filter, "queries", afterSeq, p)} ORDER BY seq LIMIT ${limit})`,
    );
  }
  if (includes(filter, "EVENT")) {
    branches.push(
      `SELECT * FROM (SELECT ${EXPORT_EVENT_COLUMNS} FROM events WHERE ${exportWhere(filter, "events", afterSeq, p)} ORDER BY seq LIMIT ${limit})`,
    );
  }
  if (branches.length === 0) return { records: [], hasNextPage: false };
  const { results } = await db
    .prepare(`${branches.join(" UNION ALL ")} ORDER BY seq LIMIT ${limit}`)
    .bind(...p.values)
    .all<ExportRow>();
  const page = results.slice(0, first);
  return {
    records: page.map((row) => ({ cursor: encodeCursor(row.seq), record: toLogRecord(row) })),
    hasNextPage: results.length > first,
  };
}
