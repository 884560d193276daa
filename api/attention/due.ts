import type { Assignment, AttentionResult } from "../store/store";
import type { Study } from "../studies/definition";
import type { AttentionCheck } from "./definition";

/**
 * Which of a study's attention checks the participant must answer now: the
 * first, in the study file's order, that is due and has no reply yet. A
 * check is due once the participant has sent `afterTurns` messages (their
 * answer is on the page before the check shows) or `afterSeconds` have
 * passed since consent, on the server's clock. Null when none is due.
 */
export function dueCheck(
  study: Pick<Study, "attentionChecks">,
  assignment: Pick<Assignment, "turns" | "assignedAt">,
  results: Pick<AttentionResult, "checkId">[],
  now: number,
): AttentionCheck | null {
  const answered = new Set(results.map((r) => r.checkId));
  const elapsed = (now - Date.parse(assignment.assignedAt)) / 1000;
  for (const check of study.attentionChecks) {
    if (answered.has(check.id)) continue;
    if (check.afterTurns !== undefined && assignment.turns >= check.afterTurns) return check;
    if (check.afterSeconds !== undefined && elapsed >= check.afterSeconds) return check;
  }
  return null;
}

/** How many distinct checks the participant failed (a check has one stored reply: its first). */
export function failuresOf(results: Pick<AttentionResult, "checkId" | "passed">[]): number {
  const failed = new Set(results.filter((r) => !r.passed).map((r) => r.checkId));
  return failed.size;
}
