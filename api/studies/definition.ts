import { z } from "zod";
import { attentionChecksSchema, attentionPolicySchema, attentionProblems } from "../attention/definition";
import { scriptSchema } from "../llm/scripted";
import { consentProblem } from "../signals/consent-rule";
import { embeddingSchema } from "./embedding";
import {
  completionCode,
  outcomeProblems,
  outcomesSchema,
  redirectDelaySeconds,
  redirectUrl,
} from "./outcomes";
import { panelSchema } from "./panels";
import { timeGateProblems } from "./time-gates";

/**
 * A study definition: one JSON file under studies/, validated by this schema
 * when the registry is generated (build, start, test) and again when the
 * Worker starts. Unknown fields are errors, so a typo never silently falls
 * back to a default. Every message names the file and the field.
 */

const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit, like "news-trust-2026"',
  );

const markdown = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(20_000, "must be at most 20000 characters");

export const PROVIDERS = ["default", "openai", "scripted"] as const;

const llmSchema = z
  .object({
    provider: z
      .enum(PROVIDERS, {
        message:
          'must be "default" (the deployment\'s provider), "openai" (needs OPENAI_API_KEY) or "scripted"',
      })
      .default("default"),
    model: z.string().trim().min(1, "must not be empty").optional(),
    systemPrompt: z.string().trim().min(1, "must not be empty").max(20_000).optional(),
    temperature: z.number().min(0, "must be from 0 to 2").max(2, "must be from 0 to 2").optional(),
  })
  .strict();

export const SOURCE_ORDERS = ["model", "reversed", "random", "fixed", "latin-square"] as const;
export const CITATION_STYLES = ["numbered", "list-only"] as const;

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

/**
 * What a condition does to an answer's sources before the participant sees
 * them (api/answers/presentation.ts applies it; docs/studies.md explains
 * each setting). Applied whether or not the sources are shown, so a hidden
 * condition still records what it would have listed.
 */
