-- Studies (issue 4): every record says which study, condition and study
-- version it belongs to; assignments keep each participant's condition;
-- streamed answers keep their time to first token and whether the
-- participant stopped them; events gain the STUDY_STEP type.
--
-- SQLite cannot change a CHECK constraint, so events is rebuilt (same
-- columns, same seq values, so export cursors stay valid).

ALTER TABLE queries ADD COLUMN study_id TEXT;
ALTER TABLE queries ADD COLUMN condition TEXT;
ALTER TABLE queries ADD COLUMN study_version INTEGER;
ALTER TABLE queries ADD COLUMN ttft_ms INTEGER;
ALTER TABLE queries ADD COLUMN stopped INTEGER NOT NULL DEFAULT 0;
-- Export filters: studyIds alone (study_id, seq), with conditions (study_id, condition, seq).
CREATE INDEX queries_study_seq ON queries (study_id, seq);
CREATE INDEX queries_study_condition_seq ON queries (study_id, condition, seq);
CREATE INDEX queries_user_study ON queries (user_id, study_id, seq);

CREATE TABLE events_new (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  prolific_study_id TEXT,
  study_id TEXT,
  condition TEXT,
  study_version INTEGER,
  event_type TEXT NOT NULL CHECK (event_type IN ('BROWSE', 'CLICK', 'SCROLL', 'CONVERSION', 'STUDY_STEP')),
  query TEXT,
  query_id TEXT,
  target_url TEXT,
  page_url TEXT,
  extra_data TEXT,
  client_time TEXT,
  received_at TEXT NOT NULL
);
INSERT INTO events_new (seq, event_id, user_id, session_id, prolific_study_id, event_type, query, query_id,
  target_url, page_url, extra_data, client_time, received_at)
SELECT seq, event_id, user_id, session_id, prolific_study_id, event_type, query, query_id,
  target_url, page_url, extra_data, client_time, received_at
FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_user_seq ON events (user_id, seq);
CREATE INDEX events_session_seq ON events (session_id, seq);
CREATE INDEX events_type_seq ON events (event_type, seq);
CREATE INDEX events_query_id ON events (query_id);
CREATE INDEX events_received_at ON events (received_at);
CREATE INDEX events_study_seq ON events (study_id, seq);
CREATE INDEX events_study_condition_seq ON events (study_id, condition, seq);
CREATE INDEX events_user_study ON events (user_id, study_id);

CREATE TABLE assignments (
  study_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  condition TEXT NOT NULL,
  study_version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  turns INTEGER NOT NULL DEFAULT 0,
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (study_id, user_id),
  UNIQUE (study_id, seq)
);
