import { isRouteErrorResponse } from "@remix-run/react";

/**
 * What the site logs of an error: one line with the error's class, the
 * method and the path, never the query string (a study link carries the
 * PROLIFIC_PID), the message or the stack (they can hold what a
 * participant typed). The caller's errors (404 for a page that does not
 * exist, 405) and requests whose client went away are not logged at all.
 */
export function siteErrorLine(error: unknown, request: Request): string | null {
  if (request.signal.aborted) return null;
  if (isRouteErrorResponse(error) && error.status < 500) return null;
  const name =
    error instanceof Error ? error.name : isRouteErrorResponse(error) ? `HTTP ${error.status}` : typeof error;
  return `unexpected site error on ${request.method} ${new URL(request.url).pathname}: ${name}`;
}
