import { RateLimitedError } from "../errors";
import type { Store } from "../store/store";

/**
 * The deployment-wide cap on LLM calls per UTC hour (LLM_CALLS_PER_HOUR),
 * counted in the store: the backstop on cost however the per-caller limits
 * (rate-limits.ts) are evaded, e.g. from many addresses at once. A call is
 * counted when it is made, so failed and stopped answers count too.
 * docs/decisions/010-rate-limits.md
 */

/** The store key of the hour `now` is in, e.g. `llm:2026-12-01T13`. */
export function llmBudgetKey(now: Date): string {
  return `llm:${now.toISOString().slice(0, 13)}`;
}

/** Seconds from `now` until the next UTC hour starts (1 to 3600). */
export function secondsToNextHour(now: Date): number {
  const next = new Date(now);
  next.setUTCHours(now.getUTCHours() + 1, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000));
}

/**
 * Counts one LLM call in this hour's budget; throws RateLimitedError
 * (retryable when the next hour starts) once `perHour` calls were counted.
 * The message speaks to a participant: it names no provider, model or key.
 */
export async function takeLlmCall(
  store: Pick<Store, "takeBudget">,
  perHour: number,
  now = new Date(),
): Promise<void> {
  if (await store.takeBudget(llmBudgetKey(now), perHour)) return;
  const seconds = secondsToNextHour(now);
  const minutes = Math.ceil(seconds / 60);
  throw new RateLimitedError(
    seconds,
    `The study's assistant is busy right now. Please try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`,
  );
}
