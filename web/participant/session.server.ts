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
 * the recruiting panel's URL parameters are data bound to the session that
 * first sees them (docs/decisions/007-participant-identity.md). Which
 * parameters those are is the API's to say (the study's panel,
 * api/studies/panels.ts): the page sends the link's study and query as they are.
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
  /** The link is the panel's preview (MTurk's before the HIT is accepted): show the preview, store nothing. */
  preview: boolean;
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

/** A cookie that ends the session at once (the pilot link: each visit a new participant). */
export function clearSessionCookie(request: Request): string {
  const url = new URL(request.url);
  const secure = url.protocol === "https:" ? "; Secure" : "";
  return `${cookieName(url)}=; Path=/; HttpOnly; SameSite=Lax${secure}; Max-Age=0`;
}

/** The study of a study page's path (/s/<id>/...), or null: the open chat and the site's other pages. */
function linkStudyId(url: URL): string | null {
  const match = /^\/s\/([^/]+)/.exec(url.pathname);
  if (!match?.[1]) return null;
  try {
    const id = decodeURIComponent(match[1]);
    return idSchema.safeParse(id).success ? id : null;
  } catch {
    return null; // not percent-encoding: no study has this id
  }
}

/** The link's query as the API reads it: a query longer than the API takes is dropped (it carries no ids then). */
const linkQuery = (url: URL) => (url.search.length <= 2049 ? url.search.slice(1) : "");

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
      input: { link: { studyId: linkStudyId(url), query: linkQuery(url) } },
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
    preview: startSession.preview,
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
