/**
 * The public types of the OpenAI-compatible stub (../openai-stub.ts): the
 * replies a test scripts, the requests it records, its options, and the
 * handle `startOpenAiStub` returns.
 */
import type { IncomingMessage } from "node:http";

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
  /** The answer (`message.content`); `null` sends a null content. Default: `DEFAULT_STUB_TEXT` (./completions.ts). */
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
  /**
   * Streaming only: awaited before content chunk `index` (0-based) is sent,
   * after `chunkDelayMs`: lets a test hold the stream until it has seen the
   * earlier chunks. Given up when the connection closes.
   */
  beforeChunk?: (index: number) => unknown;
  /** Streaming only: break the stream off after this many content chunks, without `data: [DONE]`. */
  breakStream?: StubStreamBreak;
  /** `finish_reason` of the choice. Default "stop". */
  finishReason?: string;
  /**
   * The `usage` object: of a JSON completion, and of a stream's last chunk,
   * which is sent when the request asks for it (`stream_options.include_usage`),
   * as OpenAI does. Default: counted (a token per word of the messages and
   * of the answer). `null`: no usage at all, as OpenAI-compatible servers
   * that ignore stream_options answer.
   */
  usage?: StubUsage | null;
};

/** OpenAI's usage object; a field left out is not sent. */
export type StubUsage = { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };

export type StubStreamBreak = {
  /** Content chunks sent before the break (the first chunk, with the role only, is always sent). */
  afterChunks: number;
  /**
   * - "close": the connection closes in the middle of the response body;
   * - "error": an SSE event `{"error": {...}}` (OpenAI's 500 body, or the reply's `error` fields), then the end;
   * - "malformed": an SSE event whose data is not JSON, then the end.
   */
  how: "close" | "error" | "malformed";
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
  /** Streaming: the content chunks sent so far (not the first, role-only one). */
  chunksSent: number;
  /**
   * When the response is over: "finished" once it was sent to the end,
   * "closed early" when the connection closed first (the client hung up, a
   * `breakStream` "close", or the stub closed).
   */
  closed: Promise<StubResponseEnd>;
};

export type StubResponseEnd = "finished" | "closed early";

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
