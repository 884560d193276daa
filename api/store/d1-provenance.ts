import { byConditionVersionAnswers } from "./provenance-rows";
import type { AnswerProvenanceCount } from "./store";

/*
 * Answers by provenance on D1: the rows of answer_provenance, which triggers
 * keep as answers are stored and deleted (migrations/0010_answer_provenance.sql),
 * so this reads a few rows whatever the number of answers.
 */

const SELECT = `SELECT condition, study_version, study_hash, provider, requested_model, model,
    system_prompt_hash, parameters, answers
  FROM answer_provenance WHERE study_id = ?1`;

const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function d1AnswerProvenance(db: D1Database, studyId: string): Promise<AnswerProvenanceCount[]> {
  const { results } = await db.prepare(SELECT).bind(studyId).all<Record<string, unknown>>();
  return byConditionVersionAnswers(
    results.map((r) => ({
      condition: String(r.condition),
      studyVersion: r.study_version === null ? null : Number(r.study_version),
      studyHash: textOrNull(r.study_hash),
      provider: textOrNull(r.provider),
      requestedModel: textOrNull(r.requested_model),
      model: String(r.model),
      systemPromptHash: textOrNull(r.system_prompt_hash),
      parameters: typeof r.parameters === "string" ? JSON.parse(r.parameters) : null,
      answers: Number(r.answers),
    })),
  );
}
