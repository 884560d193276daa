/**
 * Who a participant is, as the server issued it: a participant id and a
 * session id the server chose (never taken from a link), the study the
 * credential is bound to (null: the site's own session, any study), and the
 * recruiting panel's ids seen when the session started (Prolific's
 * PROLIFIC_PID, STUDY_ID, SESSION_ID), which are data, not identity:
 * knowing them gives nobody this participant's records
 * (docs/decisions/007-participant-identity.md).
 */
export type Panel = {
  /** PROLIFIC_PID (or another panel's participant id). */
  participantId: string | null;
  /** Prolific's STUDY_ID. */
  studyId: string | null;
  /** Prolific's SESSION_ID. */
  sessionId: string | null;
};

export const NO_PANEL: Panel = { participantId: null, studyId: null, sessionId: null };

export type Participant = {
  userId: string;
  sessionId: string;
  /** The only study this credential may act in; null: any study and the open chat. */
  studyId: string | null;
  panel: Panel;
  /**
   * Where the panel takes the participant's submission at the end, bound with
   * the panel ids from the same link: MTurk's turkSubmitTo, only ever one of
   * api/studies/panels.ts's MTURK_ORIGINS. Absent or null: none.
   */
  panelSubmitTo?: string | null;
  /**
   * "full" for the session itself; "events" for the copy the page gives the
   * browser tracker, which can only record events (so a script on the page
   * that read it could do no more than the page itself).
   */
  scope: "full" | "events";
  /**
   * "url" for a token made to travel in a study page's URL inside a frame
   * whose cookies the browser blocks (api/participants/url-token.ts): bound
   * to one study, short-lived, and refused once the participant finished.
   * Absent for every other credential.
   */
  carrier?: "url";
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
};

/** How long a participant's session or token is valid: long enough to return to a study days later. */
export const SESSION_SECONDS = 30 * 24 * 60 * 60;

export function newParticipant(
  panel: Panel,
  studyId: string | null,
  now = Date.now(),
  panelSubmitTo: string | null = null,
): Participant {
  const issuedAt = Math.floor(now / 1000);
  return {
    userId: crypto.randomUUID(),
    sessionId: crypto.randomUUID(),
    studyId,
    panel,
    ...(panelSubmitTo ? { panelSubmitTo } : {}),
    scope: "full",
    issuedAt,
    expiresAt: issuedAt + SESSION_SECONDS,
  };
}
