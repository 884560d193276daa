import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { PAGE_TYPES } from "../../api/domain/records";
import { idSchema } from "../../api/domain/validation";
import { LogEventsDocument, MeDocument } from "../graphql/generated/graphql";
import { existingSessionApi } from "../participant/session.server";
import { studiesOfPages } from "../participant/study-page";

/** A 1x1 transparent GIF. */
const PIXEL = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (c) =>
  c.charCodeAt(0),
);

/** `e`: the page view's eventId, made by the server with the page; `p`: the page's type (absent on pages cached before it). */
const pixelParams = z.object({ e: idSchema, p: z.enum(PAGE_TYPES).optional() });

/**
 * Page views with JavaScript off: the chat page carries
 * `<noscript><img src="/t/noscript?e=<eventId>&p=<pageType>"></noscript>`,
 * which only a browser without scripts loads. It logs a BROWSE under the
 * page's own eventId (so a repeated image request is stored once), which is
 * also its page view id, with the page from the Referer.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = pixelParams.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!params.success)
    return new Response("e must be the page view's eventId, p one of the page types", { status: 400 });
  const { e: eventId, p: pageType } = params.data;
  const referer = request.headers.get("referer");
  try {
    const api = existingSessionApi(request, context, null, referer);
    const { me } = await api.run(MeDocument, {});
    if (!me) throw new Error("no participant session");
    const [studyId] = await studiesOfPages(api, [referer], new URL(request.url).origin);
    await api.run(LogEventsDocument, {
      events: [
        {
          userId: me.userId,
          sessionId: me.sessionId,
          eventId,
          eventType: "BROWSE",
          pageUrl: referer && referer.length <= 2048 ? referer : undefined,
          studyId,
          // The page's only event: its page view id is its own eventId, its seq 0 (as the tracker's).
          extraData: {
            kind: "page",
            via: "noscript",
            pageType: pageType ?? null,
            pageViewId: eventId,
            seq: 0,
          },
        },
      ],
    });
  } catch (error) {
    // The page itself must never break over its tracking pixel.
    console.error(`noscript page view not stored: ${error instanceof Error ? error.name : typeof error}`);
  }
  return new Response(PIXEL, { headers: { "content-type": "image/gif", "cache-control": "no-store" } });
}
