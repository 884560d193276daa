import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { studyOrError } from "../studies/participants";
import { type ClientSignals, type InputSignals, withLength } from "./input-signals";

/**
 * The input signals a message is stored with: none when the client sent
 * none; refused (BAD_USER_INPUT, before a turn is taken) for a message
 * outside a study, or of a study that does not record them (botSignals off),
 * so nothing is recorded that the consent did not name.
 */
export function acceptedSignals(
  deps: Pick<Deps, "studies">,
  studyId: string | null,
  signals: ClientSignals | null,
  query: string,
): InputSignals | null {
  if (signals === null) return null;
  if (studyId === null || !studyOrError(deps, studyId).botSignals) {
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      studyId === null
        ? "inputSignals: the open chat records no input signals; send the message without them."
        : `inputSignals: study "${studyId}" does not record input signals (its botSignals is off); send the message without them.`,
      { field: "inputSignals" },
    );
  }
  return withLength(signals, query);
}
