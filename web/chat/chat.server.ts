import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { z } from "zod";
import { idSchema, MAX_QUERY_LENGTH } from "../../api/domain/validation";
import { type ClientSignals, clientSignalsSchema } from "../../api/signals/input-signals";
import { ApiCallError } from "../graphql/client.server";
import { AskDocument, ConversationDocument, ConversationsDocument } from "../graphql/generated/graphql";
import { renderAnswer } from "../markdown/render.server";
import { withLinkToken } from "../participant/link-token";
import { participantSession } from "../participant/session.server";
import { ENDED_CODES } from "./ended-codes";

/**
 * The chat's loader and action, shared by the open chat (/) and a study's
 * chat (/s/<id>/chat): the conversation and the participant's history,
 * rebuilt from the store on every load; a message sent with JavaScript off
 * (the streamed path is routes/stream.tsx).
 */

export type ChatScope = {
  studyId: string | null;
  path: string;
  /** A study's end page, where a participant whose part has ended is sent (ENDED_CODES). */
  endedPath?: string;
};

/** An API error on the way to the chat page, as the page it should be (open chat off: 404; rate-limited: 429). */
export function pageError(error: unknown): never {
  if (error instanceof ApiCallError) {
    if (error.code === "NOT_FOUND")
      throw new Response(error.message, { status: 404, statusText: "Not Found" });
    if (error.code === "RATE_LIMITED") {
      const retry = Number(error.extensions.retryAfterSeconds ?? 60);
      throw new Response(error.message, {
        status: 429,
        statusText: "Too Many Requests",
        headers: { "Retry-After": String(retry) },
      });
    }
  }
  throw error;
}

/** A GraphQL enum value as the domain spells it (LINKED: linked). */
const lower = <T extends string>(value: T) => value.toLowerCase() as Lowercase<T>;

export async function loadChat({ request, context }: LoaderFunctionArgs, scope: ChatScope) {
  const session = await participantSession(request, context).catch(pageError);
  const requested = new URL(request.url).searchParams.get("c");
  const conversationId = requested && idSchema.safeParse(requested).success ? requested : null;
  const api = session.api;
  const [conversation, history] = await Promise.all([
    conversationId ? api.run(ConversationDocument, { id: conversationId }).catch(pageError) : null,
    // With the store down the chat still opens, without the list: the participant can type,
    // and sending says the database is unavailable and keeps their message.
    api.run(ConversationsDocument, { studyId: scope.studyId }).catch((error: unknown) => {
      if (error instanceof ApiCallError && error.code === "STORE_UNAVAILABLE") return { conversations: [] };
      return pageError(error);
    }),
  ]);
  // Each answer as its condition decided when it was stored (QueryRecord.display), never as
  // the condition reads now: the page shows what the record says was shown.
  const turns = (conversation?.conversation ?? []).map((turn) => {
    const signatures = new Map(turn.links.map((l) => [l.url, l.signature]));
    // The API lists no sources for a participant whose condition hides them.
    const sources = turn.display.sourcesShown ? turn.sources : [];
    const text = turn.displayedResponse;
    return {
      id: turn.id,
      query: turn.query,
      // Whether it failed, never why: the provider's text is for the record, not the participant.
      error: turn.error === null ? null : "failed",
      stopped: turn.stopped,
      html: text
        ? renderAnswer(text, turn.id, {
            sources,
            markers: lower(turn.display.markers),
            answerLinks: lower(turn.display.answerLinks),
            signatures,
          })
        : turn.stopped
          ? ""
          : null,
      sources: sources.map((s) => ({
        rank: s.rank,
        originalRank: s.originalRank ?? null,
        title: s.title,
        url: s.url,
        content: s.content ?? null,
        signature: signatures.get(s.url) ?? null,
      })),
    };
  });
  return {
    session,
    headers: session.headers,
    data: {
      conversationId: turns.length > 0 ? conversationId : null,
      turns,
      conversations: history.conversations.map((c) => ({ id: c.id, title: c.title, turns: c.turns })),
      // The eventId of this page view when it is logged without JavaScript (routes/t_.noscript.tsx).
      pageViewId: crypto.randomUUID(),
      trackerSession: session.eventsToken,
    },
  };
}

