/**
 * The researcher's session cookie (its value: the token of session.ts):
 * `__Host-` prefixed (and Secure) on https. The site sets it at sign-in
 * (web/research/session.server.ts); the site's researcher pages and the
 * downloads (api/export/http.ts) read it.
 */
const COOKIE = "lsp_research";

export function researcherCookieName(url: URL): string {
  return url.protocol === "https:" ? `__Host-${COOKIE}` : COOKIE;
}
