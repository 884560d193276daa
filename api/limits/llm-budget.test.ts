import { describe, expect, it } from "vitest";
import { RateLimitedError } from "../errors";
import type { Store } from "../store/store";
import { llmBudgetKey, takeLlmCall } from "./llm-budget";

/**
 * The store's budget, in memory: atomic like the adapters' (no await between
 * the read and the write), and yielding first so parallel calls interleave.
 * Only takeBudget; the adapters' own behaviour is the store contract's test.
 */
function budgetStore(): Pick<Store, "takeBudget"> & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    async takeBudget(key, limit) {
      await Promise.resolve();
      const used = counts.get(key) ?? 0;
      if (used >= limit) return false;
      counts.set(key, used + 1);
      return true;
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RateLimitedError)) throw new Error(`expected a RateLimitedError, got ${error}`);
  return error;
}

describe("takeLlmCall", () => {
  it("keys the budget by UTC hour", () => {
    expect(llmBudgetKey(new Date("2026-12-01T13:00:00.000Z"))).toBe("llm:2026-12-01T13");
    expect(llmBudgetKey(new Date("2026-12-01T13:59:59.999Z"))).toBe("llm:2026-12-01T13");
    expect(llmBudgetKey(new Date("2026-12-01T14:30:00+01:00"))).toBe("llm:2026-12-01T13");
  });

  it("lets exactly perHour of 20 parallel calls through, and refuses the rest", async () => {
    const store = budgetStore();
    const now = new Date("2026-12-01T13:15:00.000Z");
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => takeLlmCall(store, 5, now)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.reason).toBeInstanceOf(RateLimitedError);
    expect(store.counts.get("llm:2026-12-01T13")).toBe(5);
  });

  it("says when to try again (the next UTC hour) and that the assistant is busy, naming no provider or key", async () => {
    const store = budgetStore();
    const now = new Date("2026-12-01T13:15:00.000Z");
    await takeLlmCall(store, 1, now);
    const error = await refusal(takeLlmCall(store, 1, now));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfterSeconds).toBe(45 * 60);
    expect(error.details).toEqual({ retryAfterSeconds: 45 * 60 });
    expect(error.message).toBe("The study's assistant is busy right now. Please try again in 45 minutes.");
    expect(error.message).not.toMatch(/openai|provider|api key|model|quota|budget|LLM_CALLS/i);
  });

  it("starts a fresh budget when the hour turns, and counts the seconds to it", async () => {
    const store = budgetStore();
    const lastSecond = new Date("2026-12-01T13:59:59.000Z");
    for (let i = 0; i < 3; i++) await takeLlmCall(store, 3, lastSecond);
    const error = await refusal(takeLlmCall(store, 3, lastSecond));
    expect(error.retryAfterSeconds).toBe(1);
    expect(error.message).toContain("in a minute");

    const nextHour = new Date("2026-12-01T14:00:00.000Z");
    await takeLlmCall(store, 3, nextHour);
    expect(store.counts.get("llm:2026-12-01T14")).toBe(1);

    const lateInTheMillisecond = new Date("2026-12-01T14:59:59.999Z");
    for (let i = 0; i < 2; i++) await takeLlmCall(store, 3, lateInTheMillisecond);
    expect((await refusal(takeLlmCall(store, 3, lateInTheMillisecond))).retryAfterSeconds).toBe(1);
  });

  it("refuses a whole hour at its first instant once the budget is spent, across a day and a year", async () => {
    const store = budgetStore();
    const newYear = new Date("2026-12-31T23:00:00.000Z");
    await takeLlmCall(store, 1, newYear);
    expect((await refusal(takeLlmCall(store, 1, newYear))).retryAfterSeconds).toBe(3600);
    await takeLlmCall(store, 1, new Date("2027-01-01T00:00:00.000Z"));
    expect([...store.counts.keys()]).toEqual(["llm:2026-12-31T23", "llm:2027-01-01T00"]);
  });
});
