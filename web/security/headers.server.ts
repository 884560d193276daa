/**
 * The security headers of the participant site's pages (Remix documents),
 * in one place: a Content-Security-Policy that lets only the site's own
 * files and Remix's inline scripts of this response (a fresh nonce each
 * time) run, and the headers every response of the site carries. Static
 * assets get the baseline from public/_headers (Workers Assets serves them
 * before the Worker runs); GraphiQL has a policy of its own (api/graphiql.ts).
 */
import { panelFormOrigins } from "../../api/studies/panels";

/**
 * What every page, data response and static asset carries. public/_headers
 * and GraphiQL's headers repeat these two; a test keeps them equal.
 */
export const BASELINE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
} as const;

/** Who may frame a page: nobody, unless its study's file names origins (api/studies/embedding.ts). */
export const DEFAULT_FRAME_ANCESTORS = "'none'";

/**
 * What an embeddable study's page sends instead of the baseline's referrer
 * policy: its URL may carry the participant's URL token, so no other origin
 * gets it as a Referer. same-origin rather than no-referrer: with
 * no-referrer a browser sends `Origin: null` on the page's own form posts,
 * which the site refuses as cross-site (api/http/same-origin.ts).
 */
export const EMBEDDED_REFERRER_POLICY = "same-origin";

/**
 * A source list that can only ever be one directive's value: sources of
 * printable characters without `;` or `,` (which would start another
 * directive or policy), separated by single spaces.
 */
const SOURCE_LIST = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]+( [\x21-\x2b\x2d-\x3a\x3c-\x7e]+)*$/;

/** A fresh CSP nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * A route asks for form targets beyond the site in this response header
 * (the finish page of an MTurk study: MTurk's externalSubmit); the entry
 * removes it and allows only the panels' own origins (api/studies/panels.ts).
 */
export const FORM_ACTION_HEADER = "X-Lsp-Form-Action";

/** The origins of FORM_ACTION_HEADER that are a panel's form origins; anything else is dropped. */
export function formActionOf(headers: Headers): string[] {
  const asked = headers.get(FORM_ACTION_HEADER);
  headers.delete(FORM_ACTION_HEADER);
  if (!asked) return [];
  const allowed = new Set<string>(panelFormOrigins("mturk"));
  return [...new Set(asked.split(" "))].filter((origin) => allowed.has(origin));
}

/** The policy of a participant page whose inline scripts carry `nonce`. */
export function pagePolicy(
  nonce: string,
  frameAncestors: string = DEFAULT_FRAME_ANCESTORS,
  formAction: readonly string[] = [],
): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    ["form-action 'self'", ...formAction].join(" "),
    `frame-ancestors ${frameAncestors}`,
  ].join("; ");
}

/**
 * The frame-ancestors source list of a page framed by these origins (a
 * study's embedding plus any a panel adds); none: 'none'. A list that is
 * not one directive's value (a study file's schema never lets one through)
 * gives 'none' too, so a bad origin can never start another directive.
 */
export function frameAncestorsFor(origins: readonly string[] | null | undefined): string {
  if (!origins || origins.length === 0) return DEFAULT_FRAME_ANCESTORS;
  const list = origins.join(" ");
  return SOURCE_LIST.test(list) ? list : DEFAULT_FRAME_ANCESTORS;
}

/**
 * Every security header of a participant page. X-Frame-Options is for
 * browsers without CSP's frame-ancestors: DENY when nothing may frame the
 * page, SAMEORIGIN when only the site itself may; it cannot name other
 * origins, so a page that they may frame sends none (it would contradict
 * frame-ancestors, and browsers that know CSP ignore it anyway). A page that
 * may be framed (an embeddable study's) sends no Referer to other origins:
 * its URL may carry the participant's URL token (api/participants/url-token.ts).
 */
export function pageHeaders(
  nonce: string,
  frameAncestors: string = DEFAULT_FRAME_ANCESTORS,
  formAction: readonly string[] = [],
) {
  const frameOptions =
    frameAncestors === "'none'" ? "DENY" : frameAncestors === "'self'" ? "SAMEORIGIN" : undefined;
  return {
    ...BASELINE_HEADERS,
    ...(frameAncestors === DEFAULT_FRAME_ANCESTORS ? {} : { "Referrer-Policy": EMBEDDED_REFERRER_POLICY }),
    "Content-Security-Policy": pagePolicy(nonce, frameAncestors, formAction),
    ...(frameOptions ? { "X-Frame-Options": frameOptions } : {}),
  };
}
