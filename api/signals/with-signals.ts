import type { Assignment, Store } from "../store/store";
import type { SignalSummary } from "./flags";

/**
 * Rows of participants (the monitor's list, the `participants` download)
 * with each one's input signals summary: one store call per study among
 * the rows, messages stored before `before` only when it is given.
 */
export async function withSignals<R extends { assignment: Assignment }>(
  store: Pick<Store, "participantSignals">,
  rows: R[],
  before: string | null,
): Promise<(R & { inputSignals: SignalSummary | null })[]> {
  const byStudy = new Map<string, string[]>();
  for (const { assignment: a } of rows) byStudy.set(a.studyId, [...(byStudy.get(a.studyId) ?? []), a.userId]);
  const summaries = new Map<string, SignalSummary>();
  await Promise.all(
    [...byStudy].map(async ([studyId, userIds]) => {
      for (const s of await store.participantSignals(studyId, userIds, before)) {
        summaries.set(JSON.stringify([studyId, s.userId]), s);
      }
    }),
  );
  return rows.map((row) => ({
    ...row,
    inputSignals: summaries.get(JSON.stringify([row.assignment.studyId, row.assignment.userId])) ?? null,
  }));
}
