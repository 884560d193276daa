import { z } from "zod";

/**
 * Outcomes: how a participant's part of a study ends, each with what the
 * participant is given (a code for the recruiting panel, a message, a
 * redirect). A study file lists them under `outcomes`, keyed by outcome;
 * its `completion` block's code, message and redirect are the `completed`
 * outcome, so study files written before outcomes keep working.
 */

/** The outcomes the platform itself ends participants with; a study may add its own (any slug). */
export const OUTCOMES = ["completed", "timed-out", "failed-attention-check", "screened-out"] as const;

/** The same rule for every code: what recruiting panels accept in a completion code. */
export const completionCode = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, dashes or underscores");

export const redirectUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

/** Seconds the code is shown before the redirect, when a study does not say. */
export const DEFAULT_REDIRECT_DELAY_SECONDS = 5;

export const redirectDelaySeconds = z
  .number()
  .int("must be a whole number")
  .min(0, "must be from 0 to 600")
  .max(600, "must be from 0 to 600");

/** An outcome's name: what the store keeps and the downloads show. */
const OUTCOME_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** One outcome's entry in a study file. */
export const outcomeSchema = z
  .object({
    code: completionCode,
    message: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(20_000, "must be at most 20000 characters")
      .optional(),
    redirectUrl: redirectUrl.optional(),
    redirectDelaySeconds: redirectDelaySeconds.optional(),
  })
  .strict();

export const outcomesSchema = z.record(z.string(), outcomeSchema).superRefine((outcomes, ctx) => {
  for (const name of Object.keys(outcomes)) {
    if (!OUTCOME_NAME.test(name)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message:
          'is not an outcome name: 1 to 63 lowercase letters, digits and dashes, like "timed-out" or "partial-credit"',
      });
    }
  }
});

/** What a participant is given when their part ends with an outcome. */
export type Ending = {
  outcome: string;
  code: string;
  message: string | null;
  redirectUrl: string | null;
  redirectDelaySeconds: number;
};

/** The parts of a study that define its outcomes. */
type OutcomeFields = {
  completion: {
    code?: string;
    message?: string;
    redirectUrl?: string;
    redirectDelaySeconds?: number;
    maxSeconds?: number;
  };
  outcomes?: Record<string, z.infer<typeof outcomeSchema>>;
};

const ending = (outcome: string, entry: z.infer<typeof outcomeSchema>): Ending => ({
  outcome,
  code: entry.code,
  message: entry.message ?? null,
  redirectUrl: entry.redirectUrl ?? null,
  redirectDelaySeconds: entry.redirectDelaySeconds ?? DEFAULT_REDIRECT_DELAY_SECONDS,
});

/** The study's entry for an outcome (`completed` from `completion` when `outcomes` has none); undefined when it has none. */
export function endingFor(study: OutcomeFields, outcome: string): Ending | undefined {
  const entry = study.outcomes?.[outcome];
  if (entry) return ending(outcome, entry);
  const { code, message, redirectUrl, redirectDelaySeconds } = study.completion;
  if (outcome === "completed" && code !== undefined) {
    return ending(outcome, { code, message, redirectUrl, redirectDelaySeconds });
  }
  return undefined;
}

/** The outcomes the study defines, `completed` first, then in the file's order. */
export function definedOutcomes(study: OutcomeFields): string[] {
  const names = Object.keys(study.outcomes ?? {});
  return ["completed", ...names.filter((name) => name !== "completed")];
}

type Issue = { path: PropertyKey[]; message: string };

/**
 * What is wrong with the study's outcomes: `completed` defined twice (in
 * `completion` and in `outcomes`) or not at all, and an outcome the study
 * can end with but gives no code for (`timed-out` once
 * `completion.maxSeconds` is set).
 */
export function outcomeProblems(study: OutcomeFields): Issue[] {
  const problems: Issue[] = [];
  const { completion } = study;
  const inCompletion = (["code", "message", "redirectUrl", "redirectDelaySeconds"] as const).filter(
    (field) => completion[field] !== undefined,
  );
  if (study.outcomes?.completed) {
    for (const field of inCompletion) {
      problems.push({
        path: ["completion", field],
        message:
          "the completed outcome is defined in outcomes.completed: move this field there, or drop outcomes.completed",
      });
    }
  } else if (completion.code === undefined) {
    problems.push({
      path: ["completion", "code"],
      message: "is required (or define the completed outcome in outcomes.completed with its code)",
    });
  }
  if (completion.maxSeconds !== undefined && !study.outcomes?.["timed-out"]) {
    problems.push({
      path: ["outcomes", "timed-out"],
      message:
        'is required with completion.maxSeconds: participants whose time is up end with the outcome "timed-out", which needs its code, such as {"code": "TIMEDOUT1"}',
    });
  }
  return problems;
}
