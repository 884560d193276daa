import type { AppLoadContext } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import { readCookie } from "../../api/http/cookies";
import { clientIp as clientIpOf } from "../../api/limits/client-ip";
import { URL_TOKEN_PARAM } from "../../api/participants/url-token-param";
import { embeddingOf } from "../embedding/context.server";
import { type ApiClient, apiClient } from "../graphql/client.server";
import { StartSessionDocument } from "../graphql/generated/graphql";
import { sessionCookieHeader, sessionCookieName } from "./session-cookie";
import { studyPathOf } from "./study-page";

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
  /**
   * The URL token that this study's links, forms and redirects carry (query
   * parameter lsp_token), when the page is an embeddable study's and the
   * browser sent no cookie (a frame whose cookies it blocks); null: the
   * cookie carries the session (api/participants/url-token.ts).
   */
  linkToken: string | null;
};

/** The study whose pages a request is for, and whether they may be framed (then its session is its own). */
type Scope = { studyId: string | undefined; embedded: boolean };

/** The session token the request's cookie carries (unverified: the API verifies it). */
function cookieOf(request: Request, scope: Scope): string | null {
  return readCookie(request, sessionCookieName(new URL(request.url), scope.embedded));
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

/** The URL token a page's address carries (unverified), for a study whose pages may be framed. */
function urlTokenOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).searchParams.get(URL_TOKEN_PARAM) || null;
  } catch {
    return null;
  }
}

function scopeOf(context: AppLoadContext, studyId: string | undefined): Scope {
  return { studyId, embedded: embeddingOf(context, studyId) !== null };
}

const sessions = new WeakMap<AppLoadContext, Promise<ParticipantSession>>();

/**
 * The participant of this request: their session, continued (panel ids from
 * the link bind when the session has none) or, when they have none, a new
 * one. Throws ApiCallError RATE_LIMITED when this address starts too many.
 */
export function participantSession(
  request: Request,
  context: AppLoadContext,
  /** The study the request is for; default: the one whose page the URL is (/s/<id>/...). */
  studyId?: string,
): Promise<ParticipantSession> {
  let session = sessions.get(context);
  if (!session) {
    const url = new URL(request.url);
    session = establish(request, context, scopeOf(context, studyId ?? studyPathOf(request.url, url.origin)));
    sessions.set(context, session);
  }
  return session;
}

/**
 * An embeddable study's pages keep a session of their own, bound to the
 * study: in a Partitioned cookie (session-cookie.ts) where the browser
 * keeps one, else in a URL token that the pages' links carry. The cookie
 * wins when both come; the URL token counts only without one.
 */
async function establish(
  request: Request,
  context: AppLoadContext,
  scope: Scope,
): Promise<ParticipantSession> {
  const url = new URL(request.url);
  const cookie = cookieOf(request, scope);
  const fromUrl = scope.embedded && !cookie ? urlTokenOf(request.url) : null;
  const clientIp = clientIpOf(request);
  const { startSession } = await apiClient(context, { participantToken: cookie ?? fromUrl, clientIp }).run(
    StartSessionDocument,
    {
      input: {
        link: { studyId: linkStudyId(url), query: linkQuery(url) },
        ...(scope.embedded ? { studyId: scope.studyId, urlToken: true } : {}),
      },
    },
  );
  const headers = new Headers();
  // A URL token is never put in a cookie; a new participant's session is offered one (the browser may refuse it).
  if ((!fromUrl || startSession.created) && startSession.token !== cookie)
    headers.append("Set-Cookie", sessionCookieHeader(url, startSession.token, scope.embedded));
  return {
    userId: startSession.userId,
    sessionId: startSession.sessionId,
    eventsToken: startSession.eventsToken,
    api: apiClient(context, { participantToken: startSession.token, clientIp }),
    headers,
    preview: startSession.preview,
    linkToken: scope.embedded && !cookie ? (startSession.urlToken ?? null) : null,
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
  /** The page the request comes from (a Referer): an embeddable study's has a cookie, or a URL token, of its own. */
  pageUrl?: string | null,
): ApiClient {
  const origin = new URL(request.url).origin;
  const scope = scopeOf(context, pageUrl ? studyPathOf(pageUrl, origin) : undefined);
  const cookie = cookieOf(request, scope);
  return apiClient(context, {
    participantToken: token ?? cookie ?? (scope.embedded ? urlTokenOf(pageUrl) : null),
    clientIp: clientIpOf(request),
  });
}

export function withCookies(headers: Headers, from: Headers): Headers {
  for (const cookie of from.getSetCookie()) headers.append("Set-Cookie", cookie);
  return headers;
}
