import { z } from "zod";

/**
 * A study's attention checks, as its study file declares them
 * (docs/studies.md#attention-checks): instructed-response items the chat
 * shows as messages from the researchers, each judged by a rule, and the
 * policy that applies after failed ones. The checks are the study's, so
 * they are the same in every condition.
 */

const outcomeName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be an outcome name: 1 to 63 lowercase letters, digits and dashes, like "failed-attention-check"',
  );

/** A regular expression the study file gives as text: it must compile, or the study does not load. */
const pattern = z
  .string()
  .min(1, "must not be empty")
  .max(500, "must be at most 500 characters")
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, "u");
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  });

const answer = z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters");

/**
 * How a reply is judged: exactly one of `equals` (one accepted answer),
 * `oneOf` (any of a list) or `matches` (a regular expression that must
 * match somewhere in the reply; anchor it with ^ and $ to match all of it).
 * By default the comparison ignores case and runs of spaces
 * (api/attention/judge.ts).
 */
export const attentionRuleSchema = z
  .object({
    equals: answer.optional(),
    oneOf: z.array(answer).min(1, "must list at least one answer").max(50).optional(),
    matches: pattern.optional(),
    /** Compare letters' case as written (default false: "Blue" equals "blue"). */
    caseSensitive: z.boolean().default(false),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const given = ["equals", "oneOf", "matches"].filter(
      (key) => rule[key as keyof typeof rule] !== undefined,
    );
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `needs exactly one of "equals", "oneOf" or "matches"${given.length > 1 ? ` (it has ${given.join(" and ")})` : ""}, such as {"equals": "blue"}`,
      });
    }
  });

const count = (max: number) =>
  z.number().int("must be a whole number").min(1, "must be at least 1").max(max, `must be at most ${max}`);

/**
 * One check. It is due `afterTurns` messages into the study (once the
 * participant's Nth message has been answered, before the next one) or
 * `afterSeconds` after consent (server time; shown at the next page load of
 * the chat): exactly one of the two.
 */
export const attentionCheckSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,62}$/,
        'must be 1 to 63 lowercase letters, digits and dashes, like "colour"',
      ),
    afterTurns: count(1000).optional(),
    afterSeconds: count(7 * 24 * 3600).optional(),
    /** The message from the researchers (Markdown). */
    message: z.string().trim().min(1, "must not be empty").max(5000, "must be at most 5000 characters"),
    rule: attentionRuleSchema,
    /**
     * A screening item rather than an attention check: a reply the rule
     * fails ends the participation at once with this outcome (such as
     * "screened-out"), whatever the policy says.
     */
    failOutcome: outcomeName.optional(),
  })
  .strict()
  .superRefine((check, ctx) => {
    if ((check.afterTurns === undefined) === (check.afterSeconds === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["afterTurns"],
        message: 'needs exactly one of "afterTurns" or "afterSeconds": when the check is shown',
      });
    }
  });

export const attentionChecksSchema = z
  .array(attentionCheckSchema)
  .max(50, "must list at most 50 checks")
  .superRefine((checks, ctx) => {
    const seen = new Set<string>();
    checks.forEach((check, index) => {
      if (seen.has(check.id)) {
        ctx.addIssue({ code: "custom", path: [index, "id"], message: `"${check.id}" is used twice` });
      }
      seen.add(check.id);
    });
  });

export const ATTENTION_ACTIONS = ["end", "flag"] as const;

/** The failure outcome a study ends a participant with unless its policy names another. */
export const FAILED_ATTENTION_CHECK = "failed-attention-check";

/**
 * What happens once a participant has failed `maxFailures` checks: "end"
 * ends their participation with `outcome`; "flag" only records the
 * failures (shown to researchers, exported) and never ends anything.
 */
export const attentionPolicySchema = z
  .object({
    maxFailures: count(50).default(2),
    action: z
      .enum(ATTENTION_ACTIONS, {
        message:
          'must be "end" (end the participation with the outcome) or "flag" (only record the failures)',
      })
      .default("end"),
    outcome: outcomeName.default(FAILED_ATTENTION_CHECK),
  })
  .strict();

export type AttentionCheck = z.infer<typeof attentionCheckSchema>;
export type AttentionRule = z.infer<typeof attentionRuleSchema>;
export type AttentionPolicy = z.infer<typeof attentionPolicySchema>;

type PolicyFields = {
  attentionChecks: { failOutcome?: string }[];
  attentionPolicy: AttentionPolicy;
  outcomes?: Record<string, unknown>;
  completion: { code?: string };
};

/**
 * What is wrong with the study's attention checks: checks that end
 * participants with an outcome the study gives no code for (the policy's,
 * or a screening item's failOutcome).
 */
export function attentionProblems(study: PolicyFields): { path: PropertyKey[]; message: string }[] {
  const defined = (outcome: string) =>
    study.outcomes?.[outcome] !== undefined || (outcome === "completed" && Boolean(study.completion.code));
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const { action, outcome } = study.attentionPolicy;
  if (study.attentionChecks.length > 0 && action === "end" && !defined(outcome)) {
    problems.push({
      path: ["attentionPolicy", "outcome"],
      message: `failed attention checks end participants with the outcome "${outcome}": define outcomes["${outcome}"] with its code, or set attentionPolicy.action to "flag"`,
    });
  }
  study.attentionChecks.forEach((check, index) => {
    if (check.failOutcome !== undefined && !defined(check.failOutcome)) {
      problems.push({
        path: ["attentionChecks", index, "failOutcome"],
        message: `a failed reply ends participants with the outcome "${check.failOutcome}": define outcomes["${check.failOutcome}"] with its code`,
      });
    }
  });
  return problems;
}
