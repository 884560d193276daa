import { Form, Link, useNavigate, useNavigation, useRevalidator } from "@remix-run/react";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import type { PageType } from "../../api/domain/records";
import { withLinkToken } from "../participant/link-token";
import { Turn, type TurnProps } from "../participant/turn";
import { ENDED_CODES } from "./ended-codes";
import { answersShown, startInputSignals } from "./input-signals";
import { type StreamIds, streamAnswer } from "./stream-client";
import { StudyMessage } from "./study-message";

export type ChatViewProps = {
  title: string;
  /** Where this chat lives: / or /s/<id>/chat. */
  path: string;
  studyId: string | null;
  conversationId: string | null;
  turns: TurnProps[];
  conversations: { id: string; title: string; turns: number }[];
  /** The condition's text before the first message (api/studies/texts.ts). */
  emptyChatText: string;
  /** The condition's feedback button under each answer; null: none. */
  feedbackLabel: string | null;
  /** Messages left in the condition (null: no limit). */
  turnsLeft: number | null;
  /** The study records input signals (botSignals): the form carries the field the tracker fills. */
  botSignals?: boolean;
  /** The study's attention check due now (a message from the researchers), which the box then answers; null: none. */
  attentionCheck?: { id: string; html: string } | null;
  pageViewId: string;
  /** The session's events-only token: the tracker's batches from this page carry it. */
  trackerSession: string;
  failed: { error: string; draft: string; conversationId: string | null } | null;
  badge?: ReactNode;
  /** Links of a study: finish and withdraw. */
  actions?: ReactNode;
  /** A study's end page: where the page goes when the API says the participant's part has ended. */
  endedPath?: string;
  /** The participant's URL token, which the chat's links and requests carry in a cookieless frame; null: none. */
  linkToken?: string | null;
};

/**
 * The streamed text as it arrives, without citation markers (and without a
 * marker still arriving, like "[1"): the model's numbers are not the ones
 * the condition shows, and a condition may hide them. The answer then shows
 * from the store, with its markers as the condition presents them.
 */
