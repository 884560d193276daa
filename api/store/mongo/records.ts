import { usageOf } from "../../domain/usage";
import { readPresentation } from "../columns";
import type { Assignment, EventRecord, QueryRecord, Withdrawal } from "../store";
import type { Doc } from "./collection";

/** Documents of the MongoDB collections (D1's snake_case names, native types) and their records. */

/**
 * Server time for a write: strictly increasing within this isolate, so two
 * writes of one isolate never share a millisecond and a later write always
 * sorts later.
 */
let lastWrite = 0;
export function writeTime(): Date {
  lastWrite = Math.max(Date.now(), lastWrite + 1);
  return new Date(lastWrite);
}

/**
 * MongoDB refuses field names that start with "$" or contain "." in some
 * places; extraData is the participant's and the tracker's, so such data is
 * kept as JSON text in `extra_data_json` instead of being refused and lost.
 */
function storableKeys(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(storableKeys);
  if (value === null || typeof value !== "object") return true;
  return Object.entries(value).every(
    ([k, v]) => !k.startsWith("$") && !k.includes(".") && !k.includes("\0") && storableKeys(v),
  );
}

export function extraDataFields(extraData: unknown): Doc {
  const value = extraData ?? null;
  return storableKeys(value)
    ? { extra_data: value }
    : { extra_data: null, extra_data_json: JSON.stringify(value) };
}

function readExtraData(doc: Doc): unknown {
  return typeof doc.extra_data_json === "string" ? JSON.parse(doc.extra_data_json) : (doc.extra_data ?? null);
}

export const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

/** The fields every record has. */
function recordBase(doc: Doc) {
  return {
    id: String(doc._id),
    userId: String(doc.user_id),
    sessionId: String(doc.session_id),
    prolificStudyId: text(doc.prolific_study_id),
    // Records stored before panel ids (or studies) existed have no such fields: null.
    panelParticipantId: text(doc.panel_participant_id),
    panelSessionId: text(doc.panel_session_id),
    studyId: text(doc.study_id),
    condition: text(doc.condition),
    studyVersion: num(doc.study_version),
    clientTime: iso(doc.client_time),
    receivedAt: iso(doc.received_at) ?? "",
  };
}

export function toQueryRecord(doc: Doc): QueryRecord {
  return {
    kind: "QUERY",
    ...recordBase(doc),
    conversationId: String(doc.conversation_id),
    query: String(doc.query),
    response: text(doc.response),
    ...readPresentation({
      response: text(doc.response),
      displayedResponse: doc.displayed_response,
      sources: doc.sources,
      modelSources: doc.model_sources,
      provenance: doc.provenance,
    }),
    model: String(doc.model),
    latencyMs: num(doc.latency_ms),
    ttftMs: num(doc.ttft_ms),
    stopped: doc.stopped === true,
    // Queries stored before the field existed were sent without a count: 0.
    historyTurns: num(doc.history_turns) ?? 0,
    error: text(doc.error),
    // Queries stored before usage was kept have no `usage`: null.
    usage: usageOf(doc.usage),
  };
}

export function toEventRecord(doc: Doc): EventRecord {
  return {
    kind: "EVENT",
    ...recordBase(doc),
    eventId: String(doc._id),
    eventType: doc.event_type as EventRecord["eventType"],
    query: text(doc.query),
    queryId: text(doc.query_id),
    targetUrl: text(doc.target_url),
    pageUrl: text(doc.page_url),
    extraData: readExtraData(doc),
  };
}

export function toAssignment(doc: Doc): Assignment {
  return {
    studyId: String(doc.study_id),
    userId: String(doc.user_id),
    condition: String(doc.condition),
    studyVersion: Number(doc.study_version),
    // Null for a linked assignment, which takes no arrival number.
    seq: num(doc.seq),
    turns: Number(doc.turns ?? 0),
    assignedAt: iso(doc.assigned_at) ?? "",
    panelParticipantId: text(doc.panel_participant_id),
    linkedTo: text(doc.linked_to),
    finishedAt: iso(doc.finished_at),
    // An assignment finished before outcomes were stored (no such field) was completed.
    outcome: text(doc.outcome) ?? (doc.finished_at ? "completed" : null),
  };
}

export function toWithdrawal(doc: Doc): Withdrawal {
  return {
    id: String(doc._id),
    studyId: String(doc.study_id),
    studyVersion: Number(doc.study_version),
    condition: text(doc.condition),
    panelIdHmac: text(doc.panel_id_hmac),
    participantHmac: String(doc.participant_hmac),
    by: doc.by === "researcher" ? "researcher" : "participant",
    withdrawnAt: iso(doc.withdrawn_at) ?? "",
    deletedQueries: Number(doc.deleted_queries),
    deletedEvents: Number(doc.deleted_events),
  };
}
