import { builder } from "../builder";
import type { Context } from "../context";
import { idSchema } from "../domain/validation";
import type { Study } from "../studies/definition";
import { type RegisteredDefinition, registeredDefinitions, studyProblems } from "../studies/deployed";
import type { STUDY_PROBLEM_CODES, StudyProblem } from "../studies/problems";
import { idOrNull } from "./caller";
import { requireResearcher } from "./researcher";
import { StudyRef } from "./studies";

/**
 * Whether a study can take new participants (its definition as deployed
 * against the one its version was first used with, its conditions' LLMs),
 * and the definitions as deployed, for researchers to download.
 */

const StudyProblemCodeRef = builder.enumType("StudyProblemCode", {
  description: "Why an active study takes no new participants.",
  values: {
    DEFINITION_CHANGED: {
      description:
        "Its file changed while its version did not: raise `version` in the file (the first definition of a version is kept).",
    },
    LLM_NOT_CONFIGURED: {
      description:
        "A condition needs the deployment's OpenAI-compatible model and OPENAI_API_KEY is not set: set it, or give the condition scripted answers.",
    },
  } satisfies Record<(typeof STUDY_PROBLEM_CODES)[number], unknown>,
});

const StudyProblemRef = builder.objectRef<StudyProblem>("StudyProblem").implement({
  description: "Why an active study takes no new participants, and what the researcher must do.",
  fields: (t) => ({
    code: t.field({ type: StudyProblemCodeRef, description: "The kind of problem.", resolve: (p) => p.code }),
    condition: t.exposeString("condition", {
      nullable: true,
      description: "The condition it concerns; null: the whole study.",
    }),
    message: t.exposeString("message", { description: "What is wrong and how to fix it." }),
  }),
});

/** A study's problems, checked once per request however many fields ask (status.ok and each study's). */
const checked = new WeakMap<Context, Map<string, Promise<StudyProblem[]>>>();
export function problemsOf(ctx: Context, study: Study): Promise<StudyProblem[]> {
  const ofRequest = checked.get(ctx) ?? new Map<string, Promise<StudyProblem[]>>();
  checked.set(ctx, ofRequest);
  const problems = ofRequest.get(study.id) ?? studyProblems(ctx, study);
  ofRequest.set(study.id, problems);
  return problems;
}

builder.objectFields(StudyRef, (t) => ({
  available: t.boolean({
    description:
      "False when the study is active but takes no new participants, for the reasons in `problems` (participants already in it carry on); true for a closed study (see `active`).",
    resolve: async (study, _args, ctx) => (await problemsOf(ctx, study)).length === 0,
  }),
  problems: t.field({
    type: [StudyProblemRef],
    description:
      "Why the study takes no new participants although it is active: its file changed without a new version, or a condition's LLM is not configured. Empty when it can run (and for a closed study).",
    resolve: (study, _args, ctx) => problemsOf(ctx, study),
  }),
}));

const StudyDefinitionRef = builder.objectRef<RegisteredDefinition>("StudyDefinition").implement({
  description:
    "A study's definition as deployed: the study file of one version, as first used, with its hash (SHA-256 of the file's JSON with sorted keys).",
  fields: (t) => ({
    studyId: t.exposeID("studyId", { description: "The study." }),
    version: t.exposeInt("version", { description: "The study's version." }),
    hash: t.exposeString("hash", {
      description:
        "SHA-256 (hex) of the file's JSON with keys sorted and no whitespace: the hash records carry.",
    }),
    definition: t.field({
      type: "JSON",
      description: "The study file's JSON as written (prompts and scripts included).",
      resolve: (d) => d.definition,
    }),
    firstSeenAt: t.field({
      type: "DateTime",
      description: "When this version was first used (server time).",
      resolve: (d) => d.firstSeenAt,
    }),
    deployedNow: t.exposeBoolean("deployedNow", {
      description:
        "True when this deployment runs this version from this very file; false for an earlier version, or when the file changed without a new version.",
    }),
  }),
});

builder.queryField("studyDefinitions", (t) =>
  t.field({
    type: [StudyDefinitionRef],
    description:
      "The study definitions as deployed, each (study, version) as it was first used, by study and version. Researchers only: they hold prompts and scripts.",
    args: { studyId: t.arg.id({ description: "The study; omitted: all.", validate: idSchema.optional() }) },
    resolve: (_root, args, ctx) => {
      requireResearcher(ctx, "The study definitions");
      return registeredDefinitions(ctx, idOrNull(args.studyId));
    },
  }),
);
