import type { Study } from "./definition";

/**
 * Which condition a new participant gets. `weighted`: at random, in
 * proportion to the weights. `balanced`: the least-filled condition
 * (relative to its weight), by the participant's arrival number `seq`,
 * which the store hands out uniquely per study: two participants who
 * arrive at once get different numbers, so they are balanced too. Ties
 * are broken by a hash of the study and the arrival number, so with equal
 * weights every block of arrivals is a fresh permutation of the conditions
 * (permuted-block randomisation), reproducible from the data.
 */
export function chooseCondition(study: Study, seq: number, random: () => number = Math.random): string {
  return study.assignment === "balanced" ? balancedPick(study, seq) : weightedPick(study, random());
}

function weightedPick(study: Study, r: number): string {
  const total = study.conditions.reduce((sum, c) => sum + c.weight, 0);
  let point = r * total;
  for (const condition of study.conditions) {
    point -= condition.weight;
    if (point < 0) return condition.id;
  }
  // r close to 1 with rounding: the last condition.
  return study.conditions[study.conditions.length - 1]?.id ?? "";
}

/** FNV-1a, 32 bits: a stable hash for tie-breaking (not for secrecy). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type Fill = { next: number; counts: number[] };

/** The fill after the arrivals so far, per study and version: each pick costs O(conditions), not O(seq). */
const fills = new Map<string, Fill>();

function balancedPick(study: Study, seq: number): string {
  const key = `${study.id}\u0000${study.version}\u0000${study.conditions.map((c) => `${c.id}:${c.weight}`).join(",")}`;
  let fill = fills.get(key);
  if (!fill || fill.next > seq) {
    fill = { next: 0, counts: study.conditions.map(() => 0) };
    fills.set(key, fill);
  }
  let pick = 0;
  while (fill.next <= seq) {
    pick = leastFilled(study, fill.counts, fill.next);
    fill.counts[pick] = (fill.counts[pick] ?? 0) + 1;
    fill.next++;
  }
  return study.conditions[pick]?.id ?? "";
}

/**
 * The condition furthest behind its share: after `arrival` arrivals a
 * condition of weight w should hold (arrival + 1) * w / W of them; the one
 * with the largest shortfall gets the next participant. Every condition then
 * stays within one participant of its share at every point.
 */
function leastFilled(study: Study, counts: number[], arrival: number): number {
  const total = study.conditions.reduce((sum, c) => sum + c.weight, 0);
  const shortfalls = study.conditions.map((c, i) => ((arrival + 1) * c.weight) / total - (counts[i] ?? 0));
  const largest = Math.max(...shortfalls);
  const tied = shortfalls.flatMap((s, i) => (largest - s < 1e-9 ? [i] : []));
  return tied[hash(`${study.id}#${arrival}`) % tied.length] ?? 0;
}
