import type {
  ActionFunctionArgs,
  AppLoadContext,
  EntryContext,
  LoaderFunctionArgs,
} from "@remix-run/cloudflare";
import { RemixServer } from "@remix-run/react";
import { renderToReadableStream } from "react-dom/server";
import { embeddingOfPage } from "./embedding/context.server";
import { isResearchPath, RESEARCH_HEADERS } from "./research/headers.server";
import {
  BASELINE_HEADERS,
  FORM_ACTION_HEADER,
  formActionOf,
  frameAncestorsFor,
  newNonce,
  pageHeaders,
} from "./security/headers.server";
import { NonceContext } from "./security/nonce";
import { siteErrorLine } from "./site-errors.server";

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  let status = responseStatusCode;
  // A fresh nonce per response: only the inline scripts rendered here carry it.
  const nonce = newNonce();
  const body = await renderToReadableStream(
    <NonceContext.Provider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceContext.Provider>,
    {
      nonce,
      signal: request.signal,
      onError(error: unknown) {
        const line = siteErrorLine(error, request);
        if (line) console.error(line);
        status = 500;
      },
    },
  );
  // The page is small: send it whole, which also serves readers without JavaScript best.
  await body.allReady;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  // Only an embeddable study's pages (/s/<id>/...) may be framed, by the origins its file names;
  // researcher pages never are (research/headers.server.ts).
  const research = isResearchPath(request.url);
  const frameAncestors = frameAncestorsFor(
    research ? null : embeddingOfPage(loadContext, request.url)?.frameAncestors,
  );
  // A panel's form target (MTurk's externalSubmit on an MTurk study's finish page), never any other origin.
  const formAction = research ? [] : formActionOf(responseHeaders);
  for (const [name, value] of Object.entries(pageHeaders(nonce, frameAncestors, formAction)))
    responseHeaders.set(name, value);
  if (research)
    for (const [name, value] of Object.entries(RESEARCH_HEADERS)) responseHeaders.set(name, value);
  return new Response(body, { headers: responseHeaders, status });
}

/** Loader and action data for client-side navigations: not pages, but never to be sniffed as one. */
export function handleDataRequest(
  response: Response,
  { request }: LoaderFunctionArgs | ActionFunctionArgs,
): Response {
  // A copy: a loader may return a Response whose headers are immutable (one from fetch).
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(BASELINE_HEADERS)) headers.set(name, value);
  headers.delete(FORM_ACTION_HEADER); // for the document's policy only
  if (isResearchPath(request.url))
    for (const [name, value] of Object.entries(RESEARCH_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Errors of loaders and actions: one line each, the caller's own not at all (site-errors.server.ts). */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs): void {
  const line = siteErrorLine(error, request);
  if (line) console.error(line);
}
