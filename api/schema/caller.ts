import type { Context } from "../context";
import { type Caller, type Claims, checkClaims, requireParticipant } from "../participants/guard";

/** The caller of a participant operation, after checking what the input claims about them. */
export function participantCaller(ctx: Context, claims: Claims, eventsOnly = false): Caller {
  checkClaims(requireParticipant(ctx.caller, eventsOnly), claims);
  return ctx.caller;
}

/** The optional ID arguments and fields as the domain takes them. */
export const idOrNull = (value: string | number | null | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

export const CREDENTIAL_NOTE =
  "Needs the participant's credential (the site's session, or the X-Participant-Token header with the token from startSession): without one UNAUTHENTICATED; userId, sessionId and prolificStudyId, when given, must be the credential's, else FORBIDDEN.";
