-- Attention checks (issue 12): the server records each reply to a study's
-- attention check as an ATTENTION_CHECK event (api/attention/). Participants
-- cannot send that type through logEvents; the events table's CHECK takes it.
--
-- SQLite cannot change a CHECK constraint, so events is rebuilt as
-- 0002_studies.sql did (same columns, same seq values, so export cursors stay
-- valid), and its indexes and triggers (0001, 0002, 0003, 0007, 0008, 0009)
-- are created again on the new table. The triggers are created after the copy:
-- the rollups they keep already count the copied rows.

CREATE TABLE events_new (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  prolific_study_id TEXT,
  study_id TEXT,
  condition TEXT,
  study_version INTEGER,
  event_type TEXT NOT NULL CHECK (event_type IN ('BROWSE', 'CLICK', 'SCROLL', 'CONVERSION', 'STUDY_STEP', 'ATTENTION_CHECK')),
  query TEXT,
  query_id TEXT,
  target_url TEXT,
  page_url TEXT,
  extra_data TEXT,
  client_time TEXT,
  received_at TEXT NOT NULL,
  panel_participant_id TEXT,
  panel_session_id TEXT
);
INSERT INTO events_new (seq, event_id, user_id, session_id, prolific_study_id, study_id, condition, study_version, event_type, query, query_id, target_url, page_url, extra_data, client_time, received_at, panel_participant_id, panel_session_id)
SELECT seq, event_id, user_id, session_id, prolific_study_id, study_id, condition, study_version, event_type, query, query_id, target_url, page_url, extra_data, client_time, received_at, panel_participant_id, panel_session_id
FROM events;
-- A trigger on queries reads events: it must go while events is replaced.
DROP TRIGGER click_through_answer_added;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_panel_seq ON events (panel_participant_id, seq, user_id)
  WHERE panel_participant_id IS NOT NULL;
CREATE INDEX events_query_id ON events (query_id);
CREATE INDEX events_received_at ON events (received_at);
CREATE INDEX events_scroll_depth ON events (
  study_id,
  user_id,
  (CASE WHEN json_type(extra_data, '$.scrollDepth') IN ('integer', 'real')
      AND extra_data ->> '$.scrollDepth' BETWEEN 0 AND 1
    THEN extra_data ->> '$.scrollDepth' END)
) WHERE event_type = 'SCROLL' AND study_id IS NOT NULL;
CREATE INDEX events_session_seq ON events (session_id, seq);
CREATE INDEX events_study_condition_seq ON events (study_id, condition, seq);
CREATE INDEX events_study_seq ON events (study_id, seq);
CREATE INDEX events_type_seq ON events (event_type, seq);
CREATE INDEX events_user_seq ON events (user_id, seq);
CREATE INDEX events_user_study ON events (user_id, study_id);

CREATE TRIGGER click_through_click_added AFTER INSERT ON events
WHEN NEW.event_type = 'CLICK' AND NEW.query_id IS NOT NULL AND NEW.target_url IS NOT NULL
BEGIN
  UPDATE click_through_sources SET clicks = clicks + 1
  WHERE query_id = NEW.query_id AND url = NEW.target_url;
END;

CREATE TRIGGER click_through_click_removed AFTER DELETE ON events
WHEN OLD.event_type = 'CLICK' AND OLD.query_id IS NOT NULL AND OLD.target_url IS NOT NULL
BEGIN
  UPDATE click_through_sources SET clicks = clicks - 1
  WHERE query_id = OLD.query_id AND url = OLD.target_url;
END;

CREATE TRIGGER click_through_exposure_added AFTER INSERT ON events
WHEN NEW.event_type = 'BROWSE' AND NEW.query_id IS NOT NULL AND NEW.extra_data ->> '$.kind' = 'exposure'
BEGIN
  UPDATE click_through_sources SET exposures = exposures + 1
  WHERE query_id = NEW.query_id AND EXISTS (SELECT 1 FROM json_each(NEW.extra_data, '$.sources') AS x
    WHERE CASE WHEN x.type = 'object' THEN x.value ->> '$.rank' = click_through_sources.rank
      AND x.value ->> '$.url' = click_through_sources.url AND typeof(x.value ->> '$.visibleMs') IN ('integer', 'real')
          AND x.value ->> '$.visibleMs' > 0 ELSE 0 END);
END;

CREATE TRIGGER click_through_exposure_removed AFTER DELETE ON events
WHEN OLD.event_type = 'BROWSE' AND OLD.query_id IS NOT NULL AND OLD.extra_data ->> '$.kind' = 'exposure'
BEGIN
  UPDATE click_through_sources SET exposures = exposures - 1
  WHERE query_id = OLD.query_id AND EXISTS (SELECT 1 FROM json_each(OLD.extra_data, '$.sources') AS x
    WHERE CASE WHEN x.type = 'object' THEN x.value ->> '$.rank' = click_through_sources.rank
      AND x.value ->> '$.url' = click_through_sources.url AND typeof(x.value ->> '$.visibleMs') IN ('integer', 'real')
          AND x.value ->> '$.visibleMs' > 0 ELSE 0 END);
END;

CREATE TRIGGER conversion_counts_delete AFTER DELETE ON events
WHEN old.event_type = 'CONVERSION' AND old.study_id IS NOT NULL
  AND json_type(old.extra_data, '$.label') = 'text'
BEGIN
  UPDATE conversion_counts SET events = events - 1
  WHERE study_id = old.study_id AND user_id = old.user_id AND label = old.extra_data ->> '$.label';
  DELETE FROM conversion_counts
  WHERE study_id = old.study_id AND user_id = old.user_id AND label = old.extra_data ->> '$.label'
    AND events <= 0;
END;

