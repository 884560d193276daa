import type { HeadersFunction } from "@remix-run/cloudflare";

/**
 * The document's headers for a route whose form post a rate limit can
 * refuse: the browser (and a script) learns when to try again. Remix passes
 * on only Set-Cookie from an action by itself.
 */
export const retryAfter: HeadersFunction = ({ actionHeaders, errorHeaders }) => {
  const retry = actionHeaders.get("Retry-After") ?? errorHeaders?.get("Retry-After");
  return retry ? { "Retry-After": retry } : new Headers();
};
