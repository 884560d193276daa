import type { Deps } from "../deps";
import type { Participant } from "../participants/participant";
import type { Assignment } from "../store/store";
import type { Study } from "./definition";
import { endStudy } from "./end-study";
import { timeIsUp } from "./time-gates";

/**
 * The participant's assignment, ended with the outcome timed-out first
 * when their time is up (completion.maxSeconds since consent, on the
 * server's clock). Applied whenever the participant is next seen (a
 * message, the finish, a study page), so it holds without any script in
 * the page; the first end wins, so a participant who finished in time
 * keeps their outcome.
 */
export async function applyTimeLimit(
  deps: Deps,
  participant: Participant,
  study: Study,
  assignment: Assignment,
  clientTime: string | null,
): Promise<Assignment> {
  if (!timeIsUp(study.completion, assignment, Date.now())) return assignment;
  await endStudy(deps, participant, study, "timed-out", clientTime);
  return (await deps.store.getAssignment(study.id, participant.userId)) ?? assignment;
}
