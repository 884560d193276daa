/**
 * An OpenAI-compatible stub server for tests and benchmarks: a node:http
 * server on 127.0.0.1 (random port) speaking enough of the OpenAI wire format
 * for the real `openai` SDK (and any other OpenAI-compatible client):
 *
 * - POST /v1/chat/completions: a JSON completion, or SSE chunks ending with
 *   `data: [DONE]` when the request has `stream: true`;
 * - GET /v1/models: a model list.
 *
 * What it answers is scripted per test with `respondWith` (every following
 * request) and `respondOnce` (a queue used first): the answer text,
 * `url_citation` annotations, Perplexity-style `citations` and
 * `search_results`, an HTTP error with an OpenAI-style body, a delay. Every
 * request it receives is recorded in `requests`.
 *
 *     const stub = await startOpenAiStub();
 *     stub.respondWith({ text: "Hello [1]", annotations: [{ url: "https://a.example/" }] });
 *     const client = new OpenAI({ apiKey: "sk-test", baseURL: stub.url });
 *     ...
 *     expect(stub.requests[0]?.body?.messages).toEqual([...]);
 *     await stub.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type StubUrlCitation = {
  url: string;
  title?: string;
  content?: string;
  start_index?: number;
  end_index?: number;
};

export type StubSearchResult = { url: string; title?: string; snippet?: string; date?: string };

/** What the stub answers to one request. Every field is optional. */
export type StubReply = {
  /** The answer (`message.content`); `null` sends a null content. Default: {@link DEFAULT_STUB_TEXT}. */
  text?: string | null;
  /** The `model` of the completion. Default: the model of the request. */
  model?: string;
  /** `message.annotations` of type `url_citation` (OpenAI search models, OpenRouter's web plugin). */
  annotations?: StubUrlCitation[];
  /** Perplexity: top-level `citations`, a list of URLs. */
  citations?: string[];
  /** Perplexity: top-level `search_results`. */
  searchResults?: StubSearchResult[];
  /** Answer with this HTTP status and an OpenAI-style error body (`{"error": {...}}`) instead. */
  status?: number;
  /** The error body's fields; defaults depend on the status (401, 429, 500, ...). */
  error?: { message?: string; type?: string; code?: string | null };
  /** Sent as `retry-after-ms` with an error, so SDK retries can be made fast in tests. */
  retryAfterMs?: number;
  /** Wait this long before answering anything (headers included): makes clients time out. */
  delayMs?: number;
  /** Streaming only: the content pieces, one per chunk. Default: the text split after whitespace. */
  chunks?: string[];
  /** Streaming only: the pause before each content chunk. */
  chunkDelayMs?: number;
  /** `finish_reason` of the choice. Default "stop". */
  finishReason?: string;
};

/** A fixed reply, or a function of the request (for replies that depend on what was asked). */
export type StubResponder = StubReply | ((request: StubRequest) => StubReply | Promise<StubReply>);

export type StubChatMessage = { role: string; content: unknown; [key: string]: unknown };

/** The JSON body of a chat completions request, as the client sent it. */
export type StubChatBody = {
  model?: string;
  messages?: StubChatMessage[];
  temperature?: number;
  stream?: boolean;
  [key: string]: unknown;
};

export type StubRequest = {
  /** 1 for the first request this stub received, then 2, 3... (also in the completion id). */
  number: number;
  method: string;
  /** The path without the query string, e.g. /v1/chat/completions. */
  path: string;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body; null without a body. */
  body: StubChatBody | null;
  /** Date.now() when the request's body had been read. */
  receivedAt: number;
};

export interface OpenAiStub {
  /** The base URL to give a client, ending in /v1 (e.g. `new OpenAI({ baseURL: stub.url })`). */
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first (cleared in place by `reset`). */
  readonly requests: StubRequest[];
  /** The chat completions requests only, oldest first. */
  chatRequests(): StubRequest[];
  /** Answer every following request (after any queued `respondOnce` replies) with this. */
  respondWith(reply: StubResponder): void;
  /** Queue replies for the next requests, one each, before the `respondWith` reply applies again. */
  respondOnce(...replies: StubResponder[]): void;
  /** Forget requests, queued replies and the `respondWith` reply. */
  reset(): void;
  /** Stops the server: pending delays end, open connections are closed. */
  close(): Promise<void>;
}

