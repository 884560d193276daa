import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type OpenAiStub, startOpenAiStub } from "../../tests/support/openai-stub";
import { type LlmStreamPart, LlmUnavailableError } from "./llm";
import { createOpenAiLlm, type OpenAiOptions } from "./openai";

const API_KEY = "sk-test-secret-key-0123456789abcdef";

let stub: OpenAiStub;

beforeAll(async () => {
  stub = await startOpenAiStub();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
});

function llm(options: Partial<OpenAiOptions> = {}) {
  return createOpenAiLlm({
    apiKey: API_KEY,
    baseUrl: stub.url,
    model: "stub-model",
    systemPrompt: undefined,
    temperature: undefined,
    timeoutMs: 5_000,
    maxRetries: 0,
    ...options,
  });
}

/** The error that a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

describe("createOpenAiLlm against an OpenAI-compatible server", () => {
  it("returns the answer text, no sources, and the model that answered", async () => {
    stub.respondWith({ text: "Water boils at **100 °C** at sea level.", model: "stub-model-2025" });
    const answer = await llm().answer({ history: [], message: "When does water boil?" });
    expect(answer).toEqual({
      text: "Water boils at **100 °C** at sea level.",
      sources: [],
      model: "stub-model-2025",
      // The stub's count: a token per word of the message (4) and of the answer (8).
      usage: { promptTokens: 4, completionTokens: 8, totalTokens: 12 },
    });
  });

  it("normalises url_citation annotations to ranked sources, one per URL", async () => {
    stub.respondWith({
      text: "See [1] and [2].",
      annotations: [
        { url: "https://a.example/first", title: "First", content: "about a" },
        { url: "https://b.example/guide/getting-started" },
        { url: "https://a.example/first", title: "First again" },
        { url: "ftp://c.example/file" },
      ],
    });
    const answer = await llm().answer({ history: [], message: "sources?" });
    expect(answer.sources).toEqual([
      { rank: 1, title: "First", url: "https://a.example/first", content: "about a" },
      {
        rank: 2,
        title: "b.example: getting started",
        url: "https://b.example/guide/getting-started",
        content: null,
      },
    ]);
  });

  it("takes Perplexity-style citations and search_results", async () => {
    stub.respondWith({
      text: "Perplexity answer [1][2][3].",
      citations: ["https://p.example/one", "https://p.example/two"],
      searchResults: [
        { url: "https://p.example/two", title: "Two", snippet: "second snippet" },
        { url: "https://p.example/three", title: "Three", snippet: "third snippet" },
      ],
    });
    const answer = await llm().answer({ history: [], message: "q" });
    expect(answer.sources).toEqual([
      { rank: 1, title: "p.example: one", url: "https://p.example/one", content: null },
      { rank: 2, title: "Two", url: "https://p.example/two", content: "second snippet" },
      { rank: 3, title: "Three", url: "https://p.example/three", content: "third snippet" },
    ]);
  });

  it("puts annotations before Perplexity fields and merges a URL present in both", async () => {
    stub.respondWith({
      annotations: [{ url: "https://x.example/a", title: "A" }],
      citations: ["https://x.example/b", "https://x.example/a"],
      searchResults: [{ url: "https://x.example/a", title: "A (search)", snippet: "a snippet" }],
    });
    const answer = await llm().answer({ history: [], message: "q" });
    expect(answer.sources).toEqual([
      { rank: 1, title: "A", url: "https://x.example/a", content: "a snippet" },
      { rank: 2, title: "x.example: b", url: "https://x.example/b", content: null },
    ]);
  });

  it("sends the system prompt, then the earlier turns in order, then the message", async () => {
    await llm({ systemPrompt: "You are a careful assistant." }).answer({
      history: [
        { role: "user", content: "first question" },
        { role: "assistant", content: "first answer" },
        { role: "user", content: "second question" },
        { role: "assistant", content: "second answer" },
      ],
      message: "third question",
    });
    expect(stub.chatRequests()).toHaveLength(1);
    expect(stub.chatRequests()[0]?.body?.messages).toEqual([
      { role: "system", content: "You are a careful assistant." },
      { role: "user", content: "first question" },
      { role: "assistant", content: "first answer" },
      { role: "user", content: "second question" },
      { role: "assistant", content: "second answer" },
      { role: "user", content: "third question" },
    ]);
  });

  it("sends no system message when there is no system prompt", async () => {
    await llm().answer({ history: [], message: "hello" });
    expect(stub.chatRequests()[0]?.body?.messages).toEqual([{ role: "user", content: "hello" }]);
  });

  it("sends the model and the temperature, and the API key as a bearer token", async () => {
    await llm({ model: "gpt-study-1", temperature: 0.3 }).answer({ history: [], message: "hi" });
    const request = stub.chatRequests()[0];
    expect(request?.method).toBe("POST");
    expect(request?.body?.model).toBe("gpt-study-1");
    expect(request?.body?.temperature).toBe(0.3);
    expect(request?.body?.stream).toBeFalsy();
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("sends no temperature when none is configured", async () => {
    await llm().answer({ history: [], message: "hi" });
    expect(stub.chatRequests()[0]?.body).not.toHaveProperty("temperature");
  });

  it("reports an HTTP 500 as LlmUnavailableError naming the status", async () => {
    stub.respondWith({ status: 500 });
    const error = await failure(llm().answer({ history: [], message: "q" }));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toBe(
      "the provider answered with HTTP 500: The server had an error while processing your request.",
    );
    expect(stub.chatRequests()).toHaveLength(1);
  });

  it("retries once with maxRetries 1: the server sees two requests", async () => {
    stub.respondWith({ status: 500, retryAfterMs: 1 });
    const error = await failure(llm({ maxRetries: 1 }).answer({ history: [], message: "q" }));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toMatch(/HTTP 500/);
    expect(stub.chatRequests()).toHaveLength(2);
  });

  it("answers after a retry when the first attempt fails", async () => {
    stub.respondOnce({ status: 500, retryAfterMs: 1 });
    stub.respondWith({ text: "second time lucky" });
    const answer = await llm({ maxRetries: 1 }).answer({ history: [], message: "q" });
    expect(answer.text).toBe("second time lucky");
    expect(stub.chatRequests()).toHaveLength(2);
  });

  it("reports rate limiting (HTTP 429) and a rejected key (HTTP 401)", async () => {
    stub.respondOnce({ status: 429 }, { status: 401 });
    const limited = await failure(llm().answer({ history: [], message: "q" }));
    expect(limited).toBeInstanceOf(LlmUnavailableError);
    expect(limited.message).toMatch(/HTTP 429/);
    const rejected = await failure(llm().answer({ history: [], message: "q" }));
    expect(rejected).toBeInstanceOf(LlmUnavailableError);
    expect(rejected.message).toMatch(/HTTP 401/);
  });

  it("reports a provider slower than timeoutMs as not answering in time", async () => {
    stub.respondWith({ delayMs: 2_000 });
    const started = Date.now();
    const error = await failure(llm({ timeoutMs: 150 }).answer({ history: [], message: "q" }));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("reports an unreachable provider", async () => {
    const gone = await startOpenAiStub();
    const url = gone.url;
    await gone.close();
    const error = await failure(llm({ baseUrl: url }).answer({ history: [], message: "q" }));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toMatch(/could not be reached/);
  });

  it.each([
    ["empty", ""],
    ["blank", "  \n "],
    ["null", null],
  ])("reports an %s answer as LlmUnavailableError", async (_, text) => {
    stub.respondWith({ text });
    const error = await failure(llm().answer({ history: [], message: "q" }));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toMatch(/no answer text/);
  });

  it("never puts the API key in the error message, even when the provider echoes it", async () => {
    stub.respondOnce(
      { status: 401, error: { message: `Incorrect API key provided: ${API_KEY}.` } },
      { status: 500, error: { message: `upstream rejected Authorization: Bearer ${API_KEY}` } },
      { status: 401 },
    );
    for (let i = 0; i < 3; i++) {
      const error = await failure(llm().answer({ history: [], message: "q" }));
      expect(error).toBeInstanceOf(LlmUnavailableError);
      expect(error.message).toMatch(/HTTP (401|500)/);
      expect(error.message).not.toContain(API_KEY);
    }
  });

  it("keeps an answer whose citation URL has a malformed escape", async () => {
    stub.respondWith({ text: "ok", annotations: [{ url: "https://m.example/a%E0%A4%A" }] });
    const answer = await llm().answer({ history: [], message: "q" });
    expect(answer.sources).toHaveLength(1);
    expect(answer.sources[0]?.url).toBe("https://m.example/a%E0%A4%A");
    expect(answer.sources[0]?.title).toContain("m.example");
  });

  it("describes its configuration in health without calling the provider", async () => {
    const health = await llm({ model: "m1" }).health();
    expect(health.ok).toBe(true);
    expect(health.detail).toBe(`model m1 at 127.0.0.1:${stub.port}`);
    expect(stub.requests).toHaveLength(0);
  });
});

type Streamed = { parts: LlmStreamPart[]; deltas: string[]; error: Error | undefined };

/** Every part of a stream, and the error that ended it if any. */
async function collect(parts: AsyncIterable<LlmStreamPart>, onPart?: (part: LlmStreamPart) => unknown) {
  const seen: Streamed = { parts: [], deltas: [], error: undefined };
  try {
    for await (const part of parts) {
      seen.parts.push(part);
      if (part.type === "delta") seen.deltas.push(part.text);
      await onPart?.(part);
    }
  } catch (error) {
    seen.error = error as Error;
  }
  return seen;
}

