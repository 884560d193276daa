import type { InputSignals } from "../signals/input-signals";
import type {
  Assignment,
  NewEvent,
  NewQuery,
  NewStudyDefinition,
  NewWithdrawal,
  Provenance,
  QueryRecord,
  ShownSource,
  Source,
  StudyTag,
  TokenUsage,
} from "./store";

/**
 * Records' fields under their storage names (snake_case, the FastAPI
 * prototype's), shared by every adapter so the tables and collections cannot
 * drift apart. Adapters convert the values their storage needs (JSON text,
 * Dates, 0/1) on top.
 */

/** The study fields every record carries. */
export function studyColumns(r: StudyTag) {
  return {
    study_id: r.studyId,
    condition: r.condition,
    study_version: r.studyVersion,
  };
}

/** The panel's ids bound to the participant's session, which every record carries. */
export function panelColumns(r: Pick<NewQuery, "panelParticipantId" | "panelSessionId">) {
  return {
    panel_participant_id: r.panelParticipantId,
    panel_session_id: r.panelSessionId,
  };
}

export function queryColumns(q: NewQuery) {
  return {
    query_id: q.id,
    conversation_id: q.conversationId,
    user_id: q.userId,
    session_id: q.sessionId,
    prolific_study_id: q.prolificStudyId,
    ...panelColumns(q),
    ...studyColumns(q),
    query: q.query,
    response: q.response,
    displayed_response: q.displayedResponse,
    sources: q.sources,
    model_sources: q.modelSources,
    model: q.model,
    provenance: q.provenance,
    latency_ms: q.latencyMs,
    ttft_ms: q.ttftMs,
    stopped: q.stopped,
    history_turns: q.historyTurns,
    error: q.error,
    client_time: q.clientTime,
    input_signals: q.inputSignals ?? null,
  };
}

/** Input signals as stored (the storage's JSON decoded): an object, else null. */
export function readInputSignals(stored: unknown): InputSignals | null {
  return stored !== null && typeof stored === "object" ? (stored as InputSignals) : null;
}

/**
 * An answer's token usage as columns (D1's queries.prompt_tokens ...,
 * migration 0006): all null when the provider reported none. The MongoDB
 * adapters keep them as one `usage` subdocument with these names, or null.
 */
export function usageColumns(u: TokenUsage | null) {
  return {
    prompt_tokens: u?.promptTokens ?? null,
    completion_tokens: u?.completionTokens ?? null,
    total_tokens: u?.totalTokens ?? null,
  };
}

/**
 * A query's presentation fields as stored (the storage's JSON decoded).
 * Queries stored before they were kept (migration 0004) were shown as the
 * model gave them: sources in its order, the text unchanged, no provenance.
 */
export function readPresentation(stored: {
  response: string | null;
  displayedResponse: unknown;
  sources: unknown;
  modelSources: unknown;
  provenance: unknown;
}): Pick<QueryRecord, "displayedResponse" | "sources" | "modelSources" | "provenance"> {
  const sources = (Array.isArray(stored.sources) ? stored.sources : []) as Partial<ShownSource>[];
  const shown = sources.map((s) => ({
    ...(s as Source),
    originalRank: s.originalRank === undefined ? (s.rank ?? null) : s.originalRank,
    injected: s.injected === true,
  }));
  const modelSources = Array.isArray(stored.modelSources)
    ? (stored.modelSources as Source[])
    : shown.map(({ originalRank: _o, injected: _i, ...s }) => s);
  return {
    displayedResponse:
      typeof stored.displayedResponse === "string" ? stored.displayedResponse : stored.response,
    sources: shown,
    modelSources,
    provenance:
      stored.provenance !== null && typeof stored.provenance === "object"
        ? (stored.provenance as Provenance)
        : null,
  };
}

export function eventColumns(e: NewEvent) {
  return {
    event_id: e.eventId,
    user_id: e.userId,
    session_id: e.sessionId,
    prolific_study_id: e.prolificStudyId,
    ...panelColumns(e),
    ...studyColumns(e),
    event_type: e.eventType,
    query: e.query,
    query_id: e.queryId,
    target_url: e.targetUrl,
    page_url: e.pageUrl,
    extra_data: e.extraData ?? null,
    client_time: e.clientTime,
  };
}

/** An assignment's fields as it is made (turns, assigned_at and finished_at are the store's). */
export function assignmentColumns(
  a: Pick<
    Assignment,
    "studyId" | "userId" | "condition" | "studyVersion" | "seq" | "panelParticipantId" | "linkedTo"
  >,
) {
  return {
    study_id: a.studyId,
    user_id: a.userId,
    condition: a.condition,
    study_version: a.studyVersion,
    seq: a.seq,
    panel_participant_id: a.panelParticipantId,
    linked_to: a.linkedTo,
  };
}

/** An audit entry's fields but its id (withdrawn_at and the counts are the store's). */
export function withdrawalColumns(w: NewWithdrawal) {
  return {
    study_id: w.studyId,
    study_version: w.studyVersion,
    condition: w.condition,
    panel_id_hmac: w.panelIdHmac,
    participant_hmac: w.participantHmac,
    by: w.by,
  };
}

/** A conversation's title: its first message, cut to at most this many characters (code points). */
export const TITLE_MAX_CHARS = 80;

export function conversationTitle(firstQuery: string): string {
  const chars = [...firstQuery];
  return chars.length <= TITLE_MAX_CHARS ? firstQuery : `${chars.slice(0, TITLE_MAX_CHARS - 1).join("")}…`;
}

/** A study definition's fields as it is registered (first_seen_at is the store's; the definition is JSON). */
export function studyDefinitionColumns(d: NewStudyDefinition) {
  return {
    study_id: d.studyId,
    version: d.version,
    hash: d.hash,
    definition: d.definition,
  };
}
