import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { studyOrError } from "../studies/participants";
import { issueToken } from "./credential";
import { type Caller, checkStudyScope } from "./guard";
import { newParticipant, type Panel, type Participant, SESSION_SECONDS } from "./participant";
import { issueUrlToken, URL_TOKEN_SECONDS } from "./url-token";

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
export type SessionInput = {
  studyId: string | null;
  panel: Panel;
  /** Also issue the study-bound token for a page's URL (url-token.ts); needs studyId. */
  urlToken?: boolean;
};

export type StartedSession = {
  participant: Participant;
  token: string;
  /** The same session, for the browser tracker: it can only record events. */
  eventsToken: string;
  /** The token for the page's URL (url-token.ts), when asked for; null otherwise. */
  urlToken: string | null;
  created: boolean;
};

async function started(
  participant: Participant,
  secrets: readonly string[],
  created: boolean,
  urlTokenStudy: string | null,
): Promise<StartedSession> {
  // The tracker's copy is never a URL token (it is not in a URL), but lives no longer than one.
  const { carrier: _, ...events } = { ...participant, scope: "events" as const };
  const [token, eventsToken, urlToken] = await Promise.all([
    issueToken(participant, secrets),
    issueToken(events, secrets),
    urlTokenStudy === null ? null : issueUrlToken(participant, urlTokenStudy, secrets),
  ]);
  return { participant, token, eventsToken, urlToken, created };
}

/**
 * Whether a URL token meets a link that names other panel ids: a URL token
 * is bound to its panel ids, so such a link starts a new participant rather
 * than acting as the token's (a session's cookie keeps its ids instead).
 */
const otherPanel = (known: Participant, panel: Panel) =>
  known.carrier === "url" &&
  hasPanel(known.panel) &&
  hasPanel(panel) &&
  (known.panel.participantId !== panel.participantId ||
    known.panel.studyId !== panel.studyId ||
    known.panel.sessionId !== panel.sessionId);

/** Re-issued when older than this, so an active participant's session does not run out mid-study. */
const REFRESH_AFTER_SECONDS = 24 * 60 * 60;

const hasPanel = (panel: Panel) =>
  panel.participantId !== null || panel.studyId !== null || panel.sessionId !== null;

export async function startSession(deps: Deps, caller: Caller, input: SessionInput): Promise<StartedSession> {
  if (input.studyId !== null) studyOrError(deps, input.studyId);
  if (input.urlToken && input.studyId === null) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, "urlToken needs studyId: a URL token acts in one study.");
  }
  const urlTokenStudy = input.urlToken ? input.studyId : null;
  const full = caller.participant?.scope === "full" ? caller.participant : null;
  const known = full && !otherPanel(full, input.panel) ? full : null;
  const secrets = deps.config.sessionSecrets;
  if (known) {
    checkStudyScope(known, input.studyId);
    const now = Math.floor(Date.now() / 1000);
    const bindPanel = !hasPanel(known.panel) && hasPanel(input.panel);
    // A URL token is re-issued on every page, so only an idle one runs out (url-token.ts).
    const stale = known.carrier === "url" || now - known.issuedAt > REFRESH_AFTER_SECONDS;
    if (!bindPanel && !stale) return started(known, secrets, false, urlTokenStudy);
    const participant: Participant = {
      ...known,
      panel: bindPanel ? input.panel : known.panel,
      issuedAt: now,
      expiresAt: now + (known.carrier === "url" ? URL_TOKEN_SECONDS : SESSION_SECONDS),
    };
    return started(participant, secrets, false, urlTokenStudy);
  }
  await deps.limits.take("enroll", { sessionId: null, ip: caller.ip });
  const participant = newParticipant(input.panel, input.studyId);
  return started(participant, secrets, true, urlTokenStudy);
}
