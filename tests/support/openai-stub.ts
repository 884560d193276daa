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
 * `search_results`, the token `usage` (or none), an HTTP error with an
 * OpenAI-style body, a delay. Every request it receives is recorded in
 * `requests`. Streams can be paced
 * (`chunkDelayMs`), held chunk by chunk (`beforeChunk`) and broken off
 * (`breakStream`); each request says how many chunks were sent and how its
 * response ended (`chunksSent`, `closed`).
 *
 *     const stub = await startOpenAiStub();
 *     stub.respondWith({ text: "Hello [1]", annotations: [{ url: "https://a.example/" }] });
 *     const client = new OpenAI({ apiKey: "sk-test", baseURL: stub.url });
 *     ...
 *     expect(stub.requests[0]?.body?.messages).toEqual([...]);
 *     await stub.close();
 *
 * The parts: ./openai-stub/types.ts (what tests see), ./openai-stub/server.ts
 * (routing, the request log, the replies' queue), ./openai-stub/completions.ts
 * (the completions and errors it sends), and ./http-stub.ts (the HTTP
 * plumbing shared with ./data-api-server.ts).
 */
export { DEFAULT_STUB_TEXT } from "./openai-stub/completions";
export { startOpenAiStub } from "./openai-stub/server";
export type {
  OpenAiStub,
  OpenAiStubOptions,
  StubChatBody,
  StubChatMessage,
  StubReply,
  StubRequest,
  StubResponder,
  StubResponseEnd,
  StubSearchResult,
  StubStreamBreak,
  StubUrlCitation,
  StubUsage,
} from "./openai-stub/types";
