import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { OPEN_CHAT_PANEL, type PanelLink, readPanelLink } from "../studies/panels";
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
 * - The panel ids come either as they are (`panel`, for API clients) or as
 *   the study link's query (`link`), which the panel of the link's study
 *   reads (api/studies/panels.ts; the open chat's link has Prolific's
 *   names). MTurk's turkSubmitTo, when it is MTurk's, binds with them;
 *   MTurk's preview binds nothing.
 */
export type SessionLink = { studyId: string | null; query: string };
export type SessionInput = {
  studyId: string | null;
  panel: Panel;
  link?: SessionLink | null;
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
  /** The link is a panel's preview (MTurk's, before the HIT is accepted): show what the study is and store nothing. */
  preview: boolean;
};

async function started(
  participant: Participant,
  secrets: readonly string[],
  created: boolean,
  preview: boolean,
  urlTokenStudy: string | null,
): Promise<StartedSession> {
  // The tracker's copy is never a URL token (it is not in a URL), but lives no longer than one.
  const { carrier: _, ...events } = { ...participant, scope: "events" as const };
  const [token, eventsToken, urlToken] = await Promise.all([
    issueToken(participant, secrets),
    issueToken(events, secrets),
    urlTokenStudy === null ? null : issueUrlToken(participant, urlTokenStudy, secrets),
  ]);
  return { participant, token, eventsToken, urlToken, created, preview };
}

/** What the link says, read by its study's panel; a link to a study that does not exist gives nothing (its page is a 404). */
function readLink(deps: Pick<Deps, "studies">, input: SessionInput): PanelLink {
  if (!input.link) return { ids: input.panel, preview: false, submitTo: null };
  if (hasPanel(input.panel)) {
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      "Give the panel ids either as they are or as the link's query, not both.",
    );
  }
  const { studyId, query } = input.link;
  const panel = studyId === null ? OPEN_CHAT_PANEL : deps.studies.get(studyId)?.panel;
  if (!panel) return { ids: input.panel, preview: false, submitTo: null };
  return readPanelLink(panel, new URLSearchParams(query));
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
  const link = readLink(deps, input);
  const full = caller.participant?.scope === "full" ? caller.participant : null;
  const known = full && !otherPanel(full, link.ids) ? full : null;
  const secrets = deps.config.sessionSecrets;
  if (known) {
    checkStudyScope(known, input.studyId);
    const now = Math.floor(Date.now() / 1000);
    const bindPanel = !hasPanel(known.panel) && hasPanel(link.ids);
    // A URL token is re-issued on every page, so only an idle one runs out (url-token.ts).
    const stale = known.carrier === "url" || now - known.issuedAt > REFRESH_AFTER_SECONDS;
    if (!bindPanel && !stale) return started(known, secrets, false, link.preview, urlTokenStudy);
    const participant: Participant = {
      ...known,
      ...(bindPanel ? { panel: link.ids, panelSubmitTo: link.submitTo } : {}),
      issuedAt: now,
      expiresAt: now + (known.carrier === "url" ? URL_TOKEN_SECONDS : SESSION_SECONDS),
    };
    return started(participant, secrets, false, link.preview, urlTokenStudy);
  }
  await deps.limits.take("enroll", { sessionId: null, ip: caller.ip });
  const participant = newParticipant(link.ids, input.studyId, Date.now(), link.submitTo);
  return started(participant, secrets, true, link.preview, urlTokenStudy);
}
