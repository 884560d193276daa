import { z } from "zod";
import { scriptSchema } from "../llm/scripted";

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

export const conditionSchema = z
  .object({
    id: slug,
    description: z.string().max(2000).optional(),
    weight: z.number().positive("must be greater than 0").max(1_000_000).default(1),
    llm: llmSchema.default({ provider: "default" }),
    showSources: z.boolean().default(true),
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
        code: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, dashes or underscores"),
        message: markdown.optional(),
        redirectUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
        redirectDelaySeconds: z.number().int().min(0).max(600).default(5),
        /** Finishing is refused until the participant has sent this many messages. */
        minTurns: z.number().int("must be a whole number").min(1, "must be at least 1").max(1000).optional(),
        /** Finishing is refused until this many seconds have passed since consent (server time). */
        minSeconds: z
          .number()
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(7 * 24 * 3600)
          .optional(),
      })
      .strict(),
  })
  .strict();

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
