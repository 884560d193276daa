import { usageOf } from "../domain/usage";
import { readPresentation } from "./columns";
import type { Assignment, EventRecord, EventType, LogRecord, QueryRecord, Withdrawal } from "./store";

/** Rows of the D1 tables (snake_case, as in migrations/) and their records. */

/** The database's own clock, in the format every stored time uses. */
export const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/**
 * The column names of a row (from columns.ts) and their numbered parameters
 * (?1, ?2, ...), for an INSERT that binds the row's values in that order: the
 * statement and its binds come from one list, so they cannot disagree.
 */
export function insertList(row: Record<string, string | number | null>): {
  names: string;
  params: string;
  values: (string | number | null)[];
} {
  const names = Object.keys(row);
  return {
    names: names.join(", "),
    params: names.map((_, i) => `?${i + 1}`).join(", "),
    values: Object.values(row),
  };
}

export type QueryRow = {
  seq: number;
  query_id: string;
  conversation_id: string;
  user_id: string;
  session_id: string;
  prolific_study_id: string | null;
  panel_participant_id: string | null;
  panel_session_id: string | null;
  study_id: string | null;
  condition: string | null;
  study_version: number | null;
  query: string;
  response: string | null;
  displayed_response: string | null;
  sources: string;
  model_sources: string | null;
  model: string;
  provenance: string | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  /** 0 or 1. */
  stopped: number;
  history_turns: number;
  error: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  client_time: string | null;
  received_at: string;
};

export type EventRow = {
  seq: number;
  event_id: string;
  user_id: string;
  session_id: string;
  prolific_study_id: string | null;
  panel_participant_id: string | null;
  panel_session_id: string | null;
  study_id: string | null;
  condition: string | null;
  study_version: number | null;
  event_type: EventType;
  query: string | null;
  query_id: string | null;
  target_url: string | null;
  page_url: string | null;
  extra_data: string | null;
  client_time: string | null;
  received_at: string;
};

export const QUERY_COLUMNS =
  "seq, query_id, conversation_id, user_id, session_id, prolific_study_id, panel_participant_id, panel_session_id, study_id, condition, study_version, query, response, displayed_response, sources, model_sources, model, provenance, latency_ms, ttft_ms, stopped, history_turns, error, prompt_tokens, completion_tokens, total_tokens, client_time, received_at";

/** The events table's columns as EventRow names them. */
export const EVENT_ROW_COLUMNS =
  "seq, event_id, user_id, session_id, prolific_study_id, panel_participant_id, panel_session_id, study_id, condition, study_version, event_type, query, query_id, target_url, page_url, extra_data, client_time, received_at";

/**
 * Rows as arrays of cells, in the order of `columns` (a SELECT list of
 * plain names), as objects keyed by those names: what `.all()` gives, made
 * a few times faster than `.all()` makes them (with Object.fromEntries).
 */
export function rowObjects<R>(columns: string, rows: unknown[][]): R[] {
  const names = columns.split(",").map((name) => name.trim());
  return rows.map((cells) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i] as string] = cells[i];
    return row as R;
  });
}

export type ExportRow = { kind: "QUERY" | "EVENT" } & Omit<
  QueryRow,
  "sources" | "model" | "conversation_id" | "stopped" | "history_turns"
> &
  Omit<EventRow, "event_id" | "event_type"> & {
    sources: string | null;
    model: string | null;
    conversation_id: string | null;
    stopped: number | null;
    history_turns: number | null;
    event_id: string | null;
    event_type: EventType | null;
  };

export type AssignmentRow = {
  study_id: string;
  user_id: string;
  condition: string;
  study_version: number;
  seq: number | null;
  turns: number;
  assigned_at: string;
  panel_participant_id: string | null;
  linked_to: string | null;
  finished_at: string | null;
  outcome: string | null;
};

export const ASSIGNMENT_COLUMNS =
  "study_id, user_id, condition, study_version, seq, turns, assigned_at, panel_participant_id, linked_to, finished_at, outcome";

export function toAssignment(row: AssignmentRow): Assignment {
  return {
    studyId: row.study_id,
    userId: row.user_id,
    condition: row.condition,
    studyVersion: row.study_version,
    seq: row.seq,
    turns: row.turns,
    assignedAt: row.assigned_at,
    panelParticipantId: row.panel_participant_id,
    linkedTo: row.linked_to,
    finishedAt: row.finished_at,
    outcome: row.outcome,
  };
}

export type WithdrawalRow = {
  id: string;
  study_id: string;
  study_version: number;
  condition: string | null;
  panel_id_hmac: string | null;
  participant_hmac: string;
  by: Withdrawal["by"];
  withdrawn_at: string;
  deleted_queries: number;
  deleted_events: number;
};

export const WITHDRAWAL_COLUMNS =
  "id, study_id, study_version, condition, panel_id_hmac, participant_hmac, by, withdrawn_at, deleted_queries, deleted_events";

export function toWithdrawal(row: WithdrawalRow): Withdrawal {
  return {
    id: row.id,
    studyId: row.study_id,
    studyVersion: row.study_version,
    condition: row.condition,
    panelIdHmac: row.panel_id_hmac,
    participantHmac: row.participant_hmac,
    by: row.by,
    withdrawnAt: row.withdrawn_at,
    deletedQueries: row.deleted_queries,
    deletedEvents: row.deleted_events,
  };
}

const parseJson = (json: string | null): unknown => (json ? JSON.parse(json) : null);

export function toQueryRecord(row: QueryRow): QueryRecord {
  return {
    kind: "QUERY",
    id: row.query_id,
    conversationId: row.conversation_id,
    userId: row.user_id,
    sessionId: row.session_id,
    prolificStudyId: row.prolific_study_id,
    panelParticipantId: row.panel_participant_id,
    panelSessionId: row.panel_session_id,
    studyId: row.study_id,
    condition: row.condition,
    studyVersion: row.study_version,
    query: row.query,
    response: row.response,
    ...readPresentation({
      response: row.response,
      displayedResponse: row.displayed_response,
      sources: parseJson(row.sources),
      modelSources: parseJson(row.model_sources),
      provenance: parseJson(row.provenance),
    }),
    model: row.model,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    stopped: row.stopped === 1,
    historyTurns: row.history_turns,
    error: row.error,
    usage: usageOf(row),
    clientTime: row.client_time,
    receivedAt: row.received_at,
  };
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    kind: "EVENT",
    id: row.event_id,
    eventId: row.event_id,
    userId: row.user_id,
    sessionId: row.session_id,
    prolificStudyId: row.prolific_study_id,
    panelParticipantId: row.panel_participant_id,
    panelSessionId: row.panel_session_id,
    studyId: row.study_id,
    condition: row.condition,
    studyVersion: row.study_version,
    eventType: row.event_type,
    query: row.query,
    queryId: row.query_id,
    targetUrl: row.target_url,
    pageUrl: row.page_url,
    extraData: row.extra_data === null ? null : JSON.parse(row.extra_data),
    clientTime: row.client_time,
    receivedAt: row.received_at,
  };
}

export function toLogRecord(row: ExportRow): LogRecord {
  if (row.kind === "QUERY") {
    return toQueryRecord({
      ...row,
      conversation_id: row.conversation_id ?? "",
      sources: row.sources ?? "[]",
      model: row.model ?? "",
      stopped: row.stopped ?? 0,
      history_turns: row.history_turns ?? 0,
      query: row.query ?? "",
    });
  }
  return toEventRecord({ ...row, event_id: row.event_id ?? "", event_type: row.event_type ?? "BROWSE" });
}
