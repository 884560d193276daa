/**
 * What the OpenAI-compatible stub (../openai-stub.ts) answers: chat
 * completions (JSON or streamed), with their usage, citations and Perplexity
 * fields, and OpenAI-style error bodies.
 */
import type { ServerResponse } from "node:http";
import { sendJson, type Waits } from "../http-stub";
import type { StubChatBody, StubReply, StubRequest, StubUsage } from "./types";

export const DEFAULT_STUB_TEXT = "This is the stub's answer.";
export const DEFAULT_MODELS = ["stub-model"];

const ERROR_DEFAULTS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  401: {
    message:
      "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
    type: "invalid_request_error",
    code: "invalid_api_key",
  },
  404: { message: "Not found.", type: "invalid_request_error", code: null },
  429: {
    message: "Rate limit reached for requests. Please try again later.",
    type: "requests",
    code: "rate_limit_exceeded",
  },
  500: {
    message: "The server had an error while processing your request.",
    type: "server_error",
    code: null,
  },
  503: {
    message: "The engine is currently overloaded, please try again later.",
    type: "server_error",
    code: null,
  },
};

/** An OpenAI-style error body for this status. */
export function errorBody(status: number, error: StubReply["error"]) {
  const defaults = ERROR_DEFAULTS[status] ?? {
    message: `Stub error (HTTP ${status}).`,
    type: status >= 500 ? "server_error" : "invalid_request_error",
    code: null,
  };
  return { error: { ...defaults, param: null, ...error } };
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The reply's usage: as scripted (null: none), else a token per word of the messages and of the answer. */
function usage(reply: StubReply, body: StubChatBody | null, text: string): StubUsage | null {
  if (reply.usage !== undefined) return reply.usage;
  const prompt = (body?.messages ?? []).reduce(
    (n, m) => n + (typeof m.content === "string" ? words(m.content) : 1),
    0,
  );
  const completion = words(text);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function annotations(reply: StubReply) {
  return (reply.annotations ?? []).map((a) => ({
    type: "url_citation" as const,
    url_citation: {
      url: a.url,
      title: a.title,
      content: a.content,
      start_index: a.start_index ?? 0,
      end_index: a.end_index ?? 0,
    },
  }));
}

/** Perplexity's top-level fields, only when the reply has them. */
function perplexityFields(reply: StubReply) {
  return {
    ...(reply.citations ? { citations: reply.citations } : {}),
    ...(reply.searchResults ? { search_results: reply.searchResults } : {}),
  };
}

/**
 * Answers a chat completions request with `reply`: one JSON completion, or
 * with `stream: true` SSE chunks ending with `data: [DONE]`, paused by `wait`.
 */
export async function chat(
  request: StubRequest,
  res: ServerResponse,
  reply: StubReply,
  wait: Waits["wait"],
): Promise<void> {
  const id = `chatcmpl-stub-${request.number}`;
  const created = Math.floor(Date.now() / 1000);
  const model = reply.model ?? request.body?.model ?? DEFAULT_MODELS[0];
  const text = reply.text === undefined ? DEFAULT_STUB_TEXT : reply.text;
  const finishReason = reply.finishReason ?? "stop";

  if (!request.body?.stream) {
    sendJson(
      res,
      200,
      {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null, annotations: annotations(reply) },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        ...(reply.usage === null ? {} : { usage: usage(reply, request.body, text ?? "") }),
        ...perplexityFields(reply),
      },
      { "x-request-id": `req_stub_${request.number}` },
    );
    return;
  }

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": `req_stub_${request.number}`,
  });
  /** Writes one SSE event; resolves once it has been handed to the socket (or the response is gone). */
  const event = (data: string) =>
    new Promise<void>((resolve) => {
      res.write(`data: ${data}\n\n`, () => resolve());
    });
  const send = (delta: Record<string, unknown>, finish: string | null) => {
    const chunk = {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...perplexityFields(reply),
    };
    return event(JSON.stringify(chunk));
  };
  const over = () => res.destroyed || res.writableEnded;
  const pieces = reply.chunks ?? (text ? text.split(/(?<=\s)/) : []);
  const breakAt = reply.breakStream?.afterChunks;
  let sent = send({ role: "assistant", content: "", refusal: null }, null);
  for (const [i, piece] of pieces.entries()) {
    if (i === breakAt) return breakOff(res, reply, sent);
    if (!(await wait(reply.chunkDelayMs ?? 0, res))) return;
    if (reply.beforeChunk) {
      await Promise.race([reply.beforeChunk(i), request.closed]);
      if (over()) return;
    }
    const last = i === pieces.length - 1;
    sent = send(
      last && reply.annotations ? { content: piece, annotations: annotations(reply) } : { content: piece },
      null,
    );
    request.chunksSent += 1;
  }
  if (breakAt !== undefined && breakAt >= pieces.length) return breakOff(res, reply, sent);
  if (pieces.length === 0 && reply.annotations) send({ annotations: annotations(reply) }, null);
  send({}, finishReason);
  const options = request.body.stream_options as { include_usage?: boolean } | undefined;
  const reported = options?.include_usage ? usage(reply, request.body, text ?? "") : null;
  if (reported) {
    event(
      JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: reported }),
    );
  }
  res.end("data: [DONE]\n\n");
}

/** Ends a stream as `reply.breakStream` says, once the chunks before have reached the socket. */
async function breakOff(res: ServerResponse, reply: StubReply, sent: Promise<void>): Promise<void> {
  await sent;
  if (res.destroyed || res.writableEnded) return;
  switch (reply.breakStream?.how) {
    case "close":
      res.destroy();
      return;
    case "error":
      res.end(`data: ${JSON.stringify(errorBody(500, reply.error))}\n\n`);
      return;
    default:
      res.end('data: {"id": "chatcmpl-stub", "choices": [{"delta": {"content": "cut\n\n');
  }
}
