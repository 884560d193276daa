import { studyDefinitionColumns } from "./columns";
import { insertList, NOW } from "./d1-rows";
import type { NewStudyDefinition, StudyDefinitionOperations, StudyDefinitionRecord } from "./store";

/*
 * The study definitions as deployed on D1: one row per (study, version),
 * the primary key, so the first registration is the one kept.
 */

type StudyDefinitionRow = {
  study_id: string;
  version: number;
  hash: string;
  definition: string;
  first_seen_at: string;
};

const COLUMNS = "study_id, version, hash, definition, first_seen_at";

const toRecord = (row: StudyDefinitionRow): StudyDefinitionRecord => ({
  studyId: row.study_id,
  version: row.version,
  hash: row.hash,
  definition: JSON.parse(row.definition) as unknown,
  firstSeenAt: row.first_seen_at,
});

export function d1StudyDefinitionOperations(db: D1Database): StudyDefinitionOperations {
  return {
    async registerStudyDefinition(entry: NewStudyDefinition): Promise<StudyDefinitionRecord> {
      const columns = studyDefinitionColumns(entry);
      const { names, params, values } = insertList({
        ...columns,
        definition: JSON.stringify(columns.definition),
      });
      // One round trip: the insert (nothing when the pair is taken), then what is stored.
      const [, stored] = await db.batch<StudyDefinitionRow>([
        db
          .prepare(
            `INSERT INTO study_definitions (${names}, first_seen_at) VALUES (${params}, ${NOW})
             ON CONFLICT (study_id, version) DO NOTHING`,
          )
          .bind(...values),
        db
          .prepare(`SELECT ${COLUMNS} FROM study_definitions WHERE study_id = ?1 AND version = ?2`)
          .bind(entry.studyId, entry.version),
      ]);
      const row = stored?.results[0];
      if (!row) throw new Error("D1 stored no study definition and has none");
      return toRecord(row);
    },

    async studyDefinitions(studyId: string | null): Promise<StudyDefinitionRecord[]> {
      const { results } = await db
        .prepare(
          `SELECT ${COLUMNS} FROM study_definitions WHERE ?1 IS NULL OR study_id = ?1 ORDER BY study_id, version`,
        )
        .bind(studyId)
        .all<StudyDefinitionRow>();
      return results.map(toRecord);
    },
  };
}
