-- Rollups (issue 11, docs/decisions/015-monitor-rollups.md): counts that the
-- study monitor and the export's totalCount read instead of counting the
-- records, kept by triggers in the same transaction as every insert into and
-- delete from queries and events (a withdrawal deletes records; nothing
-- updates them). Each table holds a row only while its counts are above 0.
-- In hourly_counts, '' stands for no study or no condition (NULL on the
-- record): study and condition ids are slugs, never empty.
--
-- A migration that rebuilds queries or events (DROP TABLE) drops their
-- triggers with them: it must create them again.

-- Records per study, condition, kind ('QUERY' or the event type) and hour of
-- received_at (its first 13 characters, 2026-01-31T13).
CREATE TABLE hourly_counts (
  study_id TEXT NOT NULL,
  condition TEXT NOT NULL,
  kind TEXT NOT NULL,
  hour TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (study_id, condition, kind, hour)
) WITHOUT ROWID;

-- Per participant of a study: how many consent_shown and consent_declined steps they logged.
CREATE TABLE consent_counts (
  study_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  shown INTEGER NOT NULL,
  declined INTEGER NOT NULL,
  PRIMARY KEY (study_id, user_id)
) WITHOUT ROWID;

-- Per participant of a study's condition: their answers, failed answers,
-- stopped answers, answers with a latency and with a time to first token
-- (the medians' counts), and the tokens the provider reported (answers with
-- any usage, and the sums of its counts, a missing count adding 0).
CREATE TABLE answer_counts (
  study_id TEXT NOT NULL,
  condition TEXT NOT NULL,
  user_id TEXT NOT NULL,
  answers INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  stopped INTEGER NOT NULL,
  with_latency INTEGER NOT NULL,
  with_ttft INTEGER NOT NULL,
  with_usage INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  PRIMARY KEY (study_id, condition, user_id)
) WITHOUT ROWID;

-- The medians: a condition's values in order, read from the middle (LIMIT and OFFSET).
CREATE INDEX queries_study_condition_latency ON queries (study_id, condition, latency_ms);
CREATE INDEX queries_study_condition_ttft ON queries (study_id, condition, ttft_ms);

