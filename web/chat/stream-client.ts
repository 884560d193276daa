/**
 * Reads a streamed answer from routes/stream.tsx in the browser: the API's
 * Server-Sent Events, one GraphQL result per `next` event. No library: a
 * few lines of parsing keep the chat page small.
 */
import { withLinkToken } from "../participant/link-token";

export type StreamIds = { queryId: string; conversationId: string };

export type StreamHandlers = {
  /** Each piece of text; the first call, at once, has an empty text and gives the ids. */
  onDelta(text: string, ids: StreamIds): void;
  onDone(ids: StreamIds): void;
  onError(message: string, code: string | null, extensions: Record<string, unknown>): void;
};

type Next = {
  data?: {
    queryStream?: { queryId: string; conversationId: string; delta?: string | null; result?: unknown } | null;
  } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

function handle(block: string, on: StreamHandlers): boolean {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  if (event === "complete") return true;
  if (event !== "next" || data.length === 0) return false;
  const next = JSON.parse(data.join("\n")) as Next;
  const error = next.errors?.[0];
  if (error) {
    const extensions = error.extensions ?? {};
    on.onError(error.message, typeof extensions.code === "string" ? extensions.code : null, extensions);
    return true;
  }
  const part = next.data?.queryStream;
  if (!part) return false;
  const ids = { queryId: part.queryId, conversationId: part.conversationId };
  if (part.result) {
    on.onDone(ids);
    return true;
  }
  if (typeof part.delta === "string") on.onDelta(part.delta, ids);
  return false;
}

/**
 * Streams one message's answer; resolves when it ends, rejects with an
 * AbortError when `signal` stops it. `linkToken`: the participant's URL
 * token in a cookieless frame (api/participants/url-token.ts), sent as the
 * study's links carry it.
 */
export async function streamAnswer(
  form: FormData,
  signal: AbortSignal,
  linkToken: string | null,
  on: StreamHandlers,
): Promise<void> {
  const body = new URLSearchParams();
  for (const [key, value] of form) if (typeof value === "string") body.append(key, value);
  const response = await fetch(withLinkToken("/stream", linkToken), {
    method: "POST",
    body,
    signal,
    headers: { accept: "text/event-stream" },
  });
  if (
    !response.ok ||
    !response.body ||
    !response.headers.get("content-type")?.includes("text/event-stream")
  ) {
    const problem = (await response.json().catch(() => null)) as {
      error?: { message?: string; code?: string };
    } | null;
    on.onError(
      problem?.error?.message ?? `The answer could not be loaded (HTTP ${response.status}).`,
      problem?.error?.code ?? null,
      {},
    );
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n/g, "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (handle(block, on)) {
        await reader.cancel().catch(() => {});
        return;
      }
      end = buffer.indexOf("\n\n");
    }
  }
  on.onError(
    "The answer stopped before it was complete. Your message was saved; please try again.",
    null,
    {},
  );
}
