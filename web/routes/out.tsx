import { type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { z } from "zod";
import { CLICK_ELEMENTS, type ClickElement } from "../../api/domain/records";
import { idSchema, urlTextSchema } from "../../api/domain/validation";
import { ApiCallError } from "../graphql/client.server";
import { type ClickElement as ClickElementValue, LogClickDocument } from "../graphql/generated/graphql";
import { existingSessionApi } from "../participant/session.server";
import { studiesOfPages } from "../participant/study-page";

const params = z.object({
  q: idSchema,
  u: urlTextSchema.min(1),
  e: idSchema.optional(),
  s: z.string().min(1).max(128),
  el: z.enum(CLICK_ELEMENTS).optional(),
  // The tracker's page view and number for this click (JS on), so both copies of it say the same.
  pv: idSchema.optional(),
  sq: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

/** The page's element name as the API's enum spells it (source-list: SOURCE_LIST). */
const elementValue = (element: ClickElement) => element.replace("-", "_").toUpperCase() as ClickElementValue;

const refuse = () =>
  new Response("This link is not part of an answer, so it was not opened.", {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });

/**
 * The click route: logs a click on an answer's link or source server-side,
 * then redirects, only to a URL that the stored answer really contains.
 * With JS on, the tracker passes its eventId as `e`, so the click is stored once.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = params.safeParse({
    q: url.searchParams.get("q") ?? undefined,
    u: url.searchParams.get("u") ?? undefined,
    e: url.searchParams.get("e") ?? undefined,
    s: url.searchParams.get("s") ?? undefined,
    el: url.searchParams.get("el") ?? undefined,
    pv: url.searchParams.get("pv") ?? undefined,
    sq: url.searchParams.get("sq") ?? undefined,
  });
  if (!parsed.success) throw refuse();
  // A browser's speculative prefetch of the link is not a click: nothing is stored, nothing followed.
  const purpose = request.headers.get("sec-purpose") ?? request.headers.get("purpose") ?? "";
  if (/prefetch|prerender/i.test(purpose)) {
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  }
  const referer = request.headers.get("referer");
  // Only the participant of this browser's session, and only for their own answers.
  const api = existingSessionApi(request, context, null, referer);
  try {
    const [studyId] = await studiesOfPages(api, [referer], url.origin);
    await api.run(LogClickDocument, {
      input: {
        eventId: parsed.data.e,
        queryId: parsed.data.q,
        targetUrl: parsed.data.u,
        signature: parsed.data.s,
        pageUrl: referer ?? undefined,
        studyId,
        element: parsed.data.el && elementValue(parsed.data.el),
        pageViewId: parsed.data.pv,
        seq: parsed.data.sq,
      },
    });
  } catch (error) {
    if (
      error instanceof ApiCallError &&
      ["BAD_USER_INPUT", "NOT_FOUND", "UNAUTHENTICATED", "FORBIDDEN"].includes(error.code)
    )
      throw refuse();
    if (error instanceof ApiCallError && error.code === "RATE_LIMITED") {
      throw new Response(error.message, {
        status: 429,
        headers: { "Retry-After": String(error.extensions.retryAfterSeconds ?? 60) },
      });
    }
    throw error;
  }
  return redirect(parsed.data.u, { status: 302, headers: { "cache-control": "no-store" } });
}
