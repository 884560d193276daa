import type { TokenUsage } from "./records";

/** A count as the provider reported it: a non-negative integer, else null. */
function count(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/**
 * A `usage` object with OpenAI's names (CompletionUsage: prompt_tokens,
 * completion_tokens, total_tokens) as TokenUsage; null when there is none
 * or none of its counts is a number. Reads what a provider sent and what a
 * store kept under the same names (api/store/columns.ts). The counts are
 * kept as reported: a missing total is not added up from the other two.
 */
export function usageOf(raw: unknown): TokenUsage | null {
  if (raw === null || typeof raw !== "object") return null;
  const u = raw as Record<string, unknown>;
  const usage = {
    promptTokens: count(u.prompt_tokens),
    completionTokens: count(u.completion_tokens),
    totalTokens: count(u.total_tokens),
  };
  return usage.promptTokens === null && usage.completionTokens === null && usage.totalTokens === null
    ? null
    : usage;
}
