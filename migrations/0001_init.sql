-- Storage for the study log. Field names are the prototype's (snake_case), so
-- researchers' existing scripts keep working. Times are ISO-8601 UTC strings
-- with milliseconds, set by the database when a record is stored.
--
-- `seq` is one sequence shared by both tables (see counters): it is the export
-- order, and since it is taken inside the writing transaction, a record
-- stored later always sorts later. Keyset cursors page over it, so pages stay
-- consistent while new records arrive (docs/decisions/002-export-order.md).

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('log_seq', 0);

CREATE TABLE queries (
  seq INTEGER PRIMARY KEY,
  query_id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  prolific_study_id TEXT,
  query TEXT NOT NULL,
  response TEXT,
  sources TEXT NOT NULL DEFAULT '[]',
  model TEXT NOT NULL,
  latency_ms INTEGER,
  error TEXT,
  client_time TEXT,
  received_at TEXT NOT NULL
);
CREATE INDEX queries_user_seq ON queries (user_id, seq);
CREATE INDEX queries_session_seq ON queries (session_id, seq);
CREATE INDEX queries_conversation_seq ON queries (conversation_id, seq);
CREATE INDEX queries_received_at ON queries (received_at);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  prolific_study_id TEXT,
  event_type TEXT NOT NULL CHECK (event_type IN ('BROWSE', 'CLICK', 'SCROLL', 'CONVERSION')),
  query TEXT,
  query_id TEXT,
  target_url TEXT,
  page_url TEXT,
  extra_data TEXT,
  client_time TEXT,
  received_at TEXT NOT NULL
);
CREATE INDEX events_user_seq ON events (user_id, seq);
CREATE INDEX events_session_seq ON events (session_id, seq);
CREATE INDEX events_type_seq ON events (event_type, seq);
CREATE INDEX events_query_id ON events (query_id);
CREATE INDEX events_received_at ON events (received_at);
