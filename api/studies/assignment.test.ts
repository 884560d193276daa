import { describe, expect, it } from "vitest";
import { prng } from "../../tests/support/prng";
import { chooseCondition } from "./assignment";
import { type Study, studySchema } from "./definition";

function study(weights: number[], assignment: "weighted" | "balanced", id = "assign-test"): Study {
  return studySchema.parse({
    id,
    version: 1,
    title: "Assignment",
    consent: "Yes?",
    task: "Chat.",
    assignment,
    conditions: weights.map((weight, i) => ({ id: `c${i}`, weight })),
    completion: { code: "DONE" },
  });
}

function countsOf(ids: string[], conditions: string[]): number[] {
  return conditions.map((c) => ids.filter((id) => id === c).length);
}

describe("weighted assignment", () => {
  it("gives each condition its share of 20,000 participants within 4 standard deviations", () => {
    const weights = [1, 1, 2];
    const s = study(weights, "weighted");
    const n = 20_000;
    for (const seed of [1, 2, 3]) {
      const random = prng(seed);
      const picks = Array.from({ length: n }, (_, seq) => chooseCondition(s, seq, random));
      const counts = countsOf(picks, ["c0", "c1", "c2"]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      weights.forEach((w, i) => {
        // Each count is Binomial(n, p) with p = w / W. Its standard deviation is
        // sqrt(n p (1 - p)): about 61 for p = 1/4 and 71 for p = 1/2 at n = 20,000.
        // A fair assignment falls outside 4 sd with probability about 6e-5 (normal
        // approximation), so this bound does not flake; an assignment that ignored
        // the weights (1/3 each: 6,667 instead of 5,000 or 10,000) is more than
        // 20 sd away and fails it.
        const p = w / 4;
        const sd = Math.sqrt(n * p * (1 - p));
        expect(Math.abs((counts[i] ?? 0) - n * p), `condition c${i}, seed ${seed}: ${counts}`).toBeLessThan(
          4 * sd,
        );
      });
    }
  });

  it("maps the random number onto the weights in order: [0, 1/4) c0, [1/4, 1/2) c1, [1/2, 1) c2", () => {
    const s = study([1, 1, 2], "weighted");
    const at = (r: number) => chooseCondition(s, 0, () => r);
    expect([0, 0.2499, 0.25, 0.4999, 0.5, 0.75].map(at)).toEqual(["c0", "c0", "c1", "c1", "c2", "c2"]);
  });

  it("gives the last condition for a random number just below 1 (never an empty id)", () => {
    for (const weights of [[1, 1, 2], [0.1, 0.2, 0.3], [1e-6, 1e6], [3]]) {
      const s = study(weights, "weighted");
      const last = `c${weights.length - 1}`;
      expect(chooseCondition(s, 0, () => 1 - Number.EPSILON)).toBe(last);
      expect(chooseCondition(s, 0, () => 0.999_999_999)).toBe(last);
    }
  });

  it("draws one random number per participant, and only in weighted mode", () => {
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    chooseCondition(study([1, 1], "weighted"), 0, counting);
    expect(draws).toBe(1);
    chooseCondition(study([1, 1], "balanced"), 0, counting);
    expect(draws).toBe(1);
  });
});

describe("balanced assignment", () => {
  /** The conditions of arrivals 0..n-1, asked in order. */
  const sequence = (s: Study, n: number) => Array.from({ length: n }, (_, seq) => chooseCondition(s, seq));

  it.each([
    [[1, 1, 2], 400],
    [[1, 1, 1], 300],
  ])("keeps every condition within 1 of n·w/W after every arrival (weights %j)", (weights, n) => {
    const s = study(weights, "balanced");
    const W = weights.reduce((a, b) => a + b, 0);
    const counts = weights.map(() => 0);
    sequence(s, n).forEach((id, seq) => {
      const index = Number(id.slice(1));
      counts[index] = (counts[index] ?? 0) + 1;
      const arrivals = seq + 1;
      weights.forEach((w, i) => {
        expect(
          Math.abs((counts[i] ?? 0) - (arrivals * w) / W),
          `after ${arrivals} arrivals, c${i}: counts ${counts}`,
        ).toBeLessThan(1);
      });
    });
  });

  it("fills each block of three arrivals with one of each condition (weights 1:1:1), not round-robin", () => {
    const s = study([1, 1, 1], "balanced");
    const picks = sequence(s, 300);
    const blocks = Array.from({ length: 100 }, (_, b) => picks.slice(3 * b, 3 * b + 3).join(","));
    for (const block of blocks) expect(block.split(",").sort()).toEqual(["c0", "c1", "c2"]);
    // Permuted blocks: the order within blocks varies, so the next condition cannot be guessed.
    expect(blocks.some((block) => block !== "c0,c1,c2")).toBe(true);
    expect(new Set(blocks).size).toBeGreaterThan(2);
  });

  it("gives the same condition for the same arrival, also asked again, out of order or by another copy of the study", () => {
    const s = study([1, 1, 2], "balanced");
    const inOrder = sequence(s, 120);
    const shuffled = [119, 3, 57, 0, 57, 118, 1, 60, 2, 119, 30, 30];
    for (const seq of shuffled) expect(chooseCondition(s, seq), `arrival ${seq}`).toBe(inOrder[seq]);
    // Another isolate has its own copy of the definition: the same picks.
    const copy = study([1, 1, 2], "balanced");
    for (const seq of [...shuffled].reverse())
      expect(chooseCondition(copy, seq), `copy, arrival ${seq}`).toBe(inOrder[seq]);
    expect(sequence(copy, 120)).toEqual(inOrder);
  });

  it("does not depend on the random number generator", () => {
    const s = study([1, 1, 2], "balanced");
    const expected = sequence(s, 40);
    expect(Array.from({ length: 40 }, (_, seq) => chooseCondition(s, seq, () => 0.99))).toEqual(expected);
    expect(Array.from({ length: 40 }, (_, seq) => chooseCondition(s, seq, () => 0))).toEqual(expected);
  });
});
