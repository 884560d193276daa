import { type MonitorParts, studyMonitorOf } from "./monitor-rows";
import { STORE_LIMITS, type StudyMonitor } from "./store";

/*
 * A study's monitor on D1: one batch (one round trip) of aggregates, each
 * served by an index on study_id. Medians without a median function: each
 * condition's values ranked by a window (ROW_NUMBER over the sorted values,
 * COUNT over the partition), and the mean of the middle rank(s): for n
 * values ranks (n+1)/2 and (n+2)/2 in integer division, one rank when n is
 * odd, the two middle ones when it is even.
 */

const CONSENT = `SELECT
    COUNT(DISTINCT CASE WHEN extra_data ->> '$.step' = 'consent_shown' THEN user_id END) AS shown,
    COUNT(DISTINCT CASE WHEN extra_data ->> '$.step' = 'consent_declined' THEN user_id END) AS declined
  FROM events WHERE study_id = ?1 AND event_type = 'STUDY_STEP'`;

const ASSIGNMENTS = `SELECT condition, COUNT(*) AS consented, COUNT(finished_at) AS finished
  FROM assignments WHERE study_id = ?1 GROUP BY condition`;

const WITHDRAWALS = "SELECT condition, COUNT(*) AS n FROM withdrawals WHERE study_id = ?1 GROUP BY condition";

const ANSWERS = `SELECT condition, COUNT(*) AS answers, COUNT(DISTINCT user_id) AS answering,
    COUNT(error) AS failures, COALESCE(SUM(stopped), 0) AS stopped
  FROM queries WHERE study_id = ?1 AND condition IS NOT NULL GROUP BY condition`;

const median = (column: "latency_ms" | "ttft_ms") => `WITH ranked AS (
    SELECT condition, ${column} AS v,
      ROW_NUMBER() OVER (PARTITION BY condition ORDER BY ${column}) AS r,
      COUNT(*) OVER (PARTITION BY condition) AS n
    FROM queries WHERE study_id = ?1 AND condition IS NOT NULL AND ${column} IS NOT NULL)
  SELECT condition, AVG(v) AS median FROM ranked WHERE r IN ((n + 1) / 2, (n + 2) / 2) GROUP BY condition`;

const DUPLICATE_PANEL_IDS = `SELECT COUNT(*) AS n FROM (
    SELECT panel_participant_id FROM assignments
    WHERE study_id = ?1 AND panel_participant_id IS NOT NULL
    GROUP BY panel_participant_id HAVING COUNT(*) > 1)`;

// received_at is ISO-8601 text: its first 13 characters are the hour, 2026-01-31T13.
const ACTIVITY = `SELECT hour, SUM(answers) AS answers, SUM(events) AS events FROM (
    SELECT substr(received_at, 1, 13) AS hour, COUNT(*) AS answers, 0 AS events
      FROM queries WHERE study_id = ?1 GROUP BY hour
    UNION ALL
    SELECT substr(received_at, 1, 13) AS hour, 0 AS answers, COUNT(*) AS events
      FROM events WHERE study_id = ?1 GROUP BY hour)
  GROUP BY hour ORDER BY hour DESC LIMIT ?2`;

type Rows = Record<string, unknown>[];
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));
const text = (v: unknown): string => String(v);

export async function d1StudyMonitor(db: D1Database, studyId: string): Promise<StudyMonitor> {
  const hours = STORE_LIMITS.monitorHours;
  const statements = [CONSENT, ASSIGNMENTS, WITHDRAWALS, ANSWERS, median("latency_ms"), median("ttft_ms")]
    .map((sql) => db.prepare(sql).bind(studyId))
    .concat([db.prepare(DUPLICATE_PANEL_IDS).bind(studyId), db.prepare(ACTIVITY).bind(studyId, hours)]);
  const results = (await db.batch<Record<string, unknown>>(statements)).map((r) => r.results as Rows);
  const [consent, assignments, withdrawals, answers, latency, ttft, duplicates, activity] = results;
  const first = consent?.[0] ?? {};
  const medians = (rows: Rows = []) =>
    rows.map((r) => ({ condition: text(r.condition), median: num(r.median) }));
  const parts: MonitorParts = {
    consent: { shown: num(first.shown), declined: num(first.declined) },
    assignments: (assignments ?? []).map((r) => ({
      condition: text(r.condition),
      consented: num(r.consented),
      finished: num(r.finished),
    })),
    withdrawals: (withdrawals ?? []).map((r) => ({
      condition: r.condition === null ? null : text(r.condition),
      n: num(r.n),
    })),
    answers: (answers ?? []).map((r) => ({
      condition: text(r.condition),
      answers: num(r.answers),
      answering: num(r.answering),
      failures: num(r.failures),
      stopped: num(r.stopped),
    })),
    medianLatency: medians(latency),
    medianTtft: medians(ttft),
    duplicatePanelIds: num(duplicates?.[0]?.n),
    activity: (activity ?? []).map((r) => ({
      hour: text(r.hour),
      answers: num(r.answers),
      events: num(r.events),
    })),
    hours,
  };
  return studyMonitorOf(parts);
}
