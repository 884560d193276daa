-- Click-through of the sources shown, per study, condition and rank, kept up
-- to date by triggers as answers and events are stored and deleted, so the
-- monitor reads a few counters instead of every answer's sources and every
-- exposure event (docs/research.md#click-through).
--
-- click_through_sources: one row per source shown with an answer of a study
-- and condition whose sources were shown (provenance.sourcesShown not false),
-- with how many CLICK events carry the answer's query_id and the source's URL
-- (as the `sources` download counts clicks) and how many exposure summaries
-- (BROWSE, extraData.kind "exposure") list its rank and URL with a number
-- visibleMs > 0.
-- click_through_counts: per (study, condition, axis, rank), axis "displayed"
-- (the rank shown) or "original" (the model's; none for an injected source),
-- how many of those sources are shown, seen (exposures > 0), clicked
-- (clicks > 0), and both.

CREATE TABLE click_through_sources (
  query_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  original_rank INTEGER,
  url TEXT NOT NULL,
  study_id TEXT NOT NULL,
  condition TEXT NOT NULL,
  clicks INTEGER NOT NULL DEFAULT 0,
  exposures INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (query_id, rank)
) WITHOUT ROWID;

CREATE TABLE click_through_counts (
  study_id TEXT NOT NULL,
  condition TEXT NOT NULL,
  axis TEXT NOT NULL CHECK (axis IN ('displayed', 'original')),
  rank INTEGER NOT NULL,
  shown INTEGER NOT NULL DEFAULT 0,
  seen INTEGER NOT NULL DEFAULT 0,
  clicked INTEGER NOT NULL DEFAULT 0,
  seen_clicked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (study_id, condition, axis, rank)
) WITHOUT ROWID;

-- The counters follow the sources' rows: a new row adds itself, a deleted
-- one takes itself away, a change of clicks or exposures moves the flags.
-- (An upsert after a SELECT needs its WHERE, or SQLite reads ON as a join's.)
CREATE TRIGGER click_through_source_added AFTER INSERT ON click_through_sources
BEGIN
  INSERT INTO click_through_counts (study_id, condition, axis, rank, shown, seen, clicked, seen_clicked)
  SELECT NEW.study_id, NEW.condition, a.axis, a.rank, 1, NEW.exposures > 0, NEW.clicks > 0,
    NEW.exposures > 0 AND NEW.clicks > 0
  FROM (SELECT 'displayed' AS axis, NEW.rank AS rank UNION ALL SELECT 'original', NEW.original_rank) AS a
  WHERE a.rank IS NOT NULL
  ON CONFLICT (study_id, condition, axis, rank) DO UPDATE SET
    shown = shown + excluded.shown, seen = seen + excluded.seen,
    clicked = clicked + excluded.clicked, seen_clicked = seen_clicked + excluded.seen_clicked;
END;

CREATE TRIGGER click_through_source_removed AFTER DELETE ON click_through_sources
BEGIN
  UPDATE click_through_counts SET shown = shown - 1, seen = seen - (OLD.exposures > 0),
    clicked = clicked - (OLD.clicks > 0), seen_clicked = seen_clicked - (OLD.exposures > 0 AND OLD.clicks > 0)
  WHERE study_id = OLD.study_id AND condition = OLD.condition
    AND ((axis = 'displayed' AND rank = OLD.rank) OR (axis = 'original' AND rank = OLD.original_rank));
END;

CREATE TRIGGER click_through_source_changed AFTER UPDATE OF clicks, exposures ON click_through_sources
WHEN (NEW.clicks > 0) <> (OLD.clicks > 0) OR (NEW.exposures > 0) <> (OLD.exposures > 0)
BEGIN
  UPDATE click_through_counts SET seen = seen + (NEW.exposures > 0) - (OLD.exposures > 0),
    clicked = clicked + (NEW.clicks > 0) - (OLD.clicks > 0),
    seen_clicked = seen_clicked + (NEW.exposures > 0 AND NEW.clicks > 0) - (OLD.exposures > 0 AND OLD.clicks > 0)
  WHERE study_id = NEW.study_id AND condition = NEW.condition
    AND ((axis = 'displayed' AND rank = NEW.rank) OR (axis = 'original' AND rank = NEW.original_rank));
END;

-- The answers stored so far. An answer's clicks and exposures are counted
-- from its events (events_query_id), here and when an answer is stored after
-- some of its events. A summary's entries are read only when they are
-- objects (CASE, so ->> never meets a value that is not JSON).
INSERT INTO click_through_sources
  (query_id, rank, original_rank, url, study_id, condition, clicks, exposures)
SELECT q.query_id, s.value ->> '$.rank', s.value ->> '$.originalRank', s.value ->> '$.url',
  q.study_id, q.condition,
  (SELECT count(*) FROM events AS c
    WHERE c.query_id = q.query_id AND c.event_type = 'CLICK' AND c.target_url = s.value ->> '$.url'),
  (SELECT count(*) FROM events AS e
    WHERE e.query_id = q.query_id AND e.event_type = 'BROWSE' AND e.extra_data ->> '$.kind' = 'exposure'
      AND EXISTS (SELECT 1 FROM json_each(e.extra_data, '$.sources') AS x
        WHERE CASE WHEN x.type = 'object' THEN x.value ->> '$.rank' = s.value ->> '$.rank'
          AND x.value ->> '$.url' = s.value ->> '$.url' AND typeof(x.value ->> '$.visibleMs') IN ('integer', 'real')
          AND x.value ->> '$.visibleMs' > 0 ELSE 0 END))
FROM queries AS q, json_each(q.sources) AS s
WHERE q.study_id IS NOT NULL AND q.condition IS NOT NULL
  AND COALESCE(q.provenance ->> '$.sourcesShown', 1) <> 0
  AND s.type = 'object' AND s.value ->> '$.rank' IS NOT NULL AND s.value ->> '$.url' IS NOT NULL
ON CONFLICT (query_id, rank) DO NOTHING;

-- A new answer: the same, for its sources.
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

-- A deleted answer (withdrawal): its sources go, and their counts with them.
CREATE TRIGGER click_through_answer_removed AFTER DELETE ON queries
BEGIN
  DELETE FROM click_through_sources WHERE query_id = OLD.query_id;
END;

-- A click on a source of a shown answer, stored or deleted.
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

-- An exposure summary, stored or deleted: the sources it lists as visible.
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
