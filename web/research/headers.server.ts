/**
 * The researcher's pages (/research and below) show what participants did:
 * they are never framed, whatever a study's embedding allows the participant
 * pages, and never stored by a browser or a proxy.
 */
export const RESEARCH_PREFIX = "/research";

export function isResearchPath(url: string): boolean {
  const { pathname } = new URL(url);
  return pathname === RESEARCH_PREFIX || pathname.startsWith(`${RESEARCH_PREFIX}/`);
}

export const RESEARCH_HEADERS = { "Cache-Control": "no-store" } as const;
