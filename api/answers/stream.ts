import type { Deps } from "../deps";
import type { Caller } from "../participants/guard";
import type { QueryRecord, Source, TokenUsage } from "../store/store";
import { type AskInput, failureReason, llmUnavailable, prepareTurn } from "./turn";

export type StreamEvent = { queryId: string; conversationId: string } & (
  | { delta: string; result: null }
  | { delta: null; result: QueryRecord }
);

/**
 * Streams one participant message through the LLM of their condition: an
 * empty delta with the turn's ids at once, text deltas as the provider sends
 * them, then the stored record. The turn is
 * stored once, when it ends:
 * - complete, with its sources, time to first token and total time;
 * - stopped (stopped: true, with what had arrived) when the participant
 *   pressed stop or left: the request's signal aborts (the client went
 *   away) or the consumer stopped reading (the generator was returned).
 *   Both can happen while the generator waits for the consumer, so the
 *   abort listener stores the turn itself, kept alive with waitUntil;
 * - broken, with what had arrived and the error, which then ends the
 *   stream as LLM_UNAVAILABLE.
 * Each way, with the token usage the provider had reported by then (null
 * when none: it comes last, so a stopped answer rarely has it).
 */
export async function* streamAnswer(
  deps: Deps,
  caller: Caller,
  input: AskInput,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const turn = await prepareTurn(deps, caller, input);
  const ids = { queryId: turn.id, conversationId: turn.conversationId };
  const upstream = new AbortController();
  let text = "";
  let ttftMs: number | null = null;
  let usage: TokenUsage | null = null;
  let stored: Promise<QueryRecord> | null = null;
  /** Stores the turn, once, whichever way it ended first. */
  const finish = (outcome: Parameters<typeof turn.save>[0]): Promise<QueryRecord> => {
    upstream.abort();
    stored ??= turn.save(outcome);
    return stored;
  };
  const stop = () => {
    const saving = finish({
      response: text,
      modelSources: [],
      model: turn.llm.model,
      ttftMs,
      stopped: true,
      error: null,
      usage,
    });
    const logged = saving.catch((error: unknown) =>
      console.error(
        `could not store a stopped answer: ${error instanceof Error ? error.name : typeof error}`,
      ),
    );
    deps.waitUntil?.(logged);
    return logged;
  };
  if (signal?.aborted) {
    await stop();
    return;
  }
  signal?.addEventListener("abort", stop, { once: true });

  let done: { sources: Source[]; model: string } | null = null;
  let failure: string | null = null;
  let ended = false;
  try {
    // First, at once: the ids, so a client that stops before the first token still knows the turn.
    yield { ...ids, delta: "", result: null };
    try {
      for await (const part of turn.llm.stream({ ...turn.request, signal: upstream.signal })) {
        if (stored) break; // stopped meanwhile
        if (part.type === "done") {
          done = part;
          continue;
        }
        if (part.type === "usage") {
          usage = part.usage;
          continue;
        }
        ttftMs ??= turn.elapsed();
        text += part.text;
        yield { ...ids, delta: part.text, result: null };
      }
    } catch (error) {
      if (!stored) failure = failureReason(error);
    }
    ended = true;
  } finally {
    signal?.removeEventListener("abort", stop);
    // The consumer returned the generator mid-stream: the participant left.
    if (!ended) await stop();
  }
  if (stored) return; // stopped: the stream just ends
  if (done && failure === null) {
    const record = await finish({
      response: text,
      modelSources: done.sources,
      model: done.model,
      ttftMs,
      stopped: false,
      error: null,
      usage,
    });
    yield { ...ids, delta: null, result: record };
    return;
  }
  const reason = failure ?? "the provider ended the answer early";
  const broken = await finish({
    response: text === "" ? null : text,
    modelSources: [],
    model: turn.llm.model,
    ttftMs,
    stopped: false,
    error: reason,
    usage,
  });
  throw llmUnavailable(broken);
}
