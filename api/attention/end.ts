import type { Deps } from "../deps";
import type { Participant } from "../participants/participant";
import type { Study } from "../studies/definition";
import { logStep } from "../studies/participants";

/**
 * Ends a participation for failed attention checks. TEMPORARY until the
 * outcomes branch lands: then this is endStudy(deps, participant, study,
 * outcome, clientTime), which stores the outcome.
 */
export async function endForAttention(
  deps: Deps,
  participant: Participant,
  study: Study,
  outcome: string,
  clientTime: string | null,
): Promise<void> {
  const finished = await deps.store.finishAssignment(study.id, participant.userId);
  if (finished?.first) await logStep(deps, participant, study.id, outcome, clientTime);
}
