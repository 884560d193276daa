/**
 * Origins as a study's `embedding` block lists them (api/studies/embedding.ts):
 * an exact origin (`https://survey.example.org`, `https://example.org:8443`)
 * or one whose leftmost host label is `*` (`https://*.qualtrics.com`), which,
 * as in CSP's frame-ancestors, matches every subdomain of the rest at any
 * depth but not the rest itself, with the same scheme and port. Pure: the
 * page's script (web/embedding/) matches with it too.
 */

/** The scheme, host and port of an origin pattern; `wildcard` when its host starts with `*.`. */
type Pattern = { scheme: string; host: string; port: string; wildcard: boolean };

const PATTERN = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/;

function parsePattern(pattern: string): Pattern | null {
  const match = PATTERN.exec(pattern);
  if (!match?.[1] || !match[3]) return null;
  return { scheme: match[1], host: match[3], port: match[4] ?? "", wildcard: match[2] !== undefined };
}

function parseOrigin(origin: string): { scheme: string; host: string; port: string } | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  return { scheme: url.protocol.slice(0, -1), host: url.hostname, port: url.port };
}

/** Whether `origin` (as a browser reports it: `event.origin`, `location.ancestorOrigins`) matches `pattern`. */
export function originMatches(pattern: string, origin: string): boolean {
  const p = parsePattern(pattern);
  const o = parseOrigin(origin);
  if (!p || !o || p.scheme !== o.scheme || p.port !== o.port) return false;
  return p.wildcard ? o.host.endsWith(`.${p.host}`) : o.host === p.host;
}

/** Whether `origin` matches any of the patterns. */
export function originAllowed(patterns: readonly string[], origin: string): boolean {
  return patterns.some((pattern) => originMatches(pattern, origin));
}

/** The patterns that name one origin exactly (no `*`): a message can be addressed to them unseen. */
export function exactOrigins(patterns: readonly string[]): string[] {
  return patterns.filter((pattern) => parsePattern(pattern)?.wildcard === false);
}

/** Whether `pattern` is written as an origin pattern at all (lowercase scheme and host, no path). */
export function isOriginPattern(pattern: string): boolean {
  return parsePattern(pattern) !== null;
}
