import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import type { Store, StudyDefinitionRecord } from "../store/store";
import type { Study } from "./definition";
import type { StudyProblem } from "./problems";

/**
 * Whether an active study can take new participants: the definition hash of
 * each (study, version) is stored with its first use, and a file whose
 * content changed while its `version` did not is refused, as is a condition
 * whose LLM this deployment has not configured
 * (docs/decisions/013-study-definitions.md).
 */

/**
 * The (study, version, hash) that matched what the store keeps, per store:
 * one store per app, so per isolate and environment. Only a match is kept
 * (a changed file is asked about again, so a fix in the store is seen).
 */
const matched = new WeakMap<Store, Set<string>>();

/**
 * Registers the study's deployed definition (the first registration of its
 * version is kept) and compares the hashes: a problem when the stored one
 * differs. Null for a study made without its file (tests of the domain).
 */
export async function definitionProblem(
  deps: Pick<Deps, "store" | "studies">,
  study: Study,
): Promise<StudyProblem | null> {
  const deployed = deps.studies.deployed(study);
  if (!deployed) return null;
  const key = JSON.stringify([study.id, study.version, deployed.hash]);
  if (matched.get(deps.store)?.has(key)) return null;
  const stored = await deps.store.registerStudyDefinition({
    studyId: study.id,
    version: study.version,
    hash: deployed.hash,
    definition: deployed.definition,
  });
  if (stored.hash === deployed.hash) {
    matched.set(deps.store, (matched.get(deps.store) ?? new Set<string>()).add(key));
    return null;
  }
  return {
    code: "DEFINITION_CHANGED",
    condition: null,
    message: `study "${study.id}": ${deployed.file} changed since version ${study.version} was first used (${stored.firstSeenAt}), but its "version" is still ${study.version}. Raise "version" in ${deployed.file} (to ${study.version + 1}), so records made under the changed study carry a version of their own.`,
  };
}

/**
 * Why the study takes no new participants although it is active; none: it
 * can. A closed study (active false) is not checked: it takes none anyway.
 */
export async function studyProblems(
  deps: Pick<Deps, "store" | "studies">,
  study: Study,
): Promise<StudyProblem[]> {
  if (!study.active) return [];
  const definition = await definitionProblem(deps, study);
  const configuration = deps.studies.configurationProblems(study);
  return definition ? [definition, ...configuration] : configuration;
}

/** Refuses a new participant of a study that has problems, with STUDY_UNAVAILABLE and what the researcher must fix. */
export async function requireAvailable(deps: Pick<Deps, "store" | "studies">, study: Study): Promise<void> {
  const problems = await studyProblems(deps, study);
  if (problems.length === 0) return;
  throw new DomainError(
    ErrorCode.STUDY_UNAVAILABLE,
    `The study "${study.id}" takes no new participants until its researcher fixes it: ${problems.map((p) => p.message).join(" ")}`,
    { problems },
  );
}

export type RegisteredDefinition = StudyDefinitionRecord & {
  /** This deployment runs this study at this version, from this very file (same hash). */
  deployedNow: boolean;
};

/** The definitions registered for a study (null: every study), each saying whether it is the one deployed now. */
export async function registeredDefinitions(
  deps: Pick<Deps, "store" | "studies">,
  studyId: string | null,
): Promise<RegisteredDefinition[]> {
  const entries = await deps.store.studyDefinitions(studyId);
  return entries.map((entry) => {
    const study = deps.studies.get(entry.studyId);
    const deployed = study && study.version === entry.version ? deps.studies.deployed(study) : null;
    return { ...entry, deployedNow: deployed?.hash === entry.hash };
  });
}
