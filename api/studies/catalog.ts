import type { Llm } from "../llm/llm";
import type { Condition, Study, StudyFile } from "./definition";
import { definitionHash } from "./definition-hash";

/** A study's file as deployed: where it is, its JSON as written, and the hash of that (definition-hash.ts). */
export type DeployedDefinition = { file: string; definition: unknown; hash: string };

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
  /** The study's file as deployed, with its hash; null for a study made without its file (tests). */
  deployed(study: Study): DeployedDefinition | null;
};

export function createStudyCatalog(
  studies: Study[],
  makeLlm: (study: Study, condition: Condition, index: number) => Llm,
  files: StudyFile[] = [],
): StudyCatalog {
  const byId = new Map(studies.map((s) => [s.id, s]));
  const deployed = new Map<string, DeployedDefinition>();
  for (const { file, definition } of files) {
    const id = (definition as { id?: unknown } | null)?.id;
    if (typeof id === "string" && byId.has(id)) {
      deployed.set(id, { file, definition, hash: definitionHash(definition) });
    }
  }
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
    deployed: (study) => deployed.get(study.id) ?? null,
  };
}
