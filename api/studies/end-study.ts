import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import type { Participant } from "../participants/participant";
import type { Study } from "./definition";
import { type Ending, endingFor } from "./outcomes";
import { logStep } from "./participants";

/** What the participant is given for an outcome of the study; an error when the study defines none. */
export function endingOf(study: Study, outcome: string): Ending {
  const ending = endingFor(study, outcome);
  // The study file's validation asks for every outcome the platform can end
  // a participant with, so this is a caller's mistake or a stored outcome
  // that a later version of the file dropped.
  if (!ending)
    throw new Error(`study ${study.id} (version ${study.version}) defines no outcome "${outcome}"`);
  return ending;
}

/**
 * Ends the participant's part of the study with this outcome, once: the
 * first end wins (finishAssignment), and every later call, with any
 * outcome, returns the ending of the stored one. The first also stores a
 * STUDY_STEP event (extraData.step `completed` for the completed outcome,
 * `ended` for any other, and extraData.outcome). After it the participant
 * can send no more messages. NOT_ENROLLED without an assignment.
 */
export async function endStudy(
  deps: Deps,
  participant: Participant,
  study: Study,
  outcome: string,
  clientTime: string | null,
): Promise<Ending> {
  endingOf(study, outcome); // refused before anything is stored
  const ended = await deps.store.finishAssignment(study.id, participant.userId, outcome);
  if (!ended) {
    throw new DomainError(ErrorCode.NOT_ENROLLED, `You have not consented to the study "${study.id}".`);
  }
  const stored = ended.assignment.outcome ?? outcome;
  if (ended.first) {
    const step = stored === "completed" ? "completed" : "ended";
    await logStep(deps, participant, study.id, step, clientTime, { outcome: stored });
  }
  return endingOf(study, stored);
}
