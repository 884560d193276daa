import { readFileSync } from "node:fs";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString as plainText } from "mdast-util-to-string";
import { afterEach, describe, expect, it, vi } from "vitest";
import { markdownLinks } from "../answers/links";
import type { LlmStreamPart } from "./llm";
import { createScriptedLlm, parseScript, wordPieces } from "./scripted";

const script = parseScript({
  model: "scripted-test",
  rules: [
    {
      pattern: "coffee|espresso",
      answer: "About coffee [1].",
      sources: [{ title: "Coffee", url: "https://coffee.example/", content: "beans" }],
    },
    { pattern: "^sleep\\b", answer: "About sleep." },
    { pattern: "coffee", answer: "never chosen: an earlier rule matches first" },
  ],
  fallback: { answer: "You asked: {{query}} ({{query}})" },
});

function errorOf(input: unknown): string {
  try {
    parseScript(input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the script to be rejected");
}

describe("the scripted LLM", () => {
  const llm = createScriptedLlm(script);

  it("answers with the first rule whose pattern matches, with its sources ranked", async () => {
    expect(await llm.answer({ history: [], message: "Is coffee good for me?" })).toEqual({
      text: "About coffee [1].",
      sources: [{ rank: 1, title: "Coffee", url: "https://coffee.example/", content: "beans" }],
      model: "scripted-test",
      // Its words are not a model's tokens: no usage.
      usage: null,
    });
  });

  it("matches case-insensitively", async () => {
    expect((await llm.answer({ history: [], message: "ESPRESSO please" })).text).toBe("About coffee [1].");
    expect((await llm.answer({ history: [], message: "Sleep tips?" })).text).toBe("About sleep.");
  });

  it("respects anchors in patterns", async () => {
    expect((await llm.answer({ history: [], message: "no sleep" })).text).toBe(
      "You asked: no sleep (no sleep)",
    );
  });

  it("falls back when no rule matches, replacing every {{query}}", async () => {
    const answer = await llm.answer({
      history: [{ role: "user", content: "coffee" }],
      message: "tell me $& $1",
    });
    expect(answer.sources).toEqual([]);
    expect(answer.model).toBe("scripted-test");
    // What the participant reads is their message, literally, twice.
    expect(plainText(fromMarkdown(answer.text))).toBe("You asked: tell me $& $1 (tell me $& $1)");
  });

  it("inserts the message as text: a link or HTML in it does not become part of the answer", async () => {
    const message = "see [here](https://evil.example/x) <https://evil.example/y> <b>bold</b> *and* `code`";
    const answer = await llm.answer({ history: [], message });
    expect(markdownLinks(answer.text).size).toBe(0);
    expect(plainText(fromMarkdown(answer.text))).toBe(`You asked: ${message} (${message})`);
  });

  it("is named scripted and healthy, saying no LLM is called", async () => {
    expect(llm.name).toBe("scripted");
    expect(llm.model).toBe("scripted-test");
    const health = await llm.health();
    expect(health.ok).toBe(true);
    expect(health.detail).toMatch(/3 rules/);
    expect(health.detail).toMatch(/no LLM is called/);
  });
});

async function collect(parts: AsyncIterable<LlmStreamPart>): Promise<LlmStreamPart[]> {
  const seen: LlmStreamPart[] = [];
  for await (const part of parts) seen.push(part);
  return seen;
}

const deltas = (parts: LlmStreamPart[]) => parts.flatMap((p) => (p.type === "delta" ? [p.text] : []));

describe("wordPieces", () => {
  it.each(["About coffee [1].", "  leading and trailing  ", "one\n\n- two\n- three\t four", "single", "   "])(
    "splits %j into pieces that join to exactly the text",
    (text) => {
      const pieces = wordPieces(text);
      expect(pieces.join("")).toBe(text);
      expect(pieces.length).toBe(Math.max(1, text.split(/\s+/).filter(Boolean).length));
    },
  );

  it("keeps the whitespace after each word with it", () => {
    expect(wordPieces(" a  b\nc")).toEqual([" a  ", "b\n", "c"]);
  });
});

describe("the scripted LLM, streamed", () => {
  const fast = createScriptedLlm({ ...script, tokenDelayMs: 0 });

  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    "Is coffee good for me?",
    "Sleep tips?",
    "see [here](https://evil.example/x) <b>bold</b> $& `code`",
  ])("streams word by word exactly what answer() says to %j, then done", async (message) => {
    const answer = await fast.answer({ history: [], message });
    const parts = await collect(fast.stream({ history: [], message }));
    expect(deltas(parts).join("")).toBe(answer.text);
    expect(deltas(parts)).toEqual(wordPieces(answer.text));
    expect(parts.at(-1)).toEqual({ type: "done", sources: answer.sources, model: "scripted-test" });
    expect(parts.filter((p) => p.type === "done")).toHaveLength(1);
    expect(parts.some((p) => p.type === "usage")).toBe(false);
  });

  it("escapes {{query}} in the stream as answer() does: the message's link is no link", async () => {
    const message = "see [here](https://evil.example/x) <https://evil.example/y>";
    const text = deltas(await collect(fast.stream({ history: [], message }))).join("");
    expect(markdownLinks(text).size).toBe(0);
    expect(plainText(fromMarkdown(text))).toBe(`You asked: ${message} (${message})`);
  });

  it("pauses tokenDelayMs before each word", async () => {
    const paced = createScriptedLlm(
      parseScript({ tokenDelayMs: 50, fallback: { answer: "one two three four five" } }),
    );
    const started = performance.now();
    const parts = await collect(paced.stream({ history: [], message: "q" }));
    expect(deltas(parts)).toHaveLength(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200); // 5 × 50 ms, less a generous margin
  });

  it("waits before each word by the clock, not before done", async () => {
    vi.useFakeTimers();
    const paced = createScriptedLlm(parseScript({ tokenDelayMs: 100, fallback: { answer: "one two" } }));
    const parts = paced.stream({ history: [], message: "q" })[Symbol.asyncIterator]();
    const first = parts.next();
    await vi.advanceTimersByTimeAsync(99);
    let settled = false;
    void first.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await first).toEqual({ done: false, value: { type: "delta", text: "one " } });
    const second = parts.next();
    await vi.advanceTimersByTimeAsync(100);
    expect(await second).toEqual({ done: false, value: { type: "delta", text: "two" } });
    expect((await parts.next()).value).toMatchObject({ type: "done" });
  });

  it("does not wait at all with tokenDelayMs 0 (no timer is set)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // Fake timers never fire unless advanced: a stream that set one would not finish before setImmediate.
    const outcome = await Promise.race([
      collect(fast.stream({ history: [], message: "Is coffee good for me?" })),
      new Promise((resolve) => setImmediate(() => resolve("still waiting"))),
    ]);
    expect(outcome).not.toBe("still waiting");
    expect(deltas(outcome as LlmStreamPart[]).join("")).toBe("About coffee [1].");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ends at once, without done and without waiting out the pause, when the signal aborts", async () => {
    vi.useFakeTimers();
    const slow = createScriptedLlm(
      parseScript({ tokenDelayMs: 1_000, fallback: { answer: "one two three" } }),
    );
    const controller = new AbortController();
    const parts = slow
      .stream({ history: [], message: "q", signal: controller.signal })
      [Symbol.asyncIterator]();
    const first = parts.next();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await first).toEqual({ done: false, value: { type: "delta", text: "one " } });
    const second = parts.next();
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await second).toEqual({ done: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("sends no done when the signal aborts after the last word", async () => {
    const controller = new AbortController();
    const seen: LlmStreamPart[] = [];
    for await (const part of fast.stream({
      history: [],
      message: "Sleep tips?",
      signal: controller.signal,
    })) {
      seen.push(part);
      if (part.type === "delta" && part.text === "sleep.") controller.abort();
    }
    expect(seen).toEqual([
      { type: "delta", text: "About " },
      { type: "delta", text: "sleep." },
    ]);
  });

  it("yields nothing when the signal is already aborted", async () => {
    expect(await collect(fast.stream({ history: [], message: "q", signal: AbortSignal.abort() }))).toEqual(
      [],
    );
  });
});

