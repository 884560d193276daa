import type { IndexSpec } from "./collection";

/**
 * The indexes the MongoDB store needs: the export order and its filters,
 * conversations, arrival numbers, panel ids and the withdrawal audit. The
 * store creates them where it can (the driver); scripts/mongodb-indexes.js
 * makes the same ones for a database reached through the Data API, which
 * cannot (indexes.test.ts keeps the two equal).
 */
export const MONGO_INDEXES: IndexSpec[] = [
  { collection: "events", key: { event_id: 1 }, name: "event_id_1", unique: true },
  { collection: "events", key: { received_at: 1, _id: 1 }, name: "export_order" },
  { collection: "events", key: { user_id: 1, received_at: 1 }, name: "user_order" },
  { collection: "events", key: { session_id: 1, received_at: 1 }, name: "session_order" },
  { collection: "events", key: { event_type: 1, received_at: 1 }, name: "type_order" },
  { collection: "queries", key: { received_at: 1, _id: 1 }, name: "export_order" },
  { collection: "queries", key: { user_id: 1, received_at: 1 }, name: "user_order" },
  { collection: "queries", key: { session_id: 1, received_at: 1 }, name: "session_order" },
  {
    collection: "queries",
    key: { conversation_id: 1, user_id: 1, received_at: 1 },
    name: "conversation_order",
  },
  { collection: "events", key: { study_id: 1, received_at: 1 }, name: "study_order" },
  { collection: "events", key: { study_id: 1, condition: 1, received_at: 1 }, name: "study_condition_order" },
  { collection: "events", key: { user_id: 1, study_id: 1, received_at: 1 }, name: "user_study_order" },
  { collection: "queries", key: { study_id: 1, received_at: 1 }, name: "study_order" },
  {
    collection: "queries",
    key: { study_id: 1, condition: 1, received_at: 1 },
    name: "study_condition_order",
  },
  { collection: "queries", key: { user_id: 1, study_id: 1, received_at: 1 }, name: "user_study_order" },
  { collection: "assignment_slots", key: { study_id: 1, seq: 1 }, name: "study_seq" },
  { collection: "events", key: { panel_participant_id: 1, received_at: 1 }, name: "panel_order" },
  { collection: "queries", key: { panel_participant_id: 1, received_at: 1 }, name: "panel_order" },
  // studyMeasures: a study's SCROLL and CONVERSION events, by participant.
  { collection: "events", key: { study_id: 1, event_type: 1, user_id: 1 }, name: "study_type_user" },
  // An answer's clicks and exposure summaries (sourceClicks, sourceExposure, studyClickThrough).
  { collection: "events", key: { query_id: 1 }, name: "query_id" },
  // findPanelAssignment (panel id, then study) and panelParticipantCounts (panel id).
  { collection: "assignments", key: { panel_participant_id: 1, study_id: 1 }, name: "panel_study" },
  { collection: "withdrawals", key: { study_id: 1, withdrawn_at: 1 }, name: "study_order" },
  { collection: "withdrawals", key: { study_id: 1, participant_hmac: 1 }, name: "study_participant" },
  { collection: "withdrawals", key: { study_id: 1, panel_id_hmac: 1 }, name: "study_panel" },
  // studyDefinitions (by study, then version); unique like the `_id` it mirrors.
  {
    collection: "study_definitions",
    key: { study_id: 1, version: 1 },
    name: "study_version",
    unique: true,
  },
];
