import type { ConditionMonitor, StudyMonitor, TokenTotals } from "./store";

/**
 * What both adapters' monitor queries yield, merged the same way: per
 * condition, the assignment counts, withdrawals, answer counts and medians
 * (each a small list from one aggregate), into StudyMonitor's shape.
 */
export type MonitorParts = {
  consent: { shown: number; declined: number };
  assignments: { condition: string; consented: number; finished: number }[];
  /** Finished assignments per condition and outcome, in any order. */
  outcomes: { condition: string; outcome: string; participants: number }[];
  withdrawals: { condition: string | null; n: number }[];
  answers: {
    condition: string;
    answers: number;
    answering: number;
    failures: number;
    stopped: number;
    tokens: TokenTotals;
  }[];
  medianLatency: { condition: string; median: number }[];
  medianTtft: { condition: string; median: number }[];
  duplicatePanelIds: number;
  /** Per hour, in any order, possibly one entry for answers and another for events of the same hour. */
  activity: { hour: string; answers: number; events: number }[];
  hours: number;
};

/** A condition nobody has reached yet: every count 0, no medians. */
export const emptyCondition = (condition: string): ConditionMonitor => ({
  condition,
  consented: 0,
  inProgress: 0,
  finished: 0,
  withdrawn: 0,
  answers: 0,
  answering: 0,
  failures: 0,
  stopped: 0,
  medianLatencyMs: null,
  medianTtftMs: null,
  tokens: { answersWithUsage: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0 },
  outcomes: [],
});

export function studyMonitorOf(parts: MonitorParts): StudyMonitor {
  const byCondition = new Map<string, ConditionMonitor>();
  const at = (condition: string) => {
    let entry = byCondition.get(condition);
    if (!entry) {
      entry = emptyCondition(condition);
      byCondition.set(condition, entry);
    }
    return entry;
  };
  for (const a of parts.assignments) {
    Object.assign(at(a.condition), {
      consented: a.consented,
      finished: a.finished,
      inProgress: a.consented - a.finished,
    });
  }
  for (const { condition, outcome, participants } of parts.outcomes) {
    at(condition).outcomes.push({ outcome, participants });
  }
  for (const entry of byCondition.values()) entry.outcomes.sort((a, b) => (a.outcome < b.outcome ? -1 : 1));
  let withdrawnUnassigned = 0;
  for (const w of parts.withdrawals) {
    if (w.condition === null) withdrawnUnassigned += w.n;
    else at(w.condition).withdrawn += w.n;
  }
  for (const { condition, ...counts } of parts.answers) Object.assign(at(condition), counts);
  for (const m of parts.medianLatency) at(m.condition).medianLatencyMs = m.median;
  for (const m of parts.medianTtft) at(m.condition).medianTtftMs = m.median;
  const hours = new Map<string, { hour: string; answers: number; events: number }>();
  for (const h of parts.activity) {
    const entry = hours.get(h.hour) ?? { hour: h.hour, answers: 0, events: 0 };
    entry.answers += h.answers;
    entry.events += h.events;
    hours.set(h.hour, entry);
  }
  return {
    consentShown: parts.consent.shown,
    consentDeclined: parts.consent.declined,
    withdrawnUnassigned,
    duplicatePanelIds: parts.duplicatePanelIds,
    conditions: [...byCondition.values()].sort((a, b) => (a.condition < b.condition ? -1 : 1)),
    activity: [...hours.values()].sort((a, b) => (a.hour < b.hour ? -1 : 1)).slice(-parts.hours),
  };
}

/** The middle position(s) of n sorted values, 0-based: one for odd n, two (whose mean is the median) for even n. */
export function middle(n: number): { skip: number; take: number } {
  return { skip: Math.floor((n - 1) / 2), take: n % 2 === 0 ? 2 : 1 };
}