describe("parseScript", () => {
  it("fills in defaults: model scripted, 30 ms per word, no rules, no sources", () => {
    expect(parseScript({ fallback: { answer: "hi" } })).toEqual({
      model: "scripted",
      tokenDelayMs: 30,
      rules: [],
      fallback: { answer: "hi", sources: [] },
    });
  });

  it("rejects an invalid regular expression, naming the rule's field", () => {
    const message = errorOf({ rules: [{ pattern: "(unclosed", answer: "x" }], fallback: { answer: "y" } });
    expect(message).toMatch(/^Invalid scripted LLM script/);
    expect(message).toContain("rules.0.pattern: pattern must be a valid regular expression");
  });

  it("rejects a missing fallback", () => {
    expect(errorOf({ rules: [] })).toMatch(/fallback/);
  });

  it("rejects an empty answer, naming where it is", () => {
    expect(errorOf({ fallback: { answer: "" } })).toContain("fallback.answer: an answer must not be empty");
  });

  it("rejects a source that is not an http(s) URL or has no title", () => {
    const message = errorOf({
      fallback: {
        answer: "x",
        sources: [
          { title: "js", url: "javascript:alert(1)" },
          { title: "", url: "https://ok.example/" },
        ],
      },
    });
    expect(message).toContain("fallback.sources.0.url: a source url must be an http(s) URL");
    expect(message).toContain("fallback.sources.1.title: a source needs a title");
  });

  it("rejects something that is not a script at all", () => {
    expect(errorOf("just a string")).toMatch(/^Invalid scripted LLM script:\n {2}- script: /);
  });

  it("accepts the shipped config/scripted-llm.json, whose rules all answer", async () => {
    const shipped = parseScript(
      JSON.parse(readFileSync(new URL("../../config/scripted-llm.json", import.meta.url), "utf8")),
    );
    expect(shipped.rules.length).toBeGreaterThan(0);
    const llm = createScriptedLlm(shipped);
    const coffee = await llm.answer({ history: [], message: "How much coffee is too much?" });
    expect(coffee.sources.length).toBeGreaterThan(0);
    const other = await llm.answer({ history: [], message: "zzz-unmatched-question" });
    expect(other.text).toContain("zzz-unmatched-question");
    expect(other.text).not.toContain("{{query}}");
  });
});
