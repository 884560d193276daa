import type { AnswerProvenanceCount } from "./store";

/** Both adapters' order for answerProvenance: by condition, then study version, then the most answers first. */
export function byConditionVersionAnswers(rows: AnswerProvenanceCount[]): AnswerProvenanceCount[] {
  return rows.sort(
    (a, b) =>
      (a.condition < b.condition ? -1 : a.condition > b.condition ? 1 : 0) ||
      (a.studyVersion ?? 0) - (b.studyVersion ?? 0) ||
      b.answers - a.answers ||
      (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1),
  );
}
