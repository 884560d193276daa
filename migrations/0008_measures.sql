-- The monitor's participant measures (Store.studyMeasures, api/store/d1-measures.ts)
-- without reading every event of the study per request.
--
-- Scroll depth: each participant's deepest extraData.scrollDepth, read as one
-- seek per participant (the last entry of this index with the study and
-- participant fixed: ORDER BY the depth DESC LIMIT 1). The expression keeps
-- numbers from 0 to 1 only (a string, a boolean or a depth out of range is no
-- depth: NULL), so the query needs no range that would stop the seek;
-- d1-measures.ts must use the very same expression, or the planner does not
-- use the index. Partial: only SCROLL events of a study cost the index
-- anything (the query's study_id = ... implies study_id IS NOT NULL).
CREATE INDEX events_scroll_depth ON events (
  study_id,
  user_id,
  (CASE WHEN json_type(extra_data, '$.scrollDepth') IN ('integer', 'real')
      AND extra_data ->> '$.scrollDepth' BETWEEN 0 AND 1
    THEN extra_data ->> '$.scrollDepth' END)
) WHERE event_type = 'SCROLL' AND study_id IS NOT NULL;

-- Conversions: per study, participant and label (a string extraData.label),
-- how many CONVERSION events there are, kept by the triggers below on every
-- insert, delete (a withdrawal) and update of events, so the monitor counts
-- rows per participant, not events. A row whose count reaches 0 is deleted.
CREATE TABLE conversion_counts (
  study_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  label TEXT NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (study_id, user_id, label)
) WITHOUT ROWID;

CREATE TRIGGER conversion_counts_insert AFTER INSERT ON events
WHEN new.event_type = 'CONVERSION' AND new.study_id IS NOT NULL
  AND json_type(new.extra_data, '$.label') = 'text'
BEGIN
  INSERT INTO conversion_counts (study_id, user_id, label, events)
  VALUES (new.study_id, new.user_id, new.extra_data ->> '$.label', 1)
  ON CONFLICT (study_id, user_id, label) DO UPDATE SET events = events + 1;
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

-- Nothing updates events today; should anything, the counts follow: the old
-- row taken out, the new one put in.
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

CREATE TRIGGER conversion_counts_update_new AFTER UPDATE OF event_type, study_id, user_id, extra_data ON events
WHEN new.event_type = 'CONVERSION' AND new.study_id IS NOT NULL
  AND json_type(new.extra_data, '$.label') = 'text'
BEGIN
  INSERT INTO conversion_counts (study_id, user_id, label, events)
  VALUES (new.study_id, new.user_id, new.extra_data ->> '$.label', 1)
  ON CONFLICT (study_id, user_id, label) DO UPDATE SET events = events + 1;
END;

-- The events stored before this migration.
INSERT INTO conversion_counts (study_id, user_id, label, events)
SELECT study_id, user_id, extra_data ->> '$.label', COUNT(*)
FROM events
WHERE event_type = 'CONVERSION' AND study_id IS NOT NULL AND json_type(extra_data, '$.label') = 'text'
GROUP BY study_id, user_id, extra_data ->> '$.label';
