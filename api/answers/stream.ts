import type { Context } from "../context";
import type { Source } from "../store/store";
import type { QueryRecord } from "../store/store";
import { type AskInput, failureReason, llmUnavailable, prepareTurn } from "./turn";

export type StreamEvent = { delta: string; result: null } | { delta: null; result: QueryRecord };

/**
 * Streams one participant message through the LLM of their condition: text
 * deltas as the provider sends them, then the stored record. The turn is
 * stored once, when it ends, with its time to first token and total time:
 * complete; or stopped (the consumer stopped reading: the participant
 * pressed stop or left), with what had arrived; or broken, with what had
 * arrived and the error, which then ends the stream as LLM_UNAVAILABLE.
 */
export async function* streamAnswer(ctx: Context, input: AskInput): AsyncGenerator<StreamEvent> {
  const turn = await prepareTurn(ctx, input);
  const upstream = new AbortController();
  let text = "";
  let ttftMs: number | null = null;
  let done: { sources: Source[]; model: string } | null = null;
  let failure: string | null = null;
  let settled = false;
  try {
    try {
      for await (const part of turn.llm.stream({ ...turn.request, signal: upstream.signal })) {
        if (part.type === "done") {
          done = part;
          continue;
        }
        ttftMs ??= turn.elapsed();
        text += part.text;
        yield { delta: part.text, result: null };
      }
    } catch (error) {
      failure = failureReason(error);
    }
    settled = true;
  } finally {
    upstream.abort();
    if (!settled) {
      // The consumer left mid-stream: store what arrived, even after the response is gone.
      const saving = turn
        .save({ response: text, sources: [], model: turn.llm.model, ttftMs, stopped: true, error: null })
        .catch((error: unknown) => console.error("could not store a stopped answer", error));
      ctx.waitUntil?.(saving);
      await saving;
    }
  }
  if (done && failure === null) {
    const record = await turn.save({
      response: text,
      sources: done.sources,
      model: done.model,
      ttftMs,
      stopped: false,
      error: null,
    });
    yield { delta: null, result: record };
    return;
  }
  const reason = failure ?? "the provider ended the answer early";
  const broken = await turn.save({
    response: text === "" ? null : text,
    sources: [],
    model: turn.llm.model,
    ttftMs,
    stopped: false,
    error: reason,
  });
  throw llmUnavailable(reason, broken);
}
