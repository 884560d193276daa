import type { AppLoadContext } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import { readCookie } from "../../api/http/cookies";
import { clientIp as clientIpOf } from "../../api/limits/client-ip";
import { type ApiClient, apiClient } from "../graphql/client.server";
import { StartSessionDocument } from "../graphql/generated/graphql";

/**
 * The participant's session on the site: a signed token (issued by the API,
 * which alone holds the secret) in an HttpOnly cookie, so forms work with
 * JavaScript off. The participant and session ids are the server's own;
 * Prolific's URL parameters are data bound to the session that first sees
 * them (docs/decisions/007-participant-identity.md).
 *
 * One session per request, however many loaders ask (root and route loaders
 * run in parallel): it is memoised on the request's load context, so a new
 * visitor gets one participant, not two.
 */
export type ParticipantSession = {
  userId: string;
  sessionId: string;
  /** The API as this participant (their token in the server context). */
  api: ApiClient;
  /** The events-only token for the browser tracker's batches. */
  eventsToken: string;
  /** Set-Cookie headers for the response (empty when the cookie is current). */
  headers: Headers;
};

const COOKIE = "lsp_session";
/** On https the cookie is `__Host-` prefixed: Secure, Path=/, no Domain, so no subdomain can set it. */
const HOST_COOKIE = `__Host-${COOKIE}`;
const MAX_AGE = 30 * 24 * 60 * 60;

function cookieName(url: URL): string {
  return url.protocol === "https:" ? HOST_COOKIE : COOKIE;
}

/** The session token the request's cookie carries (unverified: the API verifies it). */
export function sessionCookie(request: Request): string | null {
  return readCookie(request, cookieName(new URL(request.url)));
}

function setCookie(url: URL, token: string): string {
  const secure = url.protocol === "https:" ? "; Secure" : "";
  return `${cookieName(url)}=${token}; Path=/; HttpOnly; SameSite=Lax${secure}; Max-Age=${MAX_AGE}`;
}

const panelParam = (url: URL, name: string) => {
  const value = url.searchParams.get(name);
  return value !== null && idSchema.safeParse(value).success ? value : undefined;
};

const sessions = new WeakMap<AppLoadContext, Promise<ParticipantSession>>();

/**
 * The participant of this request: their session, continued (panel ids from
 * the link bind when the session has none) or, when they have none, a new
 * one. Throws ApiCallError RATE_LIMITED when this address starts too many.
 */
export function participantSession(request: Request, context: AppLoadContext): Promise<ParticipantSession> {
  let session = sessions.get(context);
  if (!session) {
    session = establish(request, context);
    sessions.set(context, session);
  }
  return session;
}

async function establish(request: Request, context: AppLoadContext): Promise<ParticipantSession> {
  const url = new URL(request.url);
  const cookie = sessionCookie(request);
  const clientIp = clientIpOf(request);
  const { startSession } = await apiClient(context, { participantToken: cookie, clientIp }).run(
    StartSessionDocument,
    {
      input: {
        panelParticipantId: panelParam(url, "PROLIFIC_PID"),
        prolificStudyId: panelParam(url, "STUDY_ID"),
        panelSessionId: panelParam(url, "SESSION_ID"),
      },
    },
  );
  const headers = new Headers();
  if (startSession.token !== cookie) headers.append("Set-Cookie", setCookie(url, startSession.token));
  return {
    userId: startSession.userId,
    sessionId: startSession.sessionId,
    eventsToken: startSession.eventsToken,
    api: apiClient(context, { participantToken: startSession.token, clientIp }),
    headers,
  };
}

/**
 * The API as the participant of an existing session only (the tracker, the
 * click route): a request without one creates nothing; the API answers
 * UNAUTHENTICATED. `token` overrides the cookie (a tracker batch queued
 * under an earlier session).
 */
export function existingSessionApi(
  request: Request,
  context: AppLoadContext,
  token?: string | null,
): ApiClient {
  return apiClient(context, {
    participantToken: token ?? sessionCookie(request),
    clientIp: clientIpOf(request),
  });
}

export function withCookies(headers: Headers, from: Headers): Headers {
  for (const cookie of from.getSetCookie()) headers.append("Set-Cookie", cookie);
  return headers;
}
