// Creates the indexes the MongoDB store relies on, for deployments that use
// the Data API (which has no action to create them). Idempotent. Run once:
//   mongosh "<connection string>/<database>" scripts/mongodb-indexes.js
// The list mirrors MONGO_INDEXES in api/store/mongo/indexes.ts.
const indexes = {
  events: [
    [{ event_id: 1 }, { name: "event_id_1", unique: true }],
    [{ received_at: 1, _id: 1 }, { name: "export_order" }],
    [{ user_id: 1, received_at: 1 }, { name: "user_order" }],
    [{ session_id: 1, received_at: 1 }, { name: "session_order" }],
    [{ event_type: 1, received_at: 1 }, { name: "type_order" }],
    [{ study_id: 1, received_at: 1 }, { name: "study_order" }],
    [{ study_id: 1, condition: 1, received_at: 1 }, { name: "study_condition_order" }],
    [{ user_id: 1, study_id: 1, received_at: 1 }, { name: "user_study_order" }],
    [{ panel_participant_id: 1, received_at: 1 }, { name: "panel_order" }],
    [{ study_id: 1, event_type: 1, user_id: 1 }, { name: "study_type_user" }],
    [{ query_id: 1 }, { name: "query_id" }],
  ],
  queries: [
    [{ received_at: 1, _id: 1 }, { name: "export_order" }],
    [{ user_id: 1, received_at: 1 }, { name: "user_order" }],
    [{ session_id: 1, received_at: 1 }, { name: "session_order" }],
    [{ conversation_id: 1, user_id: 1, received_at: 1 }, { name: "conversation_order" }],
    [{ study_id: 1, received_at: 1 }, { name: "study_order" }],
    [{ study_id: 1, condition: 1, received_at: 1 }, { name: "study_condition_order" }],
    [{ user_id: 1, study_id: 1, received_at: 1 }, { name: "user_study_order" }],
    [{ panel_participant_id: 1, received_at: 1 }, { name: "panel_order" }],
  ],
  // Unique per participant by _id; looked up by panel id (findPanelAssignment, panelParticipantCounts).
  assignments: [[{ panel_participant_id: 1, study_id: 1 }, { name: "panel_study" }]],
  // Arrival numbers are counted per study.
  assignment_slots: [[{ study_id: 1, seq: 1 }, { name: "study_seq" }]],
  withdrawals: [
    [{ study_id: 1, withdrawn_at: 1 }, { name: "study_order" }],
    [{ study_id: 1, participant_hmac: 1 }, { name: "study_participant" }],
    [{ study_id: 1, panel_id_hmac: 1 }, { name: "study_panel" }],
  ],
  // Unique per (study, version) by _id; listed by study, then version.
  study_definitions: [
    [
      { study_id: 1, version: 1 },
      { name: "study_version", unique: true },
    ],
  ],
  // budgets need no index but _id's.
};
for (const [collection, specs] of Object.entries(indexes)) {
  for (const [key, options] of specs) db.getCollection(collection).createIndex(key, options);
  print(`${collection}: ${db.getCollection(collection).getIndexes().length} indexes`);
}
