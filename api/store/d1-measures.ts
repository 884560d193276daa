import { type MeasureParts, studyMeasuresOf } from "./measures-rows";
import { type ConditionMeasures, DEPTH_BUCKETS, DURATION_EDGES_MS, QUESTIONS_AT_LEAST } from "./store";

/*
 * A study's participant measures on D1: one batch (one round trip) of
 * aggregates over the study's assignments (one row per participant), none
 * of which reads every event of the study:
 * - time on task from assigned_at and finished_at; its median ranked by a
 *   window, as d1-monitor.ts does for latencies;
 * - questions from assignments.turns (one per message sent, takeTurn);
 * - the deepest scroll per participant: one seek in the partial index
 *   events_scroll_depth (migrations/0008_measures.sql), ORDER BY ... DESC
 *   LIMIT 1 (MAX would scan: SQLite's min/max shortcut needs a bare column);
 * - conversions from conversion_counts, which triggers keep per
 *   participant and label (same migration).
 */

/** The index expression of events_scroll_depth (the same expression, whitespace aside): a number 0..1, else NULL. */
export const SCROLL_DEPTH = `(CASE WHEN json_type(extra_data, '$.scrollDepth') IN ('integer', 'real')
      AND extra_data ->> '$.scrollDepth' BETWEEN 0 AND 1
    THEN extra_data ->> '$.scrollDepth' END)`;

// Whole ms between two ISO-8601 times: julianday's double is exact to well under a millisecond.
const FINISHED = `WITH d AS (
    SELECT condition, CAST(ROUND((julianday(finished_at) - julianday(assigned_at)) * 86400000) AS INTEGER) AS ms
    FROM assignments WHERE study_id = ?1 AND finished_at IS NOT NULL)`;

/** The index into DURATION_EDGES_MS of the bucket that holds `ms`: how many edges after the first it has reached. */
const durationBucket = (ms: string) =>
  DURATION_EDGES_MS.slice(1)
    .map((edge) => `(${ms} >= ${edge})`)
    .join(" + ");

export const MEASURE_SQL = {
  conditions: "SELECT DISTINCT condition FROM assignments WHERE study_id = ?1",
  durations: `${FINISHED}
    SELECT condition, ${durationBucket("ms")} AS bucket, COUNT(*) AS n FROM d GROUP BY condition, bucket`,
  medians: `${FINISHED}, ranked AS (
      SELECT condition, ms AS v,
        ROW_NUMBER() OVER (PARTITION BY condition ORDER BY ms) AS r,
        COUNT(*) OVER (PARTITION BY condition) AS n
      FROM d)
    SELECT condition, AVG(v) AS median FROM ranked WHERE r IN ((n + 1) / 2, (n + 2) / 2) GROUP BY condition`,
  questions: `SELECT condition, MIN(turns, ${QUESTIONS_AT_LEAST}) AS bucket, COUNT(*) AS n
    FROM assignments WHERE study_id = ?1 GROUP BY condition, bucket`,
  // Each participant's deepest: the last index entry (NULLs sort first, so a participant without a depth gets NULL).
  depths: `WITH p AS MATERIALIZED (
      SELECT a.condition, (
        SELECT ${SCROLL_DEPTH} FROM events AS e
        WHERE e.study_id = a.study_id AND e.user_id = a.user_id AND e.event_type = 'SCROLL'
        ORDER BY ${SCROLL_DEPTH} DESC LIMIT 1) AS deepest
      FROM assignments AS a WHERE a.study_id = ?1)
    SELECT condition, MIN(CAST(deepest * ${DEPTH_BUCKETS} AS INTEGER), ${DEPTH_BUCKETS - 1}) AS bucket, COUNT(*) AS n
    FROM p WHERE deepest IS NOT NULL GROUP BY condition, bucket`,
  conversions: `SELECT a.condition, c.label, SUM(c.events) AS events, COUNT(*) AS participants
    FROM assignments AS a JOIN conversion_counts AS c ON c.study_id = a.study_id AND c.user_id = a.user_id
    WHERE a.study_id = ?1 GROUP BY a.condition, c.label`,
} as const;

type Rows = Record<string, unknown>[];
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));
const text = (v: unknown): string => String(v);

export async function d1StudyMeasures(db: D1Database, studyId: string): Promise<ConditionMeasures[]> {
  const order = ["conditions", "durations", "medians", "questions", "depths", "conversions"] as const;
  const results = await db.batch<Record<string, unknown>>(
    order.map((name) => db.prepare(MEASURE_SQL[name]).bind(studyId)),
  );
  const [conditions, durations, medians, questions, depths, conversions] = results.map(
    (r) => (r.results ?? []) as Rows,
  ) as [Rows, Rows, Rows, Rows, Rows, Rows];
  const buckets = (rows: Rows) =>
    rows.map((r) => ({ condition: text(r.condition), bucket: num(r.bucket), n: num(r.n) }));
  const parts: MeasureParts = {
    conditions: conditions.map((r) => text(r.condition)),
    durations: buckets(durations),
    medians: medians.map((r) => ({ condition: text(r.condition), median: num(r.median) })),
    questions: buckets(questions),
    depths: buckets(depths),
    conversions: conversions.map((r) => ({
      condition: text(r.condition),
      label: text(r.label),
      events: num(r.events),
      participants: num(r.participants),
    })),
  };
  return studyMeasuresOf(parts);
}
