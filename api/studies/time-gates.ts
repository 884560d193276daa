import type { Assignment } from "../store/store";

/**
 * The study's time gates, on the server's clock from consent (the
 * assignment's assignedAt): finishing is refused before
 * `completion.minSeconds`, and after `completion.maxSeconds` the
 * participant's time is up (their part ends with the outcome timed-out).
 */

type Gates = { minSeconds?: number; maxSeconds?: number };

/** Seconds since the participant consented, at `now` (ms). */
export const secondsSinceConsent = (assignment: Pick<Assignment, "assignedAt">, now: number): number =>
  (now - Date.parse(assignment.assignedAt)) / 1000;

/** Whole seconds left before the participant may finish (0: they may), rounded up. */
export function secondsUntilFinish(
  gates: Gates,
  assignment: Pick<Assignment, "assignedAt">,
  now: number,
): number {
  if (gates.minSeconds === undefined) return 0;
  return Math.max(0, Math.ceil(gates.minSeconds - secondsSinceConsent(assignment, now)));
}

/** Whether the participant's time is up: maxSeconds have passed since consent (and they have not finished). */
export function timeIsUp(
  gates: Gates,
  assignment: Pick<Assignment, "assignedAt" | "finishedAt">,
  now: number,
) {
  return (
    gates.maxSeconds !== undefined &&
    assignment.finishedAt === null &&
    secondsSinceConsent(assignment, now) >= gates.maxSeconds
  );
}

/** What is wrong with the gates together: a maxSeconds that leaves no time to finish. */
export function timeGateProblems(gates: Gates): { path: PropertyKey[]; message: string }[] {
  if (
    gates.minSeconds !== undefined &&
    gates.maxSeconds !== undefined &&
    gates.maxSeconds <= gates.minSeconds
  ) {
    return [
      {
        path: ["completion", "maxSeconds"],
        message: `must be more than completion.minSeconds (${gates.minSeconds}), or nobody could finish`,
      },
    ];
  }
  return [];
}