export type OpenAiStubOptions = {
  /** The initial `respondWith` reply. */
  reply?: StubResponder;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401, like OpenAI. */
  apiKey?: string;
  /** Models listed by GET /v1/models. */
  models?: string[];
};

export const DEFAULT_STUB_TEXT = "This is the stub's answer.";
const DEFAULT_MODELS = ["stub-model"];

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

function errorBody(status: number, error: StubReply["error"]) {
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

function usage(body: StubChatBody | null, text: string) {
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

export async function startOpenAiStub(options: OpenAiStubOptions = {}): Promise<OpenAiStub> {
  const requests: StubRequest[] = [];
  const queue: StubResponder[] = [];
  let fallback: StubResponder = options.reply ?? {};
  let sequence = 0;
  let closing = false;
  /** Pending waits, ended early by close(). */
  const waits = new Set<() => void>();

  /** Resolves after ms, or early when the response closes or the stub stops; true if it may go on. */
  function wait(ms: number, res: ServerResponse): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(!res.destroyed && !closing);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waits.delete(done);
        res.off("close", done);
        resolve(!res.destroyed && !res.writableEnded && !closing);
      };
      const timer = setTimeout(done, ms);
      waits.add(done);
      res.once("close", done);
    });
  }

  function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    return Buffer.concat(parts).toString("utf8");
  }

  async function chat(request: StubRequest, res: ServerResponse, reply: StubReply): Promise<void> {
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
          usage: usage(request.body, text ?? ""),
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
    const send = (delta: Record<string, unknown>, finish: string | null) => {
      const chunk = {
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...perplexityFields(reply),
      };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    const pieces = reply.chunks ?? (text ? text.split(/(?<=\s)/) : []);
    send({ role: "assistant", content: "", refusal: null }, null);
    for (const [i, piece] of pieces.entries()) {
      if (!(await wait(reply.chunkDelayMs ?? 0, res))) return;
      const last = i === pieces.length - 1;
      send(
        last && reply.annotations ? { content: piece, annotations: annotations(reply) } : { content: piece },
        null,
      );
    }
    if (pieces.length === 0 && reply.annotations) send({ annotations: annotations(reply) }, null);
    send({}, finishReason);
    const options = request.body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) {
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: usage(request.body, text ?? "") })}\n\n`,
      );
    }
    res.end("data: [DONE]\n\n");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    sequence += 1;
    const number = sequence;
    const path = new URL(req.url ?? "/", "http://stub").pathname.replace(/\/+$/, "");
    let body: StubChatBody | null = null;
    if (raw !== "") {
      try {
        body = JSON.parse(raw) as StubChatBody;
      } catch {
        requests.push({
          number,
          method: req.method ?? "GET",
          path,
          headers: req.headers,
          body: null,
          receivedAt: Date.now(),
        });
        sendJson(res, 400, errorBody(400, { message: "We could not parse the JSON body of your request." }), {
          "x-request-id": `req_stub_${number}`,
        });
        return;
      }
    }
    const request: StubRequest = {
      number,
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    requests.push(request);

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, errorBody(401, undefined));
      return;
    }

    if (req.method === "GET" && path === "/v1/models") {
      const created = Math.floor(Date.now() / 1000);
      sendJson(res, 200, {
        object: "list",
        data: (options.models ?? DEFAULT_MODELS).map((id) => ({
          id,
          object: "model",
          created,
          owned_by: "stub",
        })),
      });
      return;
    }
    if (path !== "/v1/chat/completions" || req.method !== "POST") {
      sendJson(res, 404, errorBody(404, { message: `Unknown request URL: ${req.method} ${path}.` }));
      return;
    }

    const responder = queue.shift() ?? fallback;
    const reply = typeof responder === "function" ? await responder(request) : responder;
    if (!(await wait(reply.delayMs ?? 0, res))) return;
    if (reply.status !== undefined && reply.status >= 400) {
      const headers: Record<string, string> = { "x-request-id": `req_stub_${request.number}` };
      if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
      sendJson(res, reply.status, errorBody(reply.status, reply.error), headers);
      return;
    }
    await chat(request, res, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 500, errorBody(500, { message: `stub failure: ${String(error)}` }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === "/v1/chat/completions"),
    respondWith(reply) {
      fallback = reply;
    },
    respondOnce(...replies) {
      queue.push(...replies);
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
      fallback = options.reply ?? {};
    },
    close() {
      if (!closed) {
        closing = true;
        for (const done of [...waits]) done();
        closed = new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
      }
      return closed;
    },
  };
}
