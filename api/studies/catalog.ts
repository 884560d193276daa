import type { Llm } from "../llm/llm";
import type { Condition, Study } from "./definition";

/**
 * The studies this deployment runs, with one LLM per condition (made once,
 * at start, by the composition root). Read-only.
 */
export type StudyCatalog = {
  /** Every study, active or not, in file order. */
  list(): Study[];
  get(id: string): Study | undefined;
  condition(study: Study, conditionId: string): Condition | undefined;
  /** The LLM that answers in this condition. */
  llmFor(study: Study, conditionId: string): Llm | undefined;
};

export function createStudyCatalog(
  studies: Study[],
  makeLlm: (study: Study, condition: Condition, index: number) => Llm,
): StudyCatalog {
  const byId = new Map(studies.map((s) => [s.id, s]));
  const llms = new Map<string, Llm>();
  const key = (study: Study, conditionId: string) => `${study.id}\u0000${conditionId}`;
  for (const study of studies) {
    study.conditions.forEach((condition, index) => {
      llms.set(key(study, condition.id), makeLlm(study, condition, index));
    });
  }
  return {
    list: () => studies,
    get: (id) => byId.get(id),
    condition: (study, conditionId) => study.conditions.find((c) => c.id === conditionId),
    llmFor: (study, conditionId) => llms.get(key(study, conditionId)),
  };
}