const never = new Promise<void>(() => {});

describe("createOpenAiLlm streaming", () => {
  it("yields the deltas in order, then one done with the sources and the model that answered", async () => {
    stub.respondWith({ text: "Water boils at **100 °C** at sea level.", model: "stub-model-2025" });
    const { parts, deltas, error } = await collect(llm().stream({ history: [], message: "boil?" }));
    expect(error).toBeUndefined();
    expect(deltas).toEqual(["Water ", "boils ", "at ", "**100 ", "°C** ", "at ", "sea ", "level."]);
    expect(deltas.join("")).toBe("Water boils at **100 °C** at sea level.");
    expect(parts.at(-1)).toEqual({ type: "done", sources: [], model: "stub-model-2025" });
    expect(parts.filter((p) => p.type === "done")).toHaveLength(1);
  });

  it("yields the first delta while the stub still holds back the rest", async () => {
    const events: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    stub.respondWith({
      chunks: ["one ", "two ", "three"],
      beforeChunk: async (index) => {
        if (index === 1) await held;
        events.push(`sent ${index}`);
      },
    });
    // If nothing arrives before the rest is sent, let the stream go on so the test fails instead of hanging.
    const fallback = setTimeout(() => {
      events.push("gave up waiting");
      release();
    }, 3_000);
    const { deltas, error } = await collect(llm().stream({ history: [], message: "count" }), (part) => {
      if (part.type !== "delta") return;
      events.push(`received ${part.text.trim()}`);
      if (part.text === "one ") release();
    });
    clearTimeout(fallback);
    expect(error).toBeUndefined();
    expect(deltas).toEqual(["one ", "two ", "three"]);
    expect(events.slice(0, 3)).toEqual(["sent 0", "received one", "sent 1"]);
    expect(events).not.toContain("gave up waiting");
  });

  it("normalises url_citation annotations of the streamed chunks to ranked sources", async () => {
    stub.respondWith({
      text: "See [1] and [2].",
      annotations: [
        { url: "https://a.example/first", title: "First", content: "about a" },
        { url: "https://b.example/guide/getting-started" },
        { url: "https://a.example/first", title: "First again" },
        { url: "ftp://c.example/file" },
      ],
    });
    const { parts } = await collect(llm().stream({ history: [], message: "sources?" }));
    expect(parts.at(-1)).toEqual({
      type: "done",
      model: "stub-model",
      sources: [
        { rank: 1, title: "First", url: "https://a.example/first", content: "about a" },
        {
          rank: 2,
          title: "b.example: getting started",
          url: "https://b.example/guide/getting-started",
          content: null,
        },
      ],
    });
  });

  it("takes Perplexity-style citations and search_results, sent on every chunk, once each", async () => {
    stub.respondWith({
      text: "Perplexity answer [1][2][3].",
      citations: ["https://p.example/one", "https://p.example/two"],
      searchResults: [
        { url: "https://p.example/two", title: "Two", snippet: "second snippet" },
        { url: "https://p.example/three", title: "Three", snippet: "third snippet" },
      ],
    });
    const { parts } = await collect(llm().stream({ history: [], message: "q" }));
    expect(parts.at(-1)).toMatchObject({
      type: "done",
      sources: [
        { rank: 1, title: "p.example: one", url: "https://p.example/one", content: null },
        { rank: 2, title: "Two", url: "https://p.example/two", content: "second snippet" },
        { rank: 3, title: "Three", url: "https://p.example/three", content: "third snippet" },
      ],
    });
  });

  it("finds the same sources as answer() for the same reply", async () => {
    stub.respondWith({
      text: "Mixed [1][2].",
      annotations: [{ url: "https://x.example/a", title: "A" }],
      citations: ["https://x.example/b", "https://x.example/a"],
      searchResults: [{ url: "https://x.example/a", title: "A (search)", snippet: "a snippet" }],
    });
    const answer = await llm().answer({ history: [], message: "q" });
    const { parts } = await collect(llm().stream({ history: [], message: "q" }));
    expect(answer.sources).toHaveLength(2);
    expect(parts.at(-1)).toEqual({ type: "done", sources: answer.sources, model: answer.model });
  });

  it("sends the system prompt, the history, the message, the model and the temperature, streamed", async () => {
    const { error } = await collect(
      llm({ systemPrompt: "You are a careful assistant.", model: "gpt-study-1", temperature: 0.3 }).stream({
        history: [
          { role: "user", content: "first question" },
          { role: "assistant", content: "first answer" },
        ],
        message: "second question",
      }),
    );
    expect(error).toBeUndefined();
    expect(stub.chatRequests()).toHaveLength(1);
    const request = stub.chatRequests()[0];
    expect(request?.body).toMatchObject({
      model: "gpt-study-1",
      temperature: 0.3,
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "system", content: "You are a careful assistant." },
        { role: "user", content: "first question" },
        { role: "assistant", content: "first answer" },
        { role: "user", content: "second question" },
      ],
    });
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("sends no system message and no temperature when none is configured", async () => {
    await collect(llm().stream({ history: [], message: "hello" }));
    expect(stub.chatRequests()[0]?.body?.messages).toEqual([{ role: "user", content: "hello" }]);
    expect(stub.chatRequests()[0]?.body).not.toHaveProperty("temperature");
  });

  it("reports an HTTP 500 before the stream as LlmUnavailableError naming the status", async () => {
    stub.respondWith({ status: 500 });
    const { parts, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(parts).toEqual([]);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toBe(
      "the provider answered with HTTP 500: The server had an error while processing your request.",
    );
  });

  it("retries before the stream starts, as answer() does", async () => {
    stub.respondOnce({ status: 500, retryAfterMs: 1 });
    stub.respondWith({ text: "second time lucky" });
    const { deltas, error } = await collect(llm({ maxRetries: 1 }).stream({ history: [], message: "q" }));
    expect(error).toBeUndefined();
    expect(deltas.join("")).toBe("second time lucky");
    expect(stub.chatRequests()).toHaveLength(2);
  });

  it("reports a provider slower than timeoutMs to start as not answering in time", async () => {
    stub.respondWith({ delayMs: 2_000 });
    const { parts, error } = await collect(llm({ timeoutMs: 150 }).stream({ history: [], message: "q" }));
    expect(parts).toEqual([]);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toMatch(/did not answer in time/);
  });

  it("reports an unreachable provider", async () => {
    const gone = await startOpenAiStub();
    const url = gone.url;
    await gone.close();
    const { error } = await collect(llm({ baseUrl: url }).stream({ history: [], message: "q" }));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toMatch(/could not be reached/);
  });

  it("yields the deltas that arrived, then throws, when the connection closes mid-stream", async () => {
    stub.respondWith({
      chunks: ["one ", "two ", "three ", "four"],
      breakStream: { afterChunks: 2, how: "close" },
    });
    const { parts, deltas, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(deltas).toEqual(["one ", "two "]);
    expect(parts.some((p) => p.type === "done")).toBe(false);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toBe("the provider's answer broke off: the connection closed before the end");
  });

  it("throws the provider's message when it sends an error event mid-stream", async () => {
    stub.respondWith({
      chunks: ["one ", "two ", "three"],
      breakStream: { afterChunks: 2, how: "error" },
      error: { message: "Upstream model overloaded." },
    });
    const { deltas, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(deltas).toEqual(["one ", "two "]);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toBe(
      "the provider's answer broke off: it sent an error: Upstream model overloaded.",
    );
  });

  it("throws when a chunk is not valid JSON", async () => {
    stub.respondWith({
      chunks: ["one ", "two ", "three"],
      breakStream: { afterChunks: 1, how: "malformed" },
    });
    const { deltas, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(deltas).toEqual(["one "]);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toMatch(/broke off: it sent a chunk that is not valid JSON/);
  });

  it("throws when the stream breaks off before any text", async () => {
    stub.respondWith({ breakStream: { afterChunks: 0, how: "close" } });
    const { parts, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(parts).toEqual([]);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toMatch(/broke off/);
  });

  it("ends a stream that stalls for longer than timeoutMs, and stops reading it", async () => {
    stub.respondWith({ chunks: ["one ", "two"], beforeChunk: (index) => (index === 1 ? never : undefined) });
    const { deltas, error } = await collect(llm({ timeoutMs: 300 }).stream({ history: [], message: "q" }));
    expect(deltas).toEqual(["one "]);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toBe("the provider's answer stalled: nothing arrived for 300 ms");
    expect(await stub.chatRequests()[0]?.closed).toBe("closed early");
  });

  it("does not count the time the caller takes between parts as a stall", async () => {
    stub.respondWith({ chunks: ["one ", "two", " three"] });
    const { deltas, error } = await collect(
      llm({ timeoutMs: 200 }).stream({ history: [], message: "q" }),
      // A slow reader, not a slow provider: the rest has arrived long before it asks for it.
      (part) => part.type === "delta" && part.text === "one " && new Promise((r) => setTimeout(r, 500)),
    );
    expect(error).toBeUndefined();
    expect(deltas).toEqual(["one ", "two", " three"]);
  });

  it.each([
    ["empty", ""],
    ["blank", "  \n "],
  ])("reports an %s streamed answer as LlmUnavailableError", async (_, text) => {
    stub.respondWith({ text });
    const { parts, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(parts.some((p) => p.type === "done")).toBe(false);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error?.message).toBe("the provider returned no answer text");
  });

  it("ends without done and without an error when the signal aborts after the first delta; the stub sees the connection close", async () => {
    stub.respondWith({
      chunks: ["one ", "two ", "three"],
      beforeChunk: (index) => (index === 1 ? never : undefined),
    });
    const controller = new AbortController();
    const { parts, error } = await collect(
      llm().stream({ history: [], message: "q", signal: controller.signal }),
      () => controller.abort(),
    );
    expect(error).toBeUndefined();
    expect(parts).toEqual([{ type: "delta", text: "one " }]);
    const request = stub.chatRequests()[0];
    expect(await request?.closed).toBe("closed early");
    expect(request?.chunksSent).toBe(1);
  });

  it("ends without done and without an error when the signal aborts while it waits for the next chunk", async () => {
    stub.respondWith({
      chunks: ["one ", "two ", "three"],
      beforeChunk: (index) => (index === 1 ? never : undefined),
    });
    const controller = new AbortController();
    const { parts, error } = await collect(
      llm().stream({ history: [], message: "q", signal: controller.signal }),
      () => {
        setTimeout(() => controller.abort(), 20); // by then the stream is reading again
      },
    );
    expect(error).toBeUndefined();
    expect(parts).toEqual([{ type: "delta", text: "one " }]);
    expect(await stub.chatRequests()[0]?.closed).toBe("closed early");
  });

  it("ends quietly when the signal aborts while the provider has not answered yet", async () => {
    stub.respondWith({ delayMs: 10_000 });
    const controller = new AbortController();
    const streamed = collect(llm().stream({ history: [], message: "q", signal: controller.signal }));
    while (stub.chatRequests().length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await streamed).toEqual({ parts: [], deltas: [], error: undefined });
    expect(await stub.chatRequests()[0]?.closed).toBe("closed early");
  });

  it("sends nothing when the signal is already aborted", async () => {
    const { parts, error } = await collect(
      llm().stream({ history: [], message: "q", signal: AbortSignal.abort() }),
    );
    expect(parts).toEqual([]);
    expect(error).toBeUndefined();
    expect(stub.requests).toHaveLength(0);
  });

  it("closes the connection when the caller stops iterating", async () => {
    stub.respondWith({
      chunks: ["one ", "two ", "three"],
      beforeChunk: (index) => (index === 1 ? never : undefined),
    });
    for await (const part of llm().stream({ history: [], message: "q" })) {
      expect(part).toEqual({ type: "delta", text: "one " });
      break;
    }
    expect(await stub.chatRequests()[0]?.closed).toBe("closed early");
  });

  it("never puts the API key in a stream's error message", async () => {
    stub.respondOnce(
      { status: 401, error: { message: `Incorrect API key provided: ${API_KEY}.` } },
      { breakStream: { afterChunks: 1, how: "error" }, error: { message: `bad key ${API_KEY}` } },
    );
    for (const expected of [/HTTP 401/, /it sent an error: bad key \[redacted\]/]) {
      const { error } = await collect(llm().stream({ history: [], message: "q" }));
      expect(error).toBeInstanceOf(LlmUnavailableError);
      expect(error?.message).toMatch(expected);
      expect(error?.message).not.toContain(API_KEY);
    }
  });
});

describe("createOpenAiLlm token usage", () => {
  const usage = { prompt_tokens: 1523, completion_tokens: 211, total_tokens: 1734 };
  const reported = { promptTokens: 1523, completionTokens: 211, totalTokens: 1734 };

  it("asks for usage on a stream and yields the last chunk's usage once, before done", async () => {
    stub.respondWith({ text: "one two three", usage });
    const { parts, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(error).toBeUndefined();
    expect(stub.chatRequests()[0]?.body?.stream_options).toEqual({ include_usage: true });
    expect(parts.filter((p) => p.type === "usage")).toEqual([{ type: "usage", usage: reported }]);
    expect(parts.slice(-2).map((p) => p.type)).toEqual(["usage", "done"]);
  });

  it("yields no usage when the server sends none (it ignores stream_options), and answer() reports null", async () => {
    stub.respondWith({ text: "one two three", usage: null });
    const { parts, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(error).toBeUndefined();
    expect(parts.some((p) => p.type === "usage")).toBe(false);
    expect(parts.at(-1)?.type).toBe("done");
    expect((await llm().answer({ history: [], message: "q" })).usage).toBeNull();
  });

  it("keeps the counts as reported: a missing one is null, never added up, and a usage of no numbers is none", async () => {
    stub.respondWith({ text: "one two", usage: { total_tokens: 40 } });
    const { parts } = await collect(llm().stream({ history: [], message: "q" }));
    expect(parts.find((p) => p.type === "usage")).toEqual({
      type: "usage",
      usage: { promptTokens: null, completionTokens: null, totalTokens: 40 },
    });
    expect((await llm().answer({ history: [], message: "q" })).usage).toEqual({
      promptTokens: null,
      completionTokens: null,
      totalTokens: 40,
    });
    stub.respondWith({ text: "one two", usage: {} });
    expect(
      (await collect(llm().stream({ history: [], message: "q" }))).parts.some((p) => p.type === "usage"),
    ).toBe(false);
  });

  it("reports the usage of an answer without text: yielded before the stream throws, and on answer()'s error", async () => {
    stub.respondWith({ text: "", usage });
    const { parts, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(parts).toEqual([{ type: "usage", usage: reported }]);
    expect(error?.message).toBe("the provider returned no answer text");
    const failed = await failure(llm().answer({ history: [], message: "q" }));
    expect(failed).toBeInstanceOf(LlmUnavailableError);
    expect((failed as LlmUnavailableError).usage).toEqual(reported);
  });

  it("yields no usage for a stream that breaks off before its end", async () => {
    stub.respondWith({ chunks: ["one ", "two"], usage, breakStream: { afterChunks: 2, how: "close" } });
    const { parts, error } = await collect(llm().stream({ history: [], message: "q" }));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(parts.map((p) => p.type)).toEqual(["delta", "delta"]);
  });
});

describe("the stub speaks the wire format the openai SDK expects", () => {
  const client = () => new OpenAI({ apiKey: API_KEY, baseURL: stub.url, maxRetries: 0, timeout: 5_000 });

  it("streams SSE chunks that the SDK reassembles, ending with [DONE]", async () => {
    stub.respondWith({ text: "one two three", citations: ["https://s.example/"] });
    const stream = await client().chat.completions.create({
      model: "stub-model",
      messages: [{ role: "user", content: "count" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let citations: unknown;
    let usage: unknown;
    for await (const chunk of stream) {
      pieces.push(chunk.choices[0]?.delta?.content ?? "");
      citations ??= (chunk as unknown as { citations?: unknown }).citations;
      usage ??= chunk.usage;
    }
    expect(pieces.join("")).toBe("one two three");
    expect(pieces.filter(Boolean).length).toBe(3);
    expect(citations).toEqual(["https://s.example/"]);
    expect(usage).toMatchObject({ completion_tokens: 3 });
    expect(stub.chatRequests()[0]?.body?.stream).toBe(true);
  });

  it("streams an error status as an APIError", async () => {
    stub.respondWith({ status: 429 });
    await expect(
      client().chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "x" }],
        stream: true,
      }),
    ).rejects.toMatchObject({ status: 429, code: "rate_limit_exceeded" });
  });

  it("answers bad JSON and unknown paths with OpenAI-style errors, and records them", async () => {
    const bad = await fetch(`${stub.url}/chat/completions`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    const unknown = await fetch(`${stub.url}/embeddings`, { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { message: expect.stringContaining("/v1/embeddings") },
    });
    expect(stub.requests.map((r) => [r.number, r.path])).toEqual([
      [expect.any(Number), "/v1/chat/completions"],
      [expect.any(Number), "/v1/embeddings"],
    ]);
  });

  it("lists models", async () => {
    const page = await client().models.list();
    expect(page.data.map((m) => m.id)).toEqual(["stub-model"]);
    expect(stub.requests[0]).toMatchObject({ method: "GET", path: "/v1/models", body: null });
  });

  it("answers with a function of the request, and checks the key when told to", async () => {
    const guarded = await startOpenAiStub({
      apiKey: API_KEY,
      reply: (request) => ({ text: `echo: ${String(request.body?.messages?.at(-1)?.content)}` }),
    });
    try {
      const ok = await new OpenAI({
        apiKey: API_KEY,
        baseURL: guarded.url,
        maxRetries: 0,
      }).chat.completions.create({ model: "m", messages: [{ role: "user", content: "ping" }] });
      expect(ok.choices[0]?.message.content).toBe("echo: ping");
      await expect(
        new OpenAI({ apiKey: "sk-wrong", baseURL: guarded.url, maxRetries: 0 }).chat.completions.create({
          model: "m",
          messages: [{ role: "user", content: "ping" }],
        }),
      ).rejects.toMatchObject({ status: 401 });
    } finally {
      await guarded.close();
    }
  });

  it("ends a pending delayed response when it closes", async () => {
    const slow = await startOpenAiStub({ reply: { delayMs: 60_000 } });
    const pending = new OpenAI({ apiKey: API_KEY, baseURL: slow.url, maxRetries: 0 }).chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .then(
        () => "answered",
        () => "failed",
      );
    while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await slow.close();
    expect(await pending).toBe("failed");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
