import type { NewEvent } from "./store";

/**
 * An event's fields under their storage names (snake_case, the FastAPI
 * prototype's), shared by every adapter so the tables and collections cannot
 * drift apart. Adapters convert the values their storage needs (JSON text,
 * Dates) on top.
 */
export function eventColumns(e: NewEvent) {
  return {
    event_id: e.eventId,
    user_id: e.userId,
    session_id: e.sessionId,
    prolific_study_id: e.prolificStudyId,
    event_type: e.eventType,
    query: e.query,
    query_id: e.queryId,
    target_url: e.targetUrl,
    page_url: e.pageUrl,
    extra_data: e.extraData ?? null,
    client_time: e.clientTime,
  };
}
