import { describe, expect, it } from "vitest";
import { type GetStore, uid } from "./shared";

/** takeBudget: a deployment-wide counter per key, counted up to a limit, atomically. */
export function describeBudgets(store: GetStore): void {
  describe("budgets: takeBudget", () => {
    it("counts each use up to the limit, then refuses", async () => {
      const key = uid("llm");
      const taken = [];
      for (let i = 0; i < 5; i++) taken.push(await store().takeBudget(key, 3));
      expect(taken).toEqual([true, true, true, false, false]);
    });

    it("each key counts on its own", async () => {
      const [a, b] = [uid("llm"), uid("llm")];
      expect(await store().takeBudget(a, 1)).toBe(true);
      expect(await store().takeBudget(a, 1)).toBe(false);
      expect(await store().takeBudget(b, 1)).toBe(true);
    });

    it("a higher limit allows more uses of the same key; a limit of 0 allows none", async () => {
      const key = uid("llm");
      for (let i = 0; i < 2; i++) expect(await store().takeBudget(key, 2)).toBe(true);
      expect(await store().takeBudget(key, 2)).toBe(false);
      expect(await store().takeBudget(key, 3)).toBe(true);
      expect(await store().takeBudget(key, 3)).toBe(false);
      expect(await store().takeBudget(uid("llm"), 0)).toBe(false);
    });

    it("20 concurrent uses against a limit of 5: exactly 5 are counted", async () => {
      const key = uid("llm");
      const taken = await Promise.all(Array.from({ length: 20 }, () => store().takeBudget(key, 5)));
      expect(taken.filter(Boolean)).toHaveLength(5);
      expect(await store().takeBudget(key, 5)).toBe(false);
      expect(await store().takeBudget(key, 6)).toBe(true);
    });
  });
}
