import { byConditionVersionAnswers } from "../provenance-rows";
import type { AnswerProvenanceCount } from "../store";
import type { Doc, MongoDatabase } from "./collection";

/*
 * Answers by provenance on MongoDB: one $group over the study's answers
 * (matched on study_id, its index) by what produced them.
 */

const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function mongoAnswerProvenance(
  db: MongoDatabase,
  studyId: string,
  init: () => Promise<void>,
): Promise<AnswerProvenanceCount[]> {
  await init();
  const groups = await db.collection("queries").aggregate([
    { $match: { study_id: studyId, condition: { $ne: null } } },
    {
      $group: {
        _id: {
          condition: "$condition",
          studyVersion: "$study_version",
          studyHash: "$provenance.studyHash",
          provider: "$provenance.provider",
          requestedModel: "$provenance.requestedModel",
          model: "$model",
          systemPromptHash: "$provenance.systemPromptHash",
          parameters: "$provenance.parameters",
        },
        answers: { $sum: 1 },
      },
    },
  ]);
  return byConditionVersionAnswers(
    groups.map((g) => {
      const id = (g._id ?? {}) as Doc;
      return {
        condition: String(id.condition),
        studyVersion:
          id.studyVersion === null || id.studyVersion === undefined ? null : Number(id.studyVersion),
        studyHash: textOrNull(id.studyHash),
        provider: textOrNull(id.provider),
        requestedModel: textOrNull(id.requestedModel),
        model: String(id.model),
        systemPromptHash: textOrNull(id.systemPromptHash),
        parameters: (id.parameters as Record<string, number | null> | undefined) ?? null,
        answers: Number(g.answers),
      };
    }),
  );
}
