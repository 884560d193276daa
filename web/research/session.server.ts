import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import { readCookie } from "../../api/http/cookies";
import { clientIp } from "../../api/limits/client-ip";
import { researcherCookieName } from "../../api/researchers/cookie";
import { RESEARCHER_SESSION_SECONDS } from "../../api/researchers/session";
import { ApiCallError, type ApiClient, apiClient } from "../graphql/client.server";

/**
 * The researcher's session on the site: the signed session that the API's
 * startResearcherSession issues (the API alone holds SESSION_SECRETS and
 * verifies it), in an HttpOnly, SameSite=Strict cookie, `__Host-` prefixed
 * and Secure on https. Researcher pages pass it to the API in the server
 * context; an invalid or expired one is UNAUTHENTICATED there, and the page
 * sends the researcher back to the sign-in form.
 */
/** Where a researcher signs in (and sees the studies once signed in). */
export const SIGN_IN_PATH = "/research";

function cookie(url: URL, value: string, maxAge: number): string {
  const secure = url.protocol === "https:" ? "; Secure" : "";
  return `${researcherCookieName(url)}=${value}; Path=/; HttpOnly; SameSite=Strict${secure}; Max-Age=${maxAge}`;
}

/** The Set-Cookie of a new session. */
export const sessionCookieHeader = (request: Request, token: string): string =>
  cookie(new URL(request.url), token, RESEARCHER_SESSION_SECONDS);

/** The Set-Cookie that signs out. */
export const signOutCookieHeader = (request: Request): string => cookie(new URL(request.url), "", 0);

export function researcherSessionCookie(request: Request): string | null {
  return readCookie(request, researcherCookieName(new URL(request.url)));
}

/** The API as the researcher signed in on this request (their session, possibly invalid: the API decides). */
export function researcherApi(request: Request, context: AppLoadContext): ApiClient {
  return apiClient(context, {
    researcherSession: researcherSessionCookie(request),
    clientIp: clientIp(request),
  });
}

/**
 * Runs a researcher page's API calls; without a valid session (none, expired,
 * signed with a retired secret) it redirects to the sign-in form, clearing
 * the cookie.
 */
export async function asResearcher<T>(
  request: Request,
  context: AppLoadContext,
  load: (api: ApiClient) => Promise<T>,
): Promise<T> {
  try {
    return await load(researcherApi(request, context));
  } catch (error) {
    if (error instanceof ApiCallError && error.code === "UNAUTHENTICATED") {
      throw redirect(SIGN_IN_PATH, { headers: { "Set-Cookie": signOutCookieHeader(request) } });
    }
    throw error;
  }
}
