import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { type Caller, checkStudyScope, requireParticipant } from "../participants/guard";
import type { Assignment } from "../store/store";
import type { Study } from "./definition";
import { endingOf, endStudy } from "./end-study";
import type { Ending } from "./outcomes";
import { assignmentOf, studyOrError } from "./participants";
import { secondsUntilFinish } from "./time-gates";
import { applyTimeLimit } from "./time-up";

/** Why the participant may not finish yet, or null when they may. */
function unmetCriteria(study: Study, assignment: Assignment, now: number): DomainError | null {
  const { minTurns, minSeconds } = study.completion;
  if (minTurns !== undefined && assignment.turns < minTurns) {
    return new DomainError(
      ErrorCode.COMPLETION_NOT_MET,
      `Please send at least ${minTurns} message${minTurns === 1 ? "" : "s"} before you finish (you have sent ${assignment.turns}).`,
      { minTurns, turnsUsed: assignment.turns },
    );
  }
  const secondsLeft = secondsUntilFinish(study.completion, assignment, now);
  if (minSeconds !== undefined && secondsLeft > 0) {
    return new DomainError(
      ErrorCode.COMPLETION_NOT_MET,
      `Please take part a little longer: you can finish in ${secondsLeft} second${secondsLeft === 1 ? "" : "s"}.`,
      { minSeconds, secondsLeft },
    );
  }
  return null;
}

/**
 * The participant finishes: once the study's completion criteria are met,
 * their part ends with the outcome completed (endStudy). A participant
 * whose part has ended already (finished, timed out, any outcome) gets
 * that ending again and nothing is stored; one whose time is up ends
 * timed-out instead.
 */
export async function finish(
  deps: Deps,
  caller: Caller,
  studyId: string,
  clientTime: string | null,
): Promise<Ending> {
  const participant = requireParticipant(caller);
  checkStudyScope(participant, studyId);
  const study = studyOrError(deps, studyId);
  const known = await assignmentOf(deps, study.id, participant.userId);
  if (!known) {
    throw new DomainError(ErrorCode.NOT_ENROLLED, `You have not consented to the study "${study.id}".`);
  }
  const assignment = await applyTimeLimit(deps, participant, study, known, clientTime);
  if (assignment.outcome !== null) return endingOf(study, assignment.outcome);
  const unmet = unmetCriteria(study, assignment, Date.now());
  if (unmet) throw unmet;
  return endStudy(deps, participant, study, "completed", clientTime);
}
