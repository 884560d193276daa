import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import { LogEventsDocument, MeDocument } from "../graphql/generated/graphql";
import { existingSessionApi } from "../participant/session.server";
import { studiesOfPages } from "../participant/study-page";

/** A 1x1 transparent GIF. */
const PIXEL = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (c) =>
  c.charCodeAt(0),
);

/**
 * Page views with JavaScript off: the chat page carries
 * `<noscript><img src="/t/noscript?e=<eventId>"></noscript>`, which only a
 * browser without scripts loads. It logs a BROWSE under the page's own eventId
 * (so a repeated image request is stored once), with the page from the Referer.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const eventId = idSchema.safeParse(new URL(request.url).searchParams.get("e"));
  if (!eventId.success) return new Response("e must be the page view's eventId", { status: 400 });
  const referer = request.headers.get("referer");
  try {
    const api = existingSessionApi(request, context);
    const { me } = await api.run(MeDocument, {});
    if (!me) throw new Error("no participant session");
    const [studyId] = await studiesOfPages(api, [referer], new URL(request.url).origin);
    await api.run(LogEventsDocument, {
      events: [
        {
          userId: me.userId,
          sessionId: me.sessionId,
          eventId: eventId.data,
          eventType: "BROWSE",
          pageUrl: referer && referer.length <= 2048 ? referer : undefined,
          studyId,
          extraData: { kind: "page", via: "noscript" },
        },
      ],
    });
  } catch (error) {
    // The page itself must never break over its tracking pixel.
    console.error(`noscript page view not stored: ${error instanceof Error ? error.name : typeof error}`);
  }
  return new Response(PIXEL, { headers: { "content-type": "image/gif", "cache-control": "no-store" } });
}
