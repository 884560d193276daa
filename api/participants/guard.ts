import { DomainError, ErrorCode } from "../errors";
import type { Participant } from "./participant";

/**
 * Every participant operation acts on the caller's own participant, taken
 * from their credential (the site's session, or a token the API issued),
 * never from an argument. Arguments that name a participant, a session or a
 * study are claims, checked against the credential.
 */

/** Who calls: a participant (their credential), a researcher (token), or nobody known. */
export type Caller = {
  participant: Participant | null;
  researcher: boolean;
  /** The client's IP address (or IPv6 /64), for rate limits; null when unknown. */
  ip: string | null;
};

/** The caller's participant; a tracker's events-only credential counts only where `eventsOnly` allows it. */
export function requireParticipant(caller: Caller, eventsOnly = false): Participant {
  if (!caller.participant || (caller.participant.scope === "events" && !eventsOnly)) {
    throw new DomainError(
      ErrorCode.UNAUTHENTICATED,
      "This needs a participant session: open the study's link, or send the token that startSession returns in the X-Participant-Token header.",
    );
  }
  return caller.participant;
}

/** What a caller may say about who they are; each must match the credential. */
export type Claims = {
  userId?: string | null;
  sessionId?: string | null;
  prolificStudyId?: string | null;
};

export function checkClaims(participant: Participant, claims: Claims): void {
  const differs = (claimed: string | null | undefined, actual: string | null) =>
    claimed !== undefined && claimed !== null && claimed !== actual;
  if (
    differs(claims.userId, participant.userId) ||
    differs(claims.sessionId, participant.sessionId) ||
    differs(claims.prolificStudyId, participant.panel.studyId)
  ) {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      "userId, sessionId and prolificStudyId must be those of your own session (or be left out): a participant acts only as themselves.",
    );
  }
}

/** A credential bound to one study acts only in it (null: outside any study, the open chat). */
export function checkStudyScope(participant: Participant, studyId: string | null): void {
  if (participant.studyId !== null && participant.studyId !== studyId) {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      `This participant token is for the study "${participant.studyId}" only.`,
    );
  }
}

/**
 * Whose records a read is about: a participant reads their own (a userId
 * argument must be theirs); a researcher reads anyone's, by userId.
 */
export function readerOf(
  caller: Caller,
  userId: string | null,
): { userId: string; participant: Participant | null } {
  if (caller.participant?.scope === "full" && (userId === null || userId === caller.participant.userId)) {
    return { userId: caller.participant.userId, participant: caller.participant };
  }
  if (caller.researcher) {
    if (userId === null) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, "A researcher names the participant with userId.");
    }
    return { userId, participant: null };
  }
  if (caller.participant?.scope === "full") {
    throw new DomainError(ErrorCode.FORBIDDEN, "A participant can only read their own records.");
  }
  return { userId: requireParticipant(caller).userId, participant: null };
}
