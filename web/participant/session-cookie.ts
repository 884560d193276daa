/**
 * The cookies that hold a participant's session (its token, issued by the
 * API). On https they are `__Host-` prefixed: Secure, Path=/, no Domain, so
 * no subdomain can set them.
 *
 * - The site's session: SameSite=Lax, for every page but an embeddable
 *   study's.
 * - An embeddable study's session (its pages may be framed by a survey
 *   tool, api/studies/embedding.ts): SameSite=None and Partitioned (CHIPS),
 *   so a browser that blocks third-party cookies may still keep it, in a jar
 *   of the framing site's own; a browser that keeps none sends nothing, and
 *   the pages carry a URL token instead (session.server.ts). SameSite=None
 *   needs Secure, which browsers set over https and, Chromium and Firefox,
 *   over http from localhost and 127.0.0.1 (they count as secure); on any
 *   other plain-http host the cookie is Lax, which a cross-site frame never
 *   gets, and the URL token carries the session.
 */
const SITE = "lsp_session";
const EMBEDDED = "lsp_embed";
const MAX_AGE = 30 * 24 * 60 * 60;

export function sessionCookieName(url: URL, embedded: boolean): string {
  const name = embedded ? EMBEDDED : SITE;
  return url.protocol === "https:" ? `__Host-${name}` : name;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The Set-Cookie header value that keeps `token` for the pages at `url` (`maxAge` 0: ends the session at once). */
export function sessionCookieHeader(url: URL, token: string, embedded: boolean, maxAge = MAX_AGE): string {
  const https = url.protocol === "https:";
  const attributes = ["Path=/", "HttpOnly"];
  if (embedded && (https || LOOPBACK.has(url.hostname)))
    attributes.push("Secure", "SameSite=None", "Partitioned");
  else attributes.push("SameSite=Lax", ...(https ? ["Secure"] : []));
  attributes.push(`Max-Age=${maxAge}`);
  return `${sessionCookieName(url, embedded)}=${token}; ${attributes.join("; ")}`;
}

/** Set-Cookie header values that end both sessions at once (the pilot link: each visit a new participant). */
export const clearedSessionCookies = (url: URL): string[] =>
  [false, true].map((embedded) => sessionCookieHeader(url, "", embedded, 0));
