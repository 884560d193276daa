import { readFileSync } from "node:fs";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString as plainText } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { markdownLinks } from "../answers/links";
import { createScriptedLlm, parseScript } from "./scripted";

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

describe("parseScript", () => {
  it("fills in defaults: model scripted, no rules, no sources", () => {
    expect(parseScript({ fallback: { answer: "hi" } })).toEqual({
      model: "scripted",
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