CREATE TRIGGER queries_rollup_insert AFTER INSERT ON queries
BEGIN
  INSERT INTO hourly_counts (study_id, condition, kind, hour, n)
  VALUES (IFNULL(NEW.study_id, ''), IFNULL(NEW.condition, ''), 'QUERY', substr(NEW.received_at, 1, 13), 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO answer_counts (study_id, condition, user_id, answers, failures, stopped, with_latency, with_ttft,
    with_usage, prompt_tokens, completion_tokens, total_tokens)
  SELECT NEW.study_id, NEW.condition, NEW.user_id, 1, NEW.error IS NOT NULL, NEW.stopped <> 0,
    NEW.latency_ms IS NOT NULL, NEW.ttft_ms IS NOT NULL,
    COALESCE(NEW.prompt_tokens, NEW.completion_tokens, NEW.total_tokens) IS NOT NULL,
    IFNULL(NEW.prompt_tokens, 0), IFNULL(NEW.completion_tokens, 0), IFNULL(NEW.total_tokens, 0)
  WHERE NEW.study_id IS NOT NULL AND NEW.condition IS NOT NULL
  ON CONFLICT DO UPDATE SET answers = answers + 1, failures = failures + excluded.failures,
    stopped = stopped + excluded.stopped, with_latency = with_latency + excluded.with_latency,
    with_ttft = with_ttft + excluded.with_ttft, with_usage = with_usage + excluded.with_usage,
    prompt_tokens = prompt_tokens + excluded.prompt_tokens,
    completion_tokens = completion_tokens + excluded.completion_tokens,
    total_tokens = total_tokens + excluded.total_tokens;
END;

CREATE TRIGGER queries_rollup_delete AFTER DELETE ON queries
BEGIN
  UPDATE hourly_counts SET n = n - 1
  WHERE study_id = IFNULL(OLD.study_id, '') AND condition = IFNULL(OLD.condition, '')
    AND kind = 'QUERY' AND hour = substr(OLD.received_at, 1, 13);
  DELETE FROM hourly_counts
  WHERE study_id = IFNULL(OLD.study_id, '') AND condition = IFNULL(OLD.condition, '')
    AND kind = 'QUERY' AND hour = substr(OLD.received_at, 1, 13) AND n = 0;
  UPDATE answer_counts SET answers = answers - 1, failures = failures - (OLD.error IS NOT NULL),
    stopped = stopped - (OLD.stopped <> 0), with_latency = with_latency - (OLD.latency_ms IS NOT NULL),
    with_ttft = with_ttft - (OLD.ttft_ms IS NOT NULL),
    with_usage = with_usage - (COALESCE(OLD.prompt_tokens, OLD.completion_tokens, OLD.total_tokens) IS NOT NULL),
    prompt_tokens = prompt_tokens - IFNULL(OLD.prompt_tokens, 0),
    completion_tokens = completion_tokens - IFNULL(OLD.completion_tokens, 0),
    total_tokens = total_tokens - IFNULL(OLD.total_tokens, 0)
  WHERE study_id = OLD.study_id AND condition = OLD.condition AND user_id = OLD.user_id;
  DELETE FROM answer_counts
  WHERE study_id = OLD.study_id AND condition = OLD.condition AND user_id = OLD.user_id AND answers = 0;
END;

CREATE TRIGGER events_rollup_insert AFTER INSERT ON events
BEGIN
  INSERT INTO hourly_counts (study_id, condition, kind, hour, n)
  VALUES (IFNULL(NEW.study_id, ''), IFNULL(NEW.condition, ''), NEW.event_type, substr(NEW.received_at, 1, 13), 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
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

-- The consent steps: STUDY_STEP events whose extra_data is a JSON object with that step.
CREATE TRIGGER events_consent_insert AFTER INSERT ON events
WHEN CASE WHEN NEW.event_type = 'STUDY_STEP' AND NEW.study_id IS NOT NULL AND json_valid(NEW.extra_data)
  THEN NEW.extra_data ->> '$.step' END IN ('consent_shown', 'consent_declined')
BEGIN
  INSERT INTO consent_counts (study_id, user_id, shown, declined)
  VALUES (NEW.study_id, NEW.user_id, NEW.extra_data ->> '$.step' = 'consent_shown',
    NEW.extra_data ->> '$.step' = 'consent_declined')
  ON CONFLICT DO UPDATE SET shown = shown + excluded.shown, declined = declined + excluded.declined;
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

-- The counts of the records stored before this migration.
INSERT INTO hourly_counts (study_id, condition, kind, hour, n)
SELECT IFNULL(study_id, ''), IFNULL(condition, ''), 'QUERY', substr(received_at, 1, 13), COUNT(*)
FROM queries GROUP BY 1, 2, 4;
INSERT INTO hourly_counts (study_id, condition, kind, hour, n)
SELECT IFNULL(study_id, ''), IFNULL(condition, ''), event_type, substr(received_at, 1, 13), COUNT(*)
FROM events GROUP BY 1, 2, 3, 4;
INSERT INTO answer_counts (study_id, condition, user_id, answers, failures, stopped, with_latency, with_ttft,
  with_usage, prompt_tokens, completion_tokens, total_tokens)
SELECT study_id, condition, user_id, COUNT(*), COUNT(error), SUM(stopped <> 0), COUNT(latency_ms), COUNT(ttft_ms),
  COUNT(COALESCE(prompt_tokens, completion_tokens, total_tokens)), IFNULL(SUM(prompt_tokens), 0),
  IFNULL(SUM(completion_tokens), 0), IFNULL(SUM(total_tokens), 0)
FROM queries WHERE study_id IS NOT NULL AND condition IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO consent_counts (study_id, user_id, shown, declined)
SELECT study_id, user_id, SUM(extra_data ->> '$.step' = 'consent_shown'), SUM(extra_data ->> '$.step' = 'consent_declined')
FROM events
WHERE CASE WHEN event_type = 'STUDY_STEP' AND study_id IS NOT NULL AND json_valid(extra_data)
  THEN extra_data ->> '$.step' END IN ('consent_shown', 'consent_declined')
GROUP BY 1, 2;
