-- Answers by provenance (issue 11): for the monitor, how many of a study's
-- answers each combination of condition, study version and hash, provider,
-- model (asked for and answering), system prompt hash and parameters
-- produced. Kept by triggers as answers are stored and deleted (a
-- withdrawal), so the monitor reads a few rows instead of every answer.
-- `key` is the combination as a JSON array: one row per combination, NULLs
-- included (a UNIQUE index would treat NULLs as distinct).

CREATE TABLE answer_provenance (
  key TEXT PRIMARY KEY,
  study_id TEXT NOT NULL,
  condition TEXT NOT NULL,
  study_version INTEGER,
  study_hash TEXT,
  provider TEXT,
  requested_model TEXT,
  model TEXT NOT NULL,
  system_prompt_hash TEXT,
  parameters TEXT,
  answers INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX answer_provenance_study ON answer_provenance (study_id);

INSERT INTO answer_provenance
SELECT json_array(study_id, condition, study_version, provenance ->> '$.studyHash', provenance ->> '$.provider',
    provenance ->> '$.requestedModel', model, provenance ->> '$.systemPromptHash', provenance -> '$.parameters'),
  study_id, condition, study_version, provenance ->> '$.studyHash', provenance ->> '$.provider',
  provenance ->> '$.requestedModel', model, provenance ->> '$.systemPromptHash', provenance -> '$.parameters', COUNT(*)
FROM queries WHERE study_id IS NOT NULL AND condition IS NOT NULL
GROUP BY 1;

CREATE TRIGGER answer_provenance_insert AFTER INSERT ON queries
WHEN NEW.study_id IS NOT NULL AND NEW.condition IS NOT NULL
BEGIN
  INSERT INTO answer_provenance
  VALUES (json_array(NEW.study_id, NEW.condition, NEW.study_version, NEW.provenance ->> '$.studyHash',
      NEW.provenance ->> '$.provider', NEW.provenance ->> '$.requestedModel', NEW.model,
      NEW.provenance ->> '$.systemPromptHash', NEW.provenance -> '$.parameters'),
    NEW.study_id, NEW.condition, NEW.study_version, NEW.provenance ->> '$.studyHash', NEW.provenance ->> '$.provider',
    NEW.provenance ->> '$.requestedModel', NEW.model, NEW.provenance ->> '$.systemPromptHash',
    NEW.provenance -> '$.parameters', 1)
  ON CONFLICT (key) DO UPDATE SET answers = answers + 1;
END;

CREATE TRIGGER answer_provenance_delete AFTER DELETE ON queries
WHEN OLD.study_id IS NOT NULL AND OLD.condition IS NOT NULL
BEGIN
  UPDATE answer_provenance SET answers = answers - 1
  WHERE key = json_array(OLD.study_id, OLD.condition, OLD.study_version, OLD.provenance ->> '$.studyHash',
      OLD.provenance ->> '$.provider', OLD.provenance ->> '$.requestedModel', OLD.model,
      OLD.provenance ->> '$.systemPromptHash', OLD.provenance -> '$.parameters');
  DELETE FROM answer_provenance WHERE answers <= 0;
END;
