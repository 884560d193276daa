import { type ActionFunctionArgs, json } from "@remix-run/cloudflare";
import { z } from "zod";
import { BROWSER_EVENT_TYPES } from "../../api/domain/records";
import { idSchema, MAX_EVENTS_PER_BATCH, urlTextSchema } from "../../api/domain/validation";
import { ApiCallError, type ApiClient } from "../graphql/client.server";
import { LogEventsDocument, MeDocument, StudyIdsDocument } from "../graphql/generated/graphql";
import { existingSessionApi } from "../participant/session.server";
import { studiesOfPages } from "../participant/study-page";
import { trackerExtraDataSchema } from "../tracker/extra-data";

/**
 * The tracker's endpoint. Takes `{events, sentAt, session}` as JSON, also
 * with a text/plain content type (what sendBeacon sends), and records the
 * batch through the logEvents mutation as the participant of the batch's
 * `session` (the events-only token of the page it was queued on, so a batch
 * resent after a reload is stored under the session it belongs to) or,
 * without one, of the session cookie. Without either: 401, nothing stored.
 */
const MAX_BODY_BYTES = 256 * 1024;

const NO_SESSION = "No participant session: open a page of the site first.";

const trackerBody = z.object({
  sentAt: z.iso.datetime({ offset: true }).optional(),
  session: z.string().max(2048).optional(),
  events: z
    .array(
      z.object({
        eventId: idSchema,
        eventType: z.enum(BROWSER_EVENT_TYPES),
        queryId: idSchema.optional(),
        query: z.string().max(8000).optional(),
        targetUrl: urlTextSchema.optional(),
        pageUrl: urlTextSchema.optional(),
        extraData: trackerExtraDataSchema.optional(),
        clientTime: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .min(1, "no events")
    .max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per batch`),
});

/**
 * Who a batch's credential names, remembered per isolate for a minute so
 * that a page's batches do not each ask the API twice: only to fill the
 * events' userId and sessionId. It grants nothing: logEvents checks the
 * credential itself on every batch (an expired or forged one is refused
 * there, UNAUTHENTICATED, answered 401 below) and refuses claims that are
 * not the credential's.
 */
const ME_TTL_MS = 60_000;
const ME_CACHE_SIZE = 1000;
const identities = new Map<string, { userId: string; sessionId: string; until: number }>();

async function identityOf(api: ApiClient, token: string | undefined) {
  const now = Date.now();
  const known = token === undefined ? undefined : identities.get(token);
  if (known && known.until > now) return known;
  const { me } = await api.run(MeDocument, {});
  if (!me || token === undefined) return me;
  if (identities.size >= ME_CACHE_SIZE) identities.delete(identities.keys().next().value as string);
  const identity = { userId: me.userId, sessionId: me.sessionId, until: now + ME_TTL_MS };
  identities.set(token, identity);
  return identity;
}

/**
 * The deployment's study ids, read once per isolate: studies are part of
 * the build (studies/registry.generated.ts), so they cannot change while
 * it runs. studiesOfPages asks for them on every batch from a study page.
 */
const studyIds = new WeakMap<object, ReturnType<ApiClient["run"]>>();

function withStudyIdsOnce(api: ApiClient, yoga: object): ApiClient {
  return {
    ...api,
    run(document, variables) {
      if ((document as unknown) !== StudyIdsDocument) return api.run(document, variables);
      let ids = studyIds.get(yoga);
      if (!ids) {
        ids = api.run(document, variables);
        studyIds.set(yoga, ids);
        ids.catch(() => studyIds.delete(yoga));
      }
      return ids as ReturnType<typeof api.run<never, never>>;
    },
  };
}

const problem = (status: number, code: string, message: string, headers?: Headers) =>
  json({ error: { code, message } }, { status, headers });

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "METHOD_NOT_ALLOWED", "Send events with POST.");
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES)
    return problem(413, "PAYLOAD_TOO_LARGE", `A batch must be under ${MAX_BODY_BYTES} bytes.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return problem(400, "BAD_USER_INPUT", 'The body must be JSON: {"events": [...]}.');
  }
  const parsed = trackerBody.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return problem(
      400,
      "BAD_USER_INPUT",
      `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const { sentAt, events, session } = parsed.data;
  const origin = new URL(request.url).origin;
  const headers = new Headers();
  try {
    const api = existingSessionApi(request, context, session);
    const me = await identityOf(api, session);
    if (!me) return problem(401, "UNAUTHENTICATED", NO_SESSION);
    // Events from a study's pages belong to the study (and so get the participant's condition).
    const studyIds = await studiesOfPages(
      withStudyIdsOnce(api, context.graphql),
      events.map((e) => e.pageUrl),
      origin,
    );
    const result = await api.run(LogEventsDocument, {
      events: events.map((event, i) => ({
        ...event,
        userId: me.userId,
        sessionId: me.sessionId,
        studyId: studyIds[i],
        // The three times: clientTime (when it happened), sentAt (when the batch left), receivedAt (stored).
        extraData: sentAt ? { ...event.extraData, sentAt } : event.extraData,
      })),
    });
    return json(result.logEvents, { headers });
  } catch (error) {
    if (error instanceof ApiCallError && error.code === "UNAUTHENTICATED") {
      if (session !== undefined) identities.delete(session);
      return problem(401, error.code, NO_SESSION, headers);
    }
    if (error instanceof ApiCallError && ["BAD_USER_INPUT", "FORBIDDEN"].includes(error.code)) {
      return problem(error.code === "FORBIDDEN" ? 403 : 400, error.code, error.message, headers);
    }
    if (error instanceof ApiCallError && error.code === "RATE_LIMITED") {
      headers.set("Retry-After", String(error.extensions.retryAfterSeconds ?? 60));
      return problem(429, error.code, error.message, headers);
    }
    console.error(`tracker batch not stored: ${error instanceof Error ? error.name : typeof error}`);
    return problem(
      503,
      "STORE_UNAVAILABLE",
      "The events could not be stored now; the tracker will send them again.",
      headers,
    );
  }
}

export function loader() {
  return problem(405, "METHOD_NOT_ALLOWED", "Send events with POST.");
}