const withoutMarkers = (text: string) =>
  text.replace(/[ \t]*\[\d{1,3}\]/g, "").replace(/[ \t]*\[\d{0,3}$/, "");

/** How often the page reloads the conversation to find a stopped answer (after 0.8, 1.6, 2.4 ... s). */
const STOPPED_RELOADS = 6;

type Live = { query: string; text: string; ids: StreamIds | null; stopped: boolean; done: boolean };

/**
 * The chat: history, the conversation, and the composer. With JavaScript
 * off the composer is a plain form (the route's action answers it whole);
 * with it on, the answer streams in token by token, with a stop button,
 * and the page then reloads the conversation from the store.
 */
export function ChatView(props: ChatViewProps) {
  const { turns, failed, path } = props;
  /** This chat (or one of its conversations), with the URL token when the session travels in links. */
  const chatHref = (conversationId?: string) =>
    withLinkToken(conversationId ? `${path}?c=${encodeURIComponent(conversationId)}` : path, props.linkToken);
  const navigation = useNavigation();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const form = useRef<HTMLFormElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const stopper = useRef<AbortController | null>(null);
  // The turns as last rendered, and whether a load is under way, for the reloads that wait
  // until a stopped answer is stored (a reload never cancels one still loading).
  const shownTurns = useRef(turns);
  shownTurns.current = turns;
  const loading = useRef(false);
  loading.current = navigation.state !== "idle";
  const [live, setLive] = useState<Live | null>(null);
  const [streamError, setStreamError] = useState<string | null>(null);
  const [continued, setContinued] = useState<string | null>(null);
  // A reply to an attention check on its way is no question to the assistant: it shows no pending turn.
  const submitting = navigation.state === "submitting" && !navigation.formData?.has("attentionCheckId");
  const pendingQuery = submitting ? navigation.formData?.get("query") : null;
  const activeConversation = continued ?? failed?.conversationId ?? props.conversationId;
  const streaming = live !== null && !live.stopped && !live.done;
  const showLive = live !== null && !turns.some((t) => t.id === live.ids?.queryId);

  // Input signals, in a study that records them: measured from hydration, each answer noted as shown.
  useEffect(() => (props.botSignals ? startInputSignals() : undefined), [props.botSignals]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new turns are the trigger
  useEffect(() => {
    if (props.botSignals) answersShown();
  }, [turns, props.botSignals]);

  // After an answer arrives, the box is emptied for the next message. A streamed message
  // emptied it when it was sent: what is there now was typed meanwhile, and stays.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new turn is the trigger
  useEffect(() => {
    if (navigation.state === "idle" && !failed && !streamError && live === null) form.current?.reset();
    setContinued(null);
  }, [turns.length]);

  // A check answered (or a new one due): the box is emptied of the reply.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the check's id is the trigger
  useEffect(() => {
    if (navigation.state === "idle" && !failed) form.current?.reset();
  }, [props.attentionCheck?.id]);

  // Once the streamed turn is loaded from the store it shows from there: the live copy goes
  // (else it would come back on any page without that turn, such as a new conversation).
  useEffect(() => {
    const queryId = live?.ids?.queryId;
    if (queryId && (live.done || live.stopped) && turns.some((t) => t.id === queryId)) setLive(null);
  }, [turns, live]);

  const check = props.attentionCheck ?? null;

  async function send(event: FormEvent<HTMLFormElement>) {
    if (typeof ReadableStream === "undefined" || typeof TextDecoderStream === "undefined") return; // the plain form
    if (check) return; // a reply to the researchers goes by the form, never to the assistant
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const query = String(data.get("query") ?? "").trim();
    if (!query || stopper.current) return;
    const controller = new AbortController();
    stopper.current = controller;
    setStreamError(null);
    setLive({ query, text: "", ids: null, stopped: false, done: false });
    if (box.current) box.current.value = "";
    let ids: StreamIds | null = null;
    const restore = (message: string, conversationId: unknown) => {
      setLive(null);
      setStreamError(message);
      if (typeof conversationId === "string") setContinued(conversationId);
      if (box.current) box.current.value = query;
    };
    try {
      await streamAnswer(data, controller.signal, props.linkToken ?? null, {
        onDelta(text, next) {
          ids = next;
          setContinued(next.conversationId);
          setLive((l) => (l ? { ...l, text: l.text + text, ids: next } : l));
        },
        onDone(done) {
          ids = done;
          setLive((l) => (l ? { ...l, ids: done, done: true } : l));
          const conversation = chatHref(done.conversationId);
          // Already on this conversation, only the hash changes, and a hash change runs no
          // loader: the conversation is then reloaded from the store explicitly.
          const hashOnly = `${window.location.pathname}${window.location.search}` === conversation;
          navigate(`${conversation}#a-${done.queryId}`, { preventScrollReset: true });
          if (hashOnly) revalidator.revalidate();
        },
        onError: (message, code, extensions) => {
          if (props.endedPath && code !== null && ENDED_CODES.has(code)) {
            setLive(null);
            navigate(props.endedPath);
            return;
          }
          restore(message, extensions.conversationId);
          // A check fell due (by time) since the page loaded: the page loads it.
          if (code === "ATTENTION_CHECK_DUE") revalidator.revalidate();
        },
      });
    } catch {
      if (!controller.signal.aborted) {
        restore("The answer could not be loaded. Your message was kept; please try again.", null);
      } else {
        setLive((l) => (l ? { ...l, stopped: true } : l));
        // The server stores the stopped answer once it sees the client leave; the conversation
        // is reloaded from the store until it holds it (a busy store can take a few seconds).
        const stoppedIds = ids as StreamIds | null;
        const reload = (attempt: number) =>
          setTimeout(() => {
            if (!stoppedIds || shownTurns.current.some((t) => t.id === stoppedIds.queryId)) return;
            if (!loading.current) {
              navigate(chatHref(stoppedIds.conversationId), {
                preventScrollReset: true,
              });
            }
            if (attempt < STOPPED_RELOADS) reload(attempt + 1);
          }, 800 * attempt);
        if (stoppedIds) reload(1);
      }
    } finally {
      stopper.current = null;
    }
  }

  const error = streamError ?? failed?.error ?? null;
  // A check due after the last message allowed is still answered in the box.
  const limitReached = props.turnsLeft !== null && props.turnsLeft <= 0 && !check;
  // The message on its way is already counted by the server.
  const turnsLeft = props.turnsLeft === null ? null : Math.max(0, props.turnsLeft - (showLive ? 1 : 0));

  const pageType: PageType = props.studyId ? "chat" : "open-chat";

  return (
    <div className="chat" data-tracker-session={props.trackerSession} data-page-type={pageType}>
      <noscript>
        <img
          src={`/t/noscript?e=${props.pageViewId}&p=${pageType}`}
          alt=""
          width={1}
          height={1}
          className="pixel"
        />
      </noscript>
      <header className="chat-header">
        {/* A long title is cut with an ellipsis: the tooltip shows all of it (screen readers read all of it). */}
        <h1 title={props.title}>{props.title}</h1>
        {props.badge}
        <Link to={chatHref()} className="new-chat">
          New conversation
        </Link>
        {props.actions}
      </header>

      {props.conversations.length > 0 ? (
        <nav className="history" aria-label="Your conversations">
          <h2>Your conversations</h2>
          <ul>
            {props.conversations.map((c) => (
              <li key={c.id}>
                <Link to={chatHref(c.id)} aria-current={c.id === props.conversationId ? "page" : undefined}>
                  {c.title}
                </Link>
                <span className="count">{c.turns}</span>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <main className="turns" aria-live="polite">
        {/* The outline: h1 the chat, h2 its sections, an answer's own headings h3 and below. */}
        <h2 className="visually-hidden">Conversation</h2>
        {turns.length === 0 && !pendingQuery && !showLive && !error ? (
          <p className="empty">{props.emptyChatText}</p>
        ) : null}
        {turns.map((turn) => (
          <Turn key={turn.id} {...turn} feedbackLabel={props.feedbackLabel} />
        ))}
        {typeof pendingQuery === "string" ? (
          <article className="turn pending" aria-busy="true">
            <p className="question">{pendingQuery}</p>
            <p className="thinking">Thinking…</p>
          </article>
        ) : null}
        {live && showLive ? (
          <article className="turn pending" aria-busy={streaming} data-streaming={streaming ? "" : undefined}>
            <p className="question">{live.query}</p>
            {live.text ? (
              <p className="streamed">{withoutMarkers(live.text)}</p>
            ) : (
              <p className="thinking">Thinking…</p>
            )}
            {live.stopped ? <p className="stopped-note">Stopped. What arrived was saved.</p> : null}
          </article>
        ) : null}
        {check && !showLive && typeof pendingQuery !== "string" ? <StudyMessage {...check} /> : null}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </main>

      {limitReached ? (
        <p className="limit" role="status">
          You have sent all the messages this study allows. Please finish the study.
        </p>
      ) : (
        <Form method="post" className="composer" ref={form} onSubmit={send}>
          <input type="hidden" name="conversationId" value={activeConversation ?? ""} />
          {props.studyId ? <input type="hidden" name="studyId" value={props.studyId} /> : null}
          {check ? <input type="hidden" name="attentionCheckId" value={check.id} /> : null}
          <input type="hidden" name="clientTime" value="" data-client-time />
          {props.botSignals ? <input type="hidden" name="inputSignals" value="" data-input-signals /> : null}
          <label htmlFor="query" className="visually-hidden">
            {check ? "Your answer to the researchers" : "Your message"}
          </label>
          <textarea
            id="query"
            name="query"
            ref={box}
            rows={2}
            maxLength={8000}
            required
            placeholder={check ? "Type your answer to the researchers…" : "Type your question…"}
            defaultValue={String(failed?.draft ?? "")}
            key={String(failed?.draft ?? "")}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
          />
          {/* Distinct keys: React must not turn the Stop button into Send in place, or the
              click that stops the answer would then submit the form (sending the box's text). */}
          {streaming ? (
            <button key="stop" type="button" className="stop" onClick={() => stopper.current?.abort()}>
              Stop
            </button>
          ) : (
            <button key="send" type="submit" disabled={navigation.state === "submitting"}>
              {navigation.state === "submitting" ? "Sending…" : check ? "Send answer" : "Send"}
            </button>
          )}
          {turnsLeft !== null ? (
            <span className="turns-left">
              {turnsLeft} message{turnsLeft === 1 ? "" : "s"} left
            </span>
          ) : null}
        </Form>
      )}
    </div>
  );
}
