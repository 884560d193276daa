import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { idSchema } from "../../api/validation";
import { ApiCallError, apiClient } from "../graphql/client.server";
import { AskDocument, ConversationDocument, LlmStatusDocument } from "../graphql/generated/graphql";
import { renderAnswer } from "../markdown/render.server";
import { identify, withCookies } from "../participant/identity.server";
import { Turn } from "../participant/turn";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { identity, setCookies } = identify(request);
  const requested = new URL(request.url).searchParams.get("c");
  const conversationId = requested && idSchema.safeParse(requested).success ? requested : null;
  const api = apiClient(context);
  const [conversation, status] = await Promise.all([
    conversationId ? api.run(ConversationDocument, { id: conversationId, userId: identity.userId }) : null,
    api.run(LlmStatusDocument, {}),
  ]);
  const turns = (conversation?.conversation ?? []).map((turn) => ({
    id: turn.id,
    query: turn.query,
    error: turn.error ?? null,
    html: turn.response
      ? renderAnswer(
          turn.response,
          turn.id,
          turn.sources.map((s) => s.url),
        )
      : null,
    sources: turn.sources.map((s) => ({
      rank: s.rank,
      title: s.title,
      url: s.url,
      content: s.content ?? null,
    })),
  }));
  return json(
    {
      conversationId: turns.length > 0 ? conversationId : null,
      turns,
      scripted: status.status.llm.name === "scripted",
      // The eventId of this page view when it is logged without JavaScript (routes/t_.noscript.tsx).
      pageViewId: crypto.randomUUID(),
    },
    { headers: withCookies(new Headers(), setCookies) },
  );
}

const askForm = z.object({
  query: z
    .string()
    .trim()
    .min(1, "Please type a message first.")
    .max(8000, "Your message is too long (at most 8000 characters)."),
  conversationId: idSchema.optional().or(z.literal("").transform(() => undefined)),
  clientTime: z.string().optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { identity, setCookies } = identify(request);
  const headers = withCookies(new Headers(), setCookies);
  const form = Object.fromEntries(await request.formData());
  const draft = typeof form.query === "string" ? form.query : "";
  const parsed = askForm.safeParse(form);
  if (!parsed.success) {
    return json(
      { error: parsed.error.issues[0]?.message ?? "Please check your message.", draft },
      { status: 400, headers },
    );
  }
  const { query, conversationId, clientTime } = parsed.data;
  try {
    const answer = await apiClient(context).run(AskDocument, {
      input: {
        ...identity,
        query,
        conversationId,
        clientTime: clientTime && !Number.isNaN(Date.parse(clientTime)) ? clientTime : undefined,
      },
    });
    return redirect(`/?c=${encodeURIComponent(answer.query.conversationId)}#a-${answer.query.id}`, {
      headers,
    });
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    // Whatever failed, the participant keeps their draft to send again (an LLM
    // failure was stored with its error; a store failure wrote nothing).
    const status = error.code === "BAD_USER_INPUT" ? 400 : error.code === "INTERNAL_SERVER_ERROR" ? 500 : 503;
    const next =
      typeof error.extensions.conversationId === "string" ? error.extensions.conversationId : conversationId;
    return json({ error: error.message, draft, conversationId: next }, { status, headers });
  }
}

export default function Chat() {
  const { turns, conversationId, scripted, pageViewId } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const navigation = useNavigation();
  const pendingQuery = navigation.state !== "idle" ? navigation.formData?.get("query") : null;
  const form = useRef<HTMLFormElement>(null);
  const failedConversation = failed && "conversationId" in failed ? failed.conversationId : null;
  const activeConversation = typeof failedConversation === "string" ? failedConversation : conversationId;

  // After an answer arrives, the box is emptied for the next message.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new turn is the trigger
  useEffect(() => {
    if (navigation.state === "idle" && !failed) form.current?.reset();
  }, [turns.length]);

  return (
    <div className="chat">
      <noscript>
        <img src={`/t/noscript?e=${pageViewId}`} alt="" width={1} height={1} className="pixel" />
      </noscript>
      <header className="chat-header">
        <h1>Ask the assistant</h1>
        {scripted ? (
          <span className="badge" title="Answers come from config/scripted-llm.json; no model is called.">
            Scripted demo answers
          </span>
        ) : null}
        <Link to="/" className="new-chat" reloadDocument={false}>
          New conversation
        </Link>
      </header>

      <main className="turns" aria-live="polite">
        {turns.length === 0 && !pendingQuery ? (
          <p className="empty">Ask a question to start. Answers cite their sources; open any you like.</p>
        ) : null}
        {turns.map((turn) => (
          <Turn key={turn.id} {...turn} />
        ))}
        {typeof pendingQuery === "string" ? (
          <article className="turn pending" aria-busy="true">
            <p className="question">{pendingQuery}</p>
            <p className="thinking">Thinking…</p>
          </article>
        ) : null}
        {failed?.error ? (
          <p className="error" role="alert">
            {failed.error}
          </p>
        ) : null}
      </main>

      <Form method="post" className="composer" ref={form}>
        <input type="hidden" name="conversationId" value={activeConversation ?? ""} />
        <input type="hidden" name="clientTime" value="" data-client-time />
        <label htmlFor="query" className="visually-hidden">
          Your message
        </label>
        <textarea
          id="query"
          name="query"
          rows={2}
          maxLength={8000}
          required
          placeholder="Type your question…"
          defaultValue={String(failed?.draft ?? "")}
          key={String(failed?.draft ?? "")}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Sending…" : "Send"}
        </button>
      </Form>
    </div>
  );
}