const sourcesSchema = z
  .object({
    order: z
      .enum(SOURCE_ORDERS, {
        message:
          'must be "model" (as returned), "reversed", "random" (a new order per answer), "fixed" (needs permutation) or "latin-square" (rotated by the participant\'s arrival number)',
      })
      .default("model"),
    /** For order "fixed": position i shows the model's source number permutation[i]. */
    permutation: z
      .array(z.number().int("must be a whole number").min(1, "must be at least 1"))
      .min(1, "must list at least one source number")
      .max(50)
      .optional(),
    /** Show only the first `limit` sources (after ordering); markers of the others disappear. */
    limit: z.number().int("must be a whole number").min(1, "must be at least 1").max(50).optional(),
    /** A source of the researcher's, placed at `position` (1 first) among the others. */
    inject: z
      .object({
        position: z.number().int("must be a whole number").min(1, "must be at least 1").max(51),
        title: z.string().trim().min(1, "must not be empty").max(300),
        url: httpUrl,
        content: z.string().trim().min(1, "must not be empty").max(2000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((sources, ctx) => {
    if (sources.order === "fixed" && !sources.permutation) {
      ctx.addIssue({
        code: "custom",
        path: ["permutation"],
        message: 'order "fixed" needs a permutation, such as [2, 1, 3] (show the second source first)',
      });
    }
    if (sources.order !== "fixed" && sources.permutation) {
      ctx.addIssue({
        code: "custom",
        path: ["permutation"],
        message: 'a permutation is used only with order "fixed": drop it, or set order to "fixed"',
      });
    }
    const p = sources.permutation;
    if (p && [...p].sort((a, b) => a - b).some((n, i) => n !== i + 1)) {
      ctx.addIssue({
        code: "custom",
        path: ["permutation"],
        message: `must hold each number from 1 to ${p.length} once, such as [2, 1, 3]`,
      });
    }
  });

export const conditionSchema = z
  .object({
    id: slug,
    description: z.string().max(2000).optional(),
    weight: z.number().positive("must be greater than 0").max(1_000_000).default(1),
    llm: llmSchema.default({ provider: "default" }),
    showSources: z.boolean().default(true),
    sources: sourcesSchema.default({ order: "model" }),
    /** "numbered": [n] markers in the text link to the n-th source shown; "list-only": markers are removed, the list stays. */
    citations: z
      .enum(CITATION_STYLES, {
        message: 'must be "numbered" (markers in the text) or "list-only" (no markers, the list stays)',
      })
      .default("numbered"),
    /** With showSources false: markers are removed ("strip") or kept as plain, unlinked text ("text"). */
    hiddenMarkers: z.enum(["strip", "text"], { message: 'must be "strip" or "text"' }).default("strip"),
    /** Links the model wrote into its answer: clickable ("links") or shown as their text ("text"). */
    answerLinks: z.enum(["links", "text"], { message: 'must be "links" or "text"' }).default("links"),
    /** A feedback button under each answer (a CONVERSION event); none unless the study asks for one. */
    feedback: z
      .object({ label: z.string().trim().min(1, "must not be empty").max(100) })
      .strict()
      .optional(),
    /** Texts the participant sees in this condition; each defaults to one that fits its settings. */
    texts: z
      .object({ emptyChat: z.string().trim().min(1, "must not be empty").max(500).optional() })
      .strict()
      .default({}),
    /** Scripted answers for a controlled stimulus: the condition answers from these, never from a model. */
    script: scriptSchema.optional(),
    maxTurns: z.number().int("must be a whole number").min(1, "must be at least 1").max(1000).optional(),
  })
  .strict()
  .superRefine((condition, ctx) => {
    if (condition.script && condition.llm.provider === "openai") {
      ctx.addIssue({
        code: "custom",
        path: ["script"],
        message: 'a script answers instead of a model: drop it, or set llm.provider to "scripted"',
      });
    }
  });

export const ASSIGNMENT_MODES = ["weighted", "balanced"] as const;

export const studySchema = z
  .object({
    id: slug,
    version: z.number().int("must be a whole number").min(1, "must be at least 1"),
    title: z.string().trim().min(1, "must not be empty").max(200),
    active: z.boolean().default(true),
    consent: markdown,
    task: markdown,
    /** The recruiting panel: which link parameters carry its ids, how participants go back (api/studies/panels.ts). */
    panel: panelSchema,
    assignment: z
      .enum(ASSIGNMENT_MODES, {
        message:
          'must be "weighted" (random, in proportion to the weights) or "balanced" (fill the least-filled condition)',
      })
      .default("weighted"),
    conditions: z
      .array(conditionSchema)
      .min(1, "a study needs at least one condition")
      .superRefine((conditions, ctx) => {
        const seen = new Set<string>();
        conditions.forEach((condition, index) => {
          if (seen.has(condition.id)) {
            ctx.addIssue({ code: "custom", path: [index, "id"], message: `"${condition.id}" is used twice` });
          }
          seen.add(condition.id);
        });
      }),
    completion: z
      .object({
        /** The completed outcome's code, message and redirect (or outcomes.completed: api/studies/outcomes.ts). */
        code: completionCode.optional(),
        message: markdown.optional(),
        redirectUrl: redirectUrl.optional(),
        redirectDelaySeconds: redirectDelaySeconds.optional(),
        /** Finishing is refused until the participant has sent this many messages. */
        minTurns: z.number().int("must be a whole number").min(1, "must be at least 1").max(1000).optional(),
        /** Finishing is refused until this many seconds have passed since consent (server time). */
        minSeconds: z
          .number()
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(7 * 24 * 3600)
          .optional(),
        /** This many seconds after consent (server time) the participant's part ends with the outcome timed-out. */
        maxSeconds: z
          .number()
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(7 * 24 * 3600)
          .optional(),
      })
      .strict(),
    /** Codes, messages and redirects per outcome (api/studies/outcomes.ts). */
    outcomes: outcomesSchema.optional(),
    /**
     * Input signals (docs/tracking.md#input-signals): the chat records, per
     * message and without its content, pastes, key presses, typing time and
     * focus lost; off unless the study turns it on, and then the consent text
     * must say so (api/signals/consent-rule.ts).
     */
    botSignals: z.boolean({ message: "must be true or false" }).default(false),
    // Attention checks (api/attention/definition.ts): the study's own, the same in every condition.
    attentionChecks: attentionChecksSchema.default([]),
    attentionPolicy: attentionPolicySchema.default({
      maxFailures: 2,
      action: "end",
      outcome: "failed-attention-check",
    }),
    /** Who may frame the study's pages and hear their messages (api/studies/embedding.ts); none: never framed. */
    embedding: embeddingSchema.optional(),
  })
  .strict()
  .superRefine((study, ctx) => {
    for (const problem of [
      ...outcomeProblems(study),
      ...timeGateProblems(study.completion),
      ...attentionProblems(study),
    ]) {
      ctx.addIssue({ code: "custom", ...problem });
    }
    // botSignals (signals): the consent must name what is recorded.
    const problem = study.botSignals ? consentProblem(study.consent) : null;
    if (problem) ctx.addIssue({ code: "custom", path: ["consent"], message: problem });
  });

export type Study = z.infer<typeof studySchema>;
export type Condition = Study["conditions"][number];
export type AssignmentMode = Study["assignment"];

/** A study file as the registry holds it: its path (for messages) and its parsed JSON. */
export type StudyFile = { file: string; definition: unknown };

export class StudyDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid study definition:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StudyDefinitionError";
  }
}

/** `conditions[1].llm.temperature`: the path as a researcher would write it. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/** Validates every study file; the problems name file and field. Ids must be unique across files. */
export function parseStudies(files: StudyFile[]): Study[] {
  const problems: string[] = [];
  const studies: Study[] = [];
  const files_ = new Map<string, string>();
  for (const { file, definition } of files) {
    const parsed = studySchema.safeParse(definition);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = fieldPath(issue.path);
        problems.push(`${file}: ${field ? `${field}: ` : ""}${issue.message}`);
      }
      continue;
    }
    const other = files_.get(parsed.data.id);
    if (other) {
      problems.push(`${file}: id: "${parsed.data.id}" is already the id of ${other}`);
      continue;
    }
    files_.set(parsed.data.id, file);
    studies.push(parsed.data);
  }
  if (problems.length > 0) throw new StudyDefinitionError(problems);
  return studies;
}
