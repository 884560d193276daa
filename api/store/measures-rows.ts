import { type ConditionMeasures, DEPTH_BUCKETS, DURATION_EDGES_MS, QUESTIONS_AT_LEAST } from "./store";

/**
 * What both adapters' measure queries yield (each a small list from one
 * aggregate, counted by bucket index), merged the same way into
 * ConditionMeasures: every bucket present, empty ones as 0.
 */
export type MeasureParts = {
  /** The conditions that the study's assignments name. */
  conditions: string[];
  /** Finished participants by index into DURATION_EDGES_MS. */
  durations: { condition: string; bucket: number; n: number }[];
  medians: { condition: string; median: number }[];
  /** Consented participants by min(questions, QUESTIONS_AT_LEAST). */
  questions: { condition: string; bucket: number; n: number }[];
  /** Participants by min(floor(deepest * DEPTH_BUCKETS), DEPTH_BUCKETS - 1). */
  depths: { condition: string; bucket: number; n: number }[];
  conversions: { condition: string; label: string; events: number; participants: number }[];
};

const counts = (length: number, rows: { bucket: number; n: number }[]): number[] => {
  const out = new Array<number>(length).fill(0);
  for (const r of rows) if (r.bucket >= 0 && r.bucket < length) out[r.bucket] = (out[r.bucket] ?? 0) + r.n;
  return out;
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** A bucket edge of the depth histogram: i / DEPTH_BUCKETS, exact for the decimal edges. */
const depthEdge = (i: number) => i / DEPTH_BUCKETS;

function conditionMeasures(
  condition: string,
  parts: Omit<MeasureParts, "conditions" | "medians"> & { median: number | null },
): ConditionMeasures {
  const durations = counts(DURATION_EDGES_MS.length, parts.durations);
  const questions = counts(QUESTIONS_AT_LEAST + 1, parts.questions);
  const depths = counts(DEPTH_BUCKETS, parts.depths);
  return {
    condition,
    timeOnTask: {
      finished: sum(durations),
      medianMs: parts.median,
      buckets: DURATION_EDGES_MS.map((fromMs, i) => ({
        fromMs,
        toMs: DURATION_EDGES_MS[i + 1] ?? null,
        participants: durations[i] ?? 0,
      })),
    },
    questionsPerParticipant: questions.map((participants, questions) => ({
      questions,
      atLeast: questions === QUESTIONS_AT_LEAST,
      participants,
    })),
    scrollDepth: {
      participants: sum(depths),
      buckets: depths.map((participants, i) => ({ from: depthEdge(i), to: depthEdge(i + 1), participants })),
    },
    conversions: parts.conversions
      .map(({ label, events, participants }) => ({ label, events, participants }))
      .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
  };
}

/** A condition without participants: every bucket 0, no median, no conversions. */
export const emptyMeasures = (condition: string): ConditionMeasures =>
  conditionMeasures(condition, { durations: [], median: null, questions: [], depths: [], conversions: [] });

export function studyMeasuresOf(parts: MeasureParts): ConditionMeasures[] {
  const of = <T extends { condition: string }>(rows: T[], condition: string) =>
    rows.filter((r) => r.condition === condition);
  return [...new Set(parts.conditions)]
    .sort((a, b) => (a < b ? -1 : 1))
    .map((condition) =>
      conditionMeasures(condition, {
        durations: of(parts.durations, condition),
        median: of(parts.medians, condition)[0]?.median ?? null,
        questions: of(parts.questions, condition),
        depths: of(parts.depths, condition),
        conversions: of(parts.conversions, condition),
      }),
    );
}
