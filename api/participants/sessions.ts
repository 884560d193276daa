import type { Deps } from "../deps";
import { studyOrError } from "../studies/participants";
import { issueToken } from "./credential";
import { type Caller, checkStudyScope } from "./guard";
import { newParticipant, type Panel, type Participant, SESSION_SECONDS } from "./participant";

/**
 * Starting (or continuing) a participant's session. Stateless: the
 * credential is signed, nothing is stored, so only the rate limit on new
 * sessions bounds what a stranger can do with it.
 *
 * - A caller with a valid credential keeps their identity. Panel ids
 *   (PROLIFIC_PID, STUDY_ID, SESSION_ID) bind to the session that first sees
 *   them, all together; a session that has them keeps them, whatever a later
 *   link says, so a link can never switch a session to someone else.
 * - Anyone else gets a new participant and session, with ids the server
 *   chose.
 */
export type SessionInput = { studyId: string | null; panel: Panel };

export type StartedSession = {
  participant: Participant;
  token: string;
  /** The same session, for the browser tracker: it can only record events. */
  eventsToken: string;
  created: boolean;
};

async function started(participant: Participant, secrets: readonly string[], created: boolean) {
  const [token, eventsToken] = await Promise.all([
    issueToken(participant, secrets),
    issueToken({ ...participant, scope: "events" }, secrets),
  ]);
  return { participant, token, eventsToken, created };
}

/** Re-issued when older than this, so an active participant's session does not run out mid-study. */
const REFRESH_AFTER_SECONDS = 24 * 60 * 60;

const hasPanel = (panel: Panel) =>
  panel.participantId !== null || panel.studyId !== null || panel.sessionId !== null;

export async function startSession(deps: Deps, caller: Caller, input: SessionInput): Promise<StartedSession> {
  if (input.studyId !== null) studyOrError(deps, input.studyId);
  const known = caller.participant?.scope === "full" ? caller.participant : null;
  const secrets = deps.config.sessionSecrets;
  if (known) {
    checkStudyScope(known, input.studyId);
    const now = Math.floor(Date.now() / 1000);
    const bindPanel = !hasPanel(known.panel) && hasPanel(input.panel);
    const stale = now - known.issuedAt > REFRESH_AFTER_SECONDS;
    if (!bindPanel && !stale) return started(known, secrets, false);
    const participant: Participant = {
      ...known,
      panel: bindPanel ? input.panel : known.panel,
      issuedAt: now,
      expiresAt: now + SESSION_SECONDS,
    };
    return started(participant, secrets, false);
  }
  await deps.limits.take("enroll", { sessionId: null, ip: caller.ip });
  const participant = newParticipant(input.panel, input.studyId);
  return started(participant, secrets, true);
}
