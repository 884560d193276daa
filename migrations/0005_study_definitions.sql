-- Each study's definition as deployed (api/studies/deployed.ts): the file's
-- JSON as written and its hash (api/studies/definition-hash.ts), stored with
-- the first use of its (study, version) and never replaced, so a file edited
-- without raising its `version` is noticed and refused
-- (docs/decisions/013-study-definitions.md), and researchers can download
-- what each version said.
CREATE TABLE study_definitions (
  study_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  -- The study file's JSON, as text.
  definition TEXT NOT NULL,
  -- The database's clock, like received_at.
  first_seen_at TEXT NOT NULL,
  PRIMARY KEY (study_id, version)
);