/**
 * The form's input signals: the JSON the tracker wrote, if it is the shape
 * the API takes. A field that is empty (JavaScript off, a study without
 * botSignals) or unreadable sends none, so a broken measurement never costs
 * the participant their message.
 */
function readSignals(text: string | undefined): ClientSignals | undefined {
  if (!text) return undefined;
  try {
    const parsed = clientSignalsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const askForm = z.object({
  query: z
    .string()
    .trim()
    .min(1, "Please type a message first.")
    .max(MAX_QUERY_LENGTH, `Your message is too long (at most ${MAX_QUERY_LENGTH} characters).`),
  conversationId: idSchema.optional().or(z.literal("").transform(() => undefined)),
  clientTime: z
    .string()
    .optional()
    .transform((v) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined)),
  /** The tracker's input signals (JSON), on a study with botSignals on; empty or unreadable: none. */
  inputSignals: z.string().max(2000).optional().transform(readSignals),
});

/** HTTP status for an API error a participant's message ran into. */
export function statusOf(code: string): number {
  if (code === "BAD_USER_INPUT") return 400;
  if (code === "NOT_ENROLLED") return 403;
  if (code === "TURN_LIMIT_REACHED" || code === "RATE_LIMITED") return 429;
  if (code === "ATTENTION_CHECK_DUE" || code === "ATTENTION_CHECK_NOT_DUE") return 409;
  if (code === "STUDY_FINISHED" || code === "TIME_UP" || code === "FORBIDDEN" || code === "WITHDRAWN")
    return 403;
  if (code === "NOT_FOUND") return 404;
  if (code === "INTERNAL_SERVER_ERROR") return 500;
  return 503;
}

/** Retry-After for a rate-limited answer, so a script (and the browser) know when to try again. */
export function retryHeaders(error: ApiCallError, headers: Headers): Headers {
  if (error.code === "RATE_LIMITED")
    headers.set("Retry-After", String(error.extensions.retryAfterSeconds ?? 60));
  return headers;
}

export async function sendMessage({ request, context }: ActionFunctionArgs, scope: ChatScope) {
  const form = Object.fromEntries(await request.formData());
  const draft = typeof form.query === "string" ? form.query : "";
  const parsed = askForm.safeParse(form);
  if (!parsed.success) {
    return json(
      { error: parsed.error.issues[0]?.message ?? "Please check your message.", draft, conversationId: null },
      { status: 400 },
    );
  }
  const { query, conversationId, clientTime, inputSignals } = parsed.data;
  let headers = new Headers();
  try {
    const session = await participantSession(request, context);
    headers = session.headers;
    const answer = await session.api.run(AskDocument, {
      input: {
        userId: session.userId,
        sessionId: session.sessionId,
        studyId: scope.studyId,
        query,
        conversationId,
        clientTime,
        inputSignals,
      },
    });
    const conversation = `${scope.path}?c=${encodeURIComponent(answer.query.conversationId)}`;
    return redirect(`${withLinkToken(conversation, session.linkToken)}#a-${answer.query.id}`, { headers });
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    // The participant's part has ended (their time is up, or they finished in
    // another tab): the end page shows their outcome's code.
    if (scope.endedPath && ENDED_CODES.has(error.code)) throw redirect(scope.endedPath, { headers });
    // Whatever failed, the participant keeps their draft to send again (an LLM
    // failure was stored with its error; a store failure wrote nothing).
    const next =
      typeof error.extensions.conversationId === "string" ? error.extensions.conversationId : conversationId;
    return json(
      { error: error.message, draft, conversationId: next ?? null },
      { status: statusOf(error.code), headers: retryHeaders(error, headers) },
    );
  }
}
