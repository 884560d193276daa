-- Participant identity (docs/decisions/007-participant-identity.md): every
-- record keeps the recruiting panel's participant and session ids (Prolific's
-- PROLIFIC_PID and SESSION_ID) bound to the participant's session, apart from
-- the participant id the server issues; a new session of the same panel
-- participant is linked to their first assignment (same condition, no arrival
-- number); a participant finishes once; a withdrawal leaves an audit entry
-- (no content, only counts and HMACs); budgets count deployment-wide uses
-- (e.g. the LLM calls of one hour).

ALTER TABLE queries ADD COLUMN panel_participant_id TEXT;
ALTER TABLE queries ADD COLUMN panel_session_id TEXT;
ALTER TABLE events ADD COLUMN panel_participant_id TEXT;
ALTER TABLE events ADD COLUMN panel_session_id TEXT;
-- The export filter panelParticipantIds in export order (panel_participant_id, seq),
-- and panelParticipantCounts from the index alone (user_id). Partial: records
-- without a panel id (most outside Prolific) cost the index nothing.
CREATE INDEX queries_panel_seq ON queries (panel_participant_id, seq, user_id)
  WHERE panel_participant_id IS NOT NULL;
CREATE INDEX events_panel_seq ON events (panel_participant_id, seq, user_id)
  WHERE panel_participant_id IS NOT NULL;

-- SQLite cannot drop NOT NULL, so assignments is rebuilt with seq nullable:
-- a linked participant takes no arrival number. UNIQUE (study_id, seq) still
-- holds for the numbers there are (SQLite's UNIQUE lets NULLs repeat). Every
-- existing row is kept, with its number.
CREATE TABLE assignments_new (
  study_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  condition TEXT NOT NULL,
  study_version INTEGER NOT NULL,
  seq INTEGER,
  turns INTEGER NOT NULL DEFAULT 0,
  assigned_at TEXT NOT NULL,
  panel_participant_id TEXT,
  -- The user_id whose assignment this one copies; NULL for one made in its own right.
  linked_to TEXT,
  finished_at TEXT,
  PRIMARY KEY (study_id, user_id),
  UNIQUE (study_id, seq),
  -- Exactly the linked assignments have no arrival number.
  CHECK ((seq IS NULL) = (linked_to IS NOT NULL))
);
INSERT INTO assignments_new (study_id, user_id, condition, study_version, seq, turns, assigned_at)
SELECT study_id, user_id, condition, study_version, seq, turns, assigned_at
FROM assignments;
DROP TABLE assignments;
ALTER TABLE assignments_new RENAME TO assignments;
-- findPanelAssignment (panel id, then study) and panelParticipantCounts (panel id, user_id).
CREATE INDEX assignments_panel ON assignments (panel_participant_id, study_id, user_id)
  WHERE panel_participant_id IS NOT NULL;

-- How many earlier turns (question and answer pairs) were sent to the model
-- with each message: the history is capped by size (api/answers/turn.ts), so
-- research can tell what the model saw. 0 for a first message, and for
-- queries stored before the column existed.
ALTER TABLE queries ADD COLUMN history_turns INTEGER NOT NULL DEFAULT 0;

-- The audit of withdrawals: who (as HMACs, never the ids), when (the
-- database's clock, like received_at), and how many records were deleted.
CREATE TABLE withdrawals (
  id TEXT PRIMARY KEY,
  study_id TEXT NOT NULL,
  study_version INTEGER NOT NULL,
  condition TEXT,
  panel_id_hmac TEXT,
  participant_hmac TEXT NOT NULL,
  by TEXT NOT NULL CHECK (by IN ('participant', 'researcher')),
  withdrawn_at TEXT NOT NULL,
  deleted_queries INTEGER NOT NULL,
  deleted_events INTEGER NOT NULL
);
-- isWithdrawn: either HMAC within a study.
CREATE INDEX withdrawals_participant ON withdrawals (study_id, participant_hmac);
CREATE INDEX withdrawals_panel ON withdrawals (study_id, panel_id_hmac)
  WHERE panel_id_hmac IS NOT NULL;

-- Deployment-wide counters (takeBudget): one row per key, counted up to a limit.
CREATE TABLE budgets (
  key TEXT PRIMARY KEY,
  used INTEGER NOT NULL
);
