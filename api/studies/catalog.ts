import type { Llm } from "../llm/llm";
import type { Condition, Study, StudyFile } from "./definition";
import { definitionHash } from "./definition-hash";
import type { ConditionLlm } from "./llms";
import type { StudyProblem } from "./problems";

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
  /** What in this deployment's configuration keeps the study from running (a condition's LLM); none: it can run. */
  configurationProblems(study: Study): StudyProblem[];
};

export function createStudyCatalog(
  studies: Study[],
  makeLlm: (study: Study, condition: Condition, index: number) => ConditionLlm,
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
  const problems = new Map<string, StudyProblem[]>();
  const key = (study: Study, conditionId: string) => `${study.id}\u0000${conditionId}`;
  for (const study of studies) {
    const ofStudy: StudyProblem[] = [];
    study.conditions.forEach((condition, index) => {
      const { llm, problem } = makeLlm(study, condition, index);
      llms.set(key(study, condition.id), llm);
      if (problem) ofStudy.push(problem);
    });
    problems.set(study.id, ofStudy);
  }
  return {
    list: () => studies,
    get: (id) => byId.get(id),
    condition: (study, conditionId) => study.conditions.find((c) => c.id === conditionId),
    llmFor: (study, conditionId) => llms.get(key(study, conditionId)),
    deployed: (study) => deployed.get(study.id) ?? null,
    configurationProblems: (study) => problems.get(study.id) ?? [],
  };
}
