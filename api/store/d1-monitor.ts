import { type MonitorParts, middle, studyMonitorOf } from "./monitor-rows";
import { STORE_LIMITS, type StudyMonitor } from "./store";

/*
 * A study's monitor on D1, from the rollups that triggers keep
 * (migrations/0007_rollups.sql, docs/decisions/015-monitor-rollups.md): its
 * cost follows the study's participants, conditions and hours, not its
 * records. Two round trips: the counts (one batch), then each condition's
 * medians, exact, read from the middle of an index on (study, condition,
 * value) at the offset that the counts give.
 */

const CONSENT = `SELECT COUNT(CASE WHEN shown > 0 THEN 1 END) AS shown,
    COUNT(CASE WHEN declined > 0 THEN 1 END) AS declined
  FROM consent_counts WHERE study_id = ?1`;

const ASSIGNMENTS = `SELECT condition, COUNT(*) AS consented, COUNT(finished_at) AS finished
  FROM assignments WHERE study_id = ?1 GROUP BY condition`;

const OUTCOMES = `SELECT condition, outcome, COUNT(*) AS n
  FROM assignments WHERE study_id = ?1 AND outcome IS NOT NULL GROUP BY condition, outcome`;

const WITHDRAWALS = "SELECT condition, COUNT(*) AS n FROM withdrawals WHERE study_id = ?1 GROUP BY condition";

// A row of answer_counts is one participant with at least one answer in the condition.
const ANSWERS = `SELECT condition, SUM(answers) AS answers, COUNT(*) AS answering, SUM(failures) AS failures,
    SUM(stopped) AS stopped, SUM(with_latency) AS with_latency, SUM(with_ttft) AS with_ttft,
    SUM(with_usage) AS with_usage, SUM(prompt_tokens) AS prompt_tokens,
    SUM(completion_tokens) AS completion_tokens, SUM(total_tokens) AS total_tokens
  FROM answer_counts WHERE study_id = ?1 GROUP BY condition`;

const DUPLICATE_PANEL_IDS = `SELECT COUNT(*) AS n FROM (
    SELECT panel_participant_id FROM assignments
    WHERE study_id = ?1 AND panel_participant_id IS NOT NULL
    GROUP BY panel_participant_id HAVING COUNT(*) > 1)`;

const ACTIVITY = `SELECT hour, SUM(CASE WHEN kind = 'QUERY' THEN n ELSE 0 END) AS answers,
    SUM(CASE WHEN kind = 'QUERY' THEN 0 ELSE n END) AS events
  FROM hourly_counts WHERE study_id = ?1 GROUP BY hour ORDER BY hour DESC LIMIT ?2`;

const MEDIAN_INDEX = {
  latency_ms: "queries_study_condition_latency",
  ttft_ms: "queries_study_condition_ttft",
};

/** The mean of the `take` values after the first `skip` of a condition's values in order. */
const median = (column: keyof typeof MEDIAN_INDEX) => `SELECT AVG(v) AS median FROM (
    SELECT ${column} AS v FROM queries INDEXED BY ${MEDIAN_INDEX[column]}
    WHERE study_id = ?1 AND condition = ?2 AND ${column} IS NOT NULL
    ORDER BY ${column} LIMIT ?3 OFFSET ?4)`;

type Rows = Record<string, unknown>[];
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));
const text = (v: unknown): string => String(v);

export async function d1StudyMonitor(db: D1Database, studyId: string): Promise<StudyMonitor> {
  const hours = STORE_LIMITS.monitorHours;
  const statements = [CONSENT, ASSIGNMENTS, WITHDRAWALS, ANSWERS, DUPLICATE_PANEL_IDS, OUTCOMES]
    .map((sql) => db.prepare(sql).bind(studyId))
    .concat([db.prepare(ACTIVITY).bind(studyId, hours)]);
  const results = (await db.batch<Record<string, unknown>>(statements)).map((r) => r.results as Rows);
  const [consent, assignments, withdrawals, answers, duplicates, outcomes, activity] = results;
  const counted = (answers ?? []).map((r) => ({
    condition: text(r.condition),
    answers: num(r.answers),
    answering: num(r.answering),
    failures: num(r.failures),
    stopped: num(r.stopped),
    withLatency: num(r.with_latency),
    withTtft: num(r.with_ttft),
    tokens: {
      answersWithUsage: num(r.with_usage),
      promptTokens: num(r.prompt_tokens),
      completionTokens: num(r.completion_tokens),
      totalTokens: num(r.total_tokens),
    },
  }));
  const medians = await d1Medians(db, studyId, counted);
  const first = consent?.[0] ?? {};
  const parts: MonitorParts = {
    consent: { shown: num(first.shown), declined: num(first.declined) },
    assignments: (assignments ?? []).map((r) => ({
      condition: text(r.condition),
      consented: num(r.consented),
      finished: num(r.finished),
    })),
    outcomes: (outcomes ?? []).map((r) => ({
      condition: text(r.condition),
      outcome: text(r.outcome),
      participants: num(r.n),
    })),
    withdrawals: (withdrawals ?? []).map((r) => ({
      condition: r.condition === null ? null : text(r.condition),
      n: num(r.n),
    })),
    answers: counted.map(({ withLatency: _l, withTtft: _t, ...counts }) => counts),
    ...medians,
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

/** Each condition's median latency and time to first token, in one batch; none for a condition without values. */
async function d1Medians(
  db: D1Database,
  studyId: string,
  counted: { condition: string; withLatency: number; withTtft: number }[],
): Promise<Pick<MonitorParts, "medianLatency" | "medianTtft">> {
  const wanted = counted.flatMap((c) =>
    (
      [
        ["latency_ms", c.withLatency],
        ["ttft_ms", c.withTtft],
      ] as const
    )
      .filter(([, n]) => n > 0)
      .map(([column, n]) => ({ column, condition: c.condition, ...middle(n) })),
  );
  const found: Pick<MonitorParts, "medianLatency" | "medianTtft"> = { medianLatency: [], medianTtft: [] };
  if (wanted.length === 0) return found;
  const results = await db.batch<{ median: number | null }>(
    wanted.map((w) => db.prepare(median(w.column)).bind(studyId, w.condition, w.take, w.skip)),
  );
  wanted.forEach((w, i) => {
    const value = results[i]?.results[0]?.median;
    if (value === null || value === undefined) return;
    (w.column === "latency_ms" ? found.medianLatency : found.medianTtft).push({
      condition: w.condition,
      median: num(value),
    });
  });
  return found;
}
