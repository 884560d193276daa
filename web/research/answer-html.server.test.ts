import { describe, expect, it } from "vitest";
import { timelineAnswerHtml } from "./answer-html.server";
import type { AnswerRecord } from "./timeline";

const answer = (displayedResponse: string | null): AnswerRecord => ({
  kind: "answer",
  inputSignals: null,
  id: "q1",
  clientTime: null,
  receivedAt: "2026-12-01T10:00:00.000Z",
  query: "Is coffee bad?",
  displayedResponse,
  latencyMs: 900,
  stopped: false,
  error: null,
  model: "scripted",
  sources: [{ rank: 1, originalRank: 2, injected: false, title: "Coffee", url: "https://a.example/coffee" }],
  provenance: null,
});

describe("an answer in the researcher's timeline", () => {
  it("is rendered from its Markdown, as the participant saw it", () => {
    const html = timelineAnswerHtml(answer("## Summary\n\n**Mostly not** [1].\n\n- one\n- two"));
    expect(html).toContain("<strong>Mostly not</strong>");
    expect(html).toMatch(/<h3[^>]*>Summary<\/h3>/);
    expect(html).toMatch(/<li>(<p>)?one/);
    expect(html).toContain("[1]");
  });

  it("has no links, so reading it never records a click", () => {
    const html = timelineAnswerHtml(answer("See [1] and [the study](https://b.example/study)."));
    expect(html).not.toContain("<a ");
    expect(html).not.toContain("/out");
    expect(html).toContain("the study");
  });

  it("escapes raw HTML in the answer", () => {
    const html = timelineAnswerHtml(answer('<script>alert("x")</script> <img src=x onerror=alert(1)>'));
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it("is null without a displayed answer", () => {
    expect(timelineAnswerHtml(answer(null))).toBeNull();
  });
});
