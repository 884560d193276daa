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

/** Who may frame the pages when the deployment says nothing (FRAME_ANCESTORS in api/config.ts). */
export const DEFAULT_FRAME_ANCESTORS = "'none'";

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
 * Every security header of a participant page. X-Frame-Options is for
 * browsers without CSP's frame-ancestors; it cannot name other origins, so a
 * deployment that allows some (a survey tool framing the study) sends none.
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
    "Content-Security-Policy": pagePolicy(nonce, frameAncestors, formAction),
    ...(frameOptions ? { "X-Frame-Options": frameOptions } : {}),
  };
}

/**
 * The frame-ancestors source list from the Remix load context, where the
 * Worker puts the deployment's (`context.security.frameAncestors`, parsed
 * and checked in api/config.ts). Anything else, missing or not a single
 * source list, gives the default: no framing.
 */
export function frameAncestorsOf(context: unknown): string {
  if (typeof context !== "object" || context === null || !("security" in context))
    return DEFAULT_FRAME_ANCESTORS;
  const { security } = context;
  if (typeof security !== "object" || security === null || !("frameAncestors" in security))
    return DEFAULT_FRAME_ANCESTORS;
  const { frameAncestors } = security;
  return typeof frameAncestors === "string" && SOURCE_LIST.test(frameAncestors)
    ? frameAncestors
    : DEFAULT_FRAME_ANCESTORS;
}
