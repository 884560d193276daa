/**
 * Made-up monitor measures for the plots' tests, benchmark and screenshots:
 * three conditions with ten ranks, and an empty condition. Deterministic
 * (no randomness), with the invariants the API keeps (seen <= shown,
 * clicked <= shown, rates null when their denominator is 0).
 */
import type { ConditionMeasures, RankClickThrough } from "../../web/research/measures";

function rank(
  rank: number,
  shown: number,
  seen: number,
  clicked: number,
  seenClicked: number,
): RankClickThrough {
  return {
    rank,
    shown,
    seen,
    clicked,
    seenClicked,
    clickRate: shown > 0 ? clicked / shown : null,
    seenClickRate: seen > 0 ? seenClicked / seen : null,
  };
}

/** A condition whose click rate falls with rank by `decay`, over `answers` answers. */
export function sampleCondition(
  condition: string,
  answers: number,
  decay: number,
  ranks = 10,
): ConditionMeasures {
  const byDisplayedRank = Array.from({ length: ranks }, (_, i) => {
    const shown = answers;
    const seen = Math.round(answers * Math.max(0.2, 1 - i * 0.09));
    const clicked = Math.round(shown * 0.4 * decay ** i);
    const seenClicked = Math.min(seen, Math.round(clicked * 0.85));
    return rank(i + 1, shown, seen, clicked, seenClicked);
  });
  // Rank 3 is an injected source in every answer: it has a displayed rank, no original one.
  const byOriginalRank = byDisplayedRank
    .filter((r) => r.rank !== 3)
    .map((r, i) => rank(i + 1, r.shown, r.seen, r.clicked, r.seenClicked));
  const sum = (list: RankClickThrough[], k: "shown" | "seen" | "clicked" | "seenClicked") =>
    list.reduce((s, r) => s + r[k], 0);
  const consented = Math.round(answers / 3);
  const finished = Math.round(consented * 0.8);
  const scrolled = Math.round(consented * 0.9);
  const depth = [1, 1, 2, 3, 5, 8, 13, 21, 34, 55].map((w) => w * decay);
  const depthTotal = depth.reduce((a, b) => a + b, 0);
  const depthCounts = depth.map((w) => Math.floor((w / depthTotal) * scrolled));
  depthCounts[9] = (depthCounts[9] ?? 0) + scrolled - depthCounts.reduce((a, b) => a + b, 0);
  const edges = [0, 60_000, 120_000, 300_000, 600_000, 900_000, 1_200_000, 1_800_000];
  const timeShares = [0.05, 0.1, 0.25, 0.3, 0.15, 0.1, 0.03, 0.02];
  const timeCounts = timeShares.map((s) => Math.floor(s * finished));
  timeCounts[3] = (timeCounts[3] ?? 0) + finished - timeCounts.reduce((a, b) => a + b, 0);
  const questionShares = [0.05, 0.3, 0.3, 0.2, 0.1, 0.05];
  const questionCounts = questionShares.map((s) => Math.floor(s * consented));
  questionCounts[1] = (questionCounts[1] ?? 0) + consented - questionCounts.reduce((a, b) => a + b, 0);
  return {
    condition,
    consented,
    clickThrough: {
      shown: sum(byDisplayedRank, "shown"),
      seen: sum(byDisplayedRank, "seen"),
      clicked: sum(byDisplayedRank, "clicked"),
      seenClicked: sum(byDisplayedRank, "seenClicked"),
      byDisplayedRank,
      byOriginalRank,
    },
    timeOnTask: {
      finished,
      medianMs: finished > 0 ? 420_000 * decay : null,
      buckets: edges.map((fromMs, i) => ({
        fromMs,
        toMs: edges[i + 1] ?? null,
        participants: timeCounts[i] ?? 0,
      })),
    },
    questionsPerParticipant: questionCounts.map((participants, questions) => ({
      questions,
      atLeast: questions === questionCounts.length - 1,
      participants,
    })),
    scrollDepth: {
      participants: scrolled,
      buckets: depthCounts.map((participants, i) => ({ from: i / 10, to: (i + 1) / 10, participants })),
    },
    conversions: [
      { label: "survey-complete", events: finished, participants: finished },
      {
        label: "clicked-buy-button",
        events: Math.round(consented * 0.4 * decay),
        participants: Math.round(consented * 0.3 * decay),
      },
    ],
  };
}

/** A condition nobody has been assigned to yet: every list empty, every count 0. */
export function emptyCondition(condition: string): ConditionMeasures {
  return {
    condition,
    consented: 0,
    clickThrough: { shown: 0, seen: 0, clicked: 0, seenClicked: 0, byDisplayedRank: [], byOriginalRank: [] },
    timeOnTask: { finished: 0, medianMs: null, buckets: [] },
    questionsPerParticipant: [],
    scrollDepth: { participants: 0, buckets: [] },
    conversions: [],
  };
}

export const SAMPLE_CONDITIONS: ConditionMeasures[] = [
  sampleCondition("control", 120, 0.8),
  sampleCondition("reversed", 96, 0.92),
  sampleCondition("no-snippets", 108, 0.7),
];
