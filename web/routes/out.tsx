import { type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { z } from "zod";
import { idSchema, urlTextSchema } from "../../api/validation";
import { ApiCallError, apiClient } from "../graphql/client.server";
import { LogClickDocument } from "../graphql/generated/graphql";
import { identify, withCookies } from "../participant/identity.server";
import { studiesOfPages } from "../participant/study-page";

const params = z.object({
  q: idSchema,
  u: urlTextSchema.min(1),
  e: idSchema.optional(),
});

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
  });
  if (!parsed.success) throw refuse();
  const { identity, setCookies } = identify(request);
  const referer = request.headers.get("referer");
  const api = apiClient(context);
  try {
    const [studyId] = await studiesOfPages(api, [referer], url.origin);
    await api.run(LogClickDocument, {
      input: {
        ...identity,
        eventId: parsed.data.e,
        queryId: parsed.data.q,
        targetUrl: parsed.data.u,
        pageUrl: referer ?? undefined,
        studyId,
      },
    });
  } catch (error) {
    if (error instanceof ApiCallError && (error.code === "BAD_USER_INPUT" || error.code === "NOT_FOUND"))
      throw refuse();
    throw error;
  }
  return redirect(parsed.data.u, { status: 302, headers: withCookies(new Headers(), setCookies) });
}