CREATE TRIGGER conversion_counts_insert AFTER INSERT ON events
WHEN new.event_type = 'CONVERSION' AND new.study_id IS NOT NULL
  AND json_type(new.extra_data, '$.label') = 'text'
BEGIN
  INSERT INTO conversion_counts (study_id, user_id, label, events)
  VALUES (new.study_id, new.user_id, new.extra_data ->> '$.label', 1)
  ON CONFLICT (study_id, user_id, label) DO UPDATE SET events = events + 1;
END;

CREATE TRIGGER conversion_counts_update_new AFTER UPDATE OF event_type, study_id, user_id, extra_data ON events
WHEN new.event_type = 'CONVERSION' AND new.study_id IS NOT NULL
  AND json_type(new.extra_data, '$.label') = 'text'
BEGIN
  INSERT INTO conversion_counts (study_id, user_id, label, events)
  VALUES (new.study_id, new.user_id, new.extra_data ->> '$.label', 1)
  ON CONFLICT (study_id, user_id, label) DO UPDATE SET events = events + 1;
END;

CREATE TRIGGER conversion_counts_update_old AFTER UPDATE OF event_type, study_id, user_id, extra_data ON events
WHEN old.event_type = 'CONVERSION' AND old.study_id IS NOT NULL
  AND json_type(old.extra_data, '$.label') = 'text'
BEGIN
  UPDATE conversion_counts SET events = events - 1
  WHERE study_id = old.study_id AND user_id = old.user_id AND label = old.extra_data ->> '$.label';
  DELETE FROM conversion_counts
  WHERE study_id = old.study_id AND user_id = old.user_id AND label = old.extra_data ->> '$.label'
    AND events <= 0;
END;

CREATE TRIGGER events_consent_delete AFTER DELETE ON events
WHEN CASE WHEN OLD.event_type = 'STUDY_STEP' AND OLD.study_id IS NOT NULL AND json_valid(OLD.extra_data)
  THEN OLD.extra_data ->> '$.step' END IN ('consent_shown', 'consent_declined')
BEGIN
  UPDATE consent_counts SET shown = shown - (OLD.extra_data ->> '$.step' = 'consent_shown'),
    declined = declined - (OLD.extra_data ->> '$.step' = 'consent_declined')
  WHERE study_id = OLD.study_id AND user_id = OLD.user_id;
  DELETE FROM consent_counts
  WHERE study_id = OLD.study_id AND user_id = OLD.user_id AND shown = 0 AND declined = 0;
END;

CREATE TRIGGER events_consent_insert AFTER INSERT ON events
WHEN CASE WHEN NEW.event_type = 'STUDY_STEP' AND NEW.study_id IS NOT NULL AND json_valid(NEW.extra_data)
  THEN NEW.extra_data ->> '$.step' END IN ('consent_shown', 'consent_declined')
BEGIN
  INSERT INTO consent_counts (study_id, user_id, shown, declined)
  VALUES (NEW.study_id, NEW.user_id, NEW.extra_data ->> '$.step' = 'consent_shown',
    NEW.extra_data ->> '$.step' = 'consent_declined')
  ON CONFLICT DO UPDATE SET shown = shown + excluded.shown, declined = declined + excluded.declined;
END;

CREATE TRIGGER events_rollup_delete AFTER DELETE ON events
BEGIN
  UPDATE hourly_counts SET n = n - 1
  WHERE study_id = IFNULL(OLD.study_id, '') AND condition = IFNULL(OLD.condition, '')
    AND kind = OLD.event_type AND hour = substr(OLD.received_at, 1, 13);
  DELETE FROM hourly_counts
  WHERE study_id = IFNULL(OLD.study_id, '') AND condition = IFNULL(OLD.condition, '')
    AND kind = OLD.event_type AND hour = substr(OLD.received_at, 1, 13) AND n = 0;
END;

CREATE TRIGGER events_rollup_insert AFTER INSERT ON events
BEGIN
  INSERT INTO hourly_counts (study_id, condition, kind, hour, n)
  VALUES (IFNULL(NEW.study_id, ''), IFNULL(NEW.condition, ''), NEW.event_type, substr(NEW.received_at, 1, 13), 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER click_through_answer_added AFTER INSERT ON queries
WHEN NEW.study_id IS NOT NULL AND NEW.condition IS NOT NULL
  AND COALESCE(NEW.provenance ->> '$.sourcesShown', 1) <> 0
BEGIN
  INSERT INTO click_through_sources
    (query_id, rank, original_rank, url, study_id, condition, clicks, exposures)
  SELECT NEW.query_id, s.value ->> '$.rank', s.value ->> '$.originalRank', s.value ->> '$.url',
    NEW.study_id, NEW.condition,
    (SELECT count(*) FROM events AS c
      WHERE c.query_id = NEW.query_id AND c.event_type = 'CLICK' AND c.target_url = s.value ->> '$.url'),
    (SELECT count(*) FROM events AS e
      WHERE e.query_id = NEW.query_id AND e.event_type = 'BROWSE' AND e.extra_data ->> '$.kind' = 'exposure'
        AND EXISTS (SELECT 1 FROM json_each(e.extra_data, '$.sources') AS x
          WHERE CASE WHEN x.type = 'object' THEN x.value ->> '$.rank' = s.value ->> '$.rank'
            AND x.value ->> '$.url' = s.value ->> '$.url' AND typeof(x.value ->> '$.visibleMs') IN ('integer', 'real')
          AND x.value ->> '$.visibleMs' > 0 ELSE 0 END))
  FROM json_each(NEW.sources) AS s
  WHERE s.type = 'object' AND s.value ->> '$.rank' IS NOT NULL AND s.value ->> '$.url' IS NOT NULL
  ON CONFLICT (query_id, rank) DO NOTHING;
END;
