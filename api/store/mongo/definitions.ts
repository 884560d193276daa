import { studyDefinitionColumns } from "../columns";
import type { NewStudyDefinition, StudyDefinitionOperations, StudyDefinitionRecord } from "../store";
import { type Doc, DuplicateKeyError, type MongoDatabase } from "./collection";
import { iso, writeTime } from "./records";

/*
 * The study definitions as deployed on MongoDB: `study_definitions`, one
 * document per (study, version) under the `_id` JSON.stringify([study_id,
 * version]), so the first registration is the one kept, without any index
 * of ours (the Data API cannot create one). The definition is kept as its
 * JSON text: exactly the file's, whatever keys it has.
 */

const definitionId = (studyId: string, version: number): string => JSON.stringify([studyId, version]);

const toRecord = (doc: Doc): StudyDefinitionRecord => ({
  studyId: String(doc.study_id),
  version: Number(doc.version),
  hash: String(doc.hash),
  definition: JSON.parse(String(doc.definition)) as unknown,
  firstSeenAt: iso(doc.first_seen_at) ?? "",
});

/** `init` makes the indexes once, before the first operation. */
export function mongoStudyDefinitionOperations(
  db: MongoDatabase,
  init: () => Promise<void>,
): StudyDefinitionOperations {
  const definitions = db.collection("study_definitions");
  const stored = async (studyId: string, version: number) => {
    const [doc] = await definitions.find({ _id: definitionId(studyId, version) }, { limit: 1 });
    return doc;
  };
  return {
    async registerStudyDefinition(entry: NewStudyDefinition): Promise<StudyDefinitionRecord> {
      await init();
      const existing = await stored(entry.studyId, entry.version);
      if (existing) return toRecord(existing);
      const columns = studyDefinitionColumns(entry);
      const doc = {
        _id: definitionId(entry.studyId, entry.version),
        ...columns,
        definition: JSON.stringify(columns.definition),
        first_seen_at: writeTime(),
      };
      try {
        await definitions.insertOne(doc);
        return toRecord(doc);
      } catch (error) {
        // A concurrent call registered it first (or our own insert whose answer was lost): that one is kept.
        if (!(error instanceof DuplicateKeyError)) throw error;
        const theirs = await stored(entry.studyId, entry.version);
        if (!theirs) throw error;
        return toRecord(theirs);
      }
    },

    async studyDefinitions(studyId: string | null): Promise<StudyDefinitionRecord[]> {
      await init();
      const docs = await definitions.find(studyId === null ? {} : { study_id: studyId }, {
        sort: { study_id: 1, version: 1 },
      });
      return docs.map(toRecord);
    },
  };
}
