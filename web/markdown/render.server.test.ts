import { describe, expect, it } from "vitest";
import { type AnswerRenderOptions, escapeHtml, renderAnswer, renderStudyText } from "./render.server";

const SOURCES = ["https://one.example/", "https://two.example/page?a=1&b=2"];
/** Every URL signed (as the API signs an answer's links), with a signature naming it. */
class SignedByUrl extends Map<string, string> {
  override get(url: string) {
    return `sig-${url.length}`;
  }
}
const SIGNED = new SignedByUrl();
/** Sources shown in the model's order, markers linked, text links kept: the open chat's way. */
const shown = (urls: string[]) => urls.map((url, i) => ({ url, rank: i + 1, originalRank: i + 1 }));
const options = (urls: string[], more: Partial<AnswerRenderOptions> = {}): AnswerRenderOptions => ({
  sources: shown(urls),
  markers: "linked",
  answerLinks: "links",
  signatures: SIGNED,
  ...more,
});
const render = (markdown: string, sources: string[] = SOURCES) =>
  renderAnswer(markdown, "query-1", options(sources));
const out = (url: string, element = "answer-link") =>
  `/out?q=query-1&amp;u=${encodeURIComponent(url).replaceAll("&", "&amp;")}&amp;s=sig-${url.length}&amp;el=${element}`;

describe("renderAnswer", () => {
  it("escapes raw HTML instead of rendering it", () => {
    const html = render(
      '<script>alert("x")</script>\n\nText <img src=x onerror="alert(1)"> and <b>bold</b>.',
    );
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("escapes special characters in plain text", () => {
    expect(render("a < b & c > 'd' \"e\"")).toBe("<p>a &lt; b &amp; c &gt; &#39;d&#39; &quot;e&quot;</p>");
  });

  it("does not render javascript:, data: or relative links as links", () => {
    const html = render(
      "[click](javascript:alert(1)) [data](data:text/html,<b>x</b>) [rel](/admin) <javascript:alert(2)>",
    );
    expect(html).not.toContain("<a");
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).toContain("click");
    expect(html).toContain("rel");
  });

  it("sends http(s) links through the click route with data-out", () => {
    const html = render("See [the guide](https://guide.example/a?x=1&y=2).");
    expect(html).toBe(
      `<p>See <a href="${out("https://guide.example/a?x=1&y=2")}" data-out="https://guide.example/a?x=1&amp;y=2" data-element="answer-link" target="_blank" rel="noopener" referrerpolicy="same-origin">the guide</a>.</p>`,
    );
  });

  it("renders reference links through the click route, only for http(s) definitions", () => {
    const html = render("[good][g] and [bad][b]\n\n[g]: https://good.example/\n[b]: javascript:alert(1)");
    expect(html).toContain(`href="${out("https://good.example/")}"`);
    expect(html).toContain(">good</a>");
    expect(html).not.toContain("javascript");
    expect(html).toContain(" and bad");
  });

  it("links [n] to the n-th source, and leaves [n] without a source as text", () => {
    const html = render("Fact [2], other fact [1], unknown [3], not a cite [x].");
    expect(html).toContain(
      `<a class="cite" href="${out(SOURCES[1] ?? "", "marker")}" data-out="https://two.example/page?a=1&amp;b=2" data-element="marker" data-rank="2" data-original-rank="2" target="_blank" rel="noopener" referrerpolicy="same-origin">[2]</a>`,
    );
    expect(html).toContain(`<a class="cite" href="${out(SOURCES[0] ?? "", "marker")}"`);
    expect(html).toContain("unknown [3]");
    expect(html).toContain("[x]");
    expect(render("Fact [1].", [])).toBe("<p>Fact [1].</p>");
  });

  it("renders headings below the page's own, lists, emphasis and code", () => {
    expect(render("# Title")).toBe("<h3>Title</h3>");
    expect(render("#### Deep")).toBe("<h3>Deep</h3>");
    expect(render("- a\n- *b*")).toBe("<ul><li><p>a</p></li><li><p><em>b</em></p></li></ul>");
    expect(render("3. c\n4. **d**")).toBe(
      '<ol start="3"><li><p>c</p></li><li><p><strong>d</strong></p></li></ol>',
    );
    expect(render("1. one")).toBe("<ol><li><p>one</p></li></ol>");
    expect(render("Use `<b>` here")).toBe("<p>Use <code>&lt;b&gt;</code> here</p>");
    expect(render("```html\n<script>x</script>\n```")).toBe(
      "<pre><code>&lt;script&gt;x&lt;/script&gt;</code></pre>",
    );
    expect(render("> quoted\n\n---")).toBe("<blockquote><p>quoted</p></blockquote><hr>");
  });

  it("shows images as their alt text", () => {
    const html = render(
      '![a "cat" <photo>](https://img.example/cat.png) and ![ref][i]\n\n[i]: https://img.example/i.png',
    );
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain("img.example");
    expect(html).toBe("<p>a &quot;cat&quot; &lt;photo&gt; and ref</p>");
  });

  it("escapes the query id in the click route", () => {
    const html = renderAnswer("[x](https://a.example/)", 'q"><script>', options([]));
    expect(html).toContain(
      'href="/out?q=q%22%3E%3Cscript%3E&amp;u=https%3A%2F%2Fa.example%2F&amp;s=sig-18&amp;el=answer-link"',
    );
  });

  it("shows a link the API did not sign (one the participant typed) as its text, not a link", () => {
    const signed = new Map([["https://docs.example/", "abc"]]);
    const html = renderAnswer(
      "[log in](https://evil.example/login) or [docs](https://docs.example/) [1]",
      "q1",
      options(["https://evil.example/src"], { signatures: signed }),
    );
    expect(html).toBe(
      '<p>log in or <a href="/out?q=q1&amp;u=https%3A%2F%2Fdocs.example%2F&amp;s=abc&amp;el=answer-link" data-out="https://docs.example/" data-element="answer-link" target="_blank" rel="noopener" referrerpolicy="same-origin">docs</a> [1]</p>',
    );
  });

  it("marks a marker with the rank shown and the model's rank, and an injected source with no model rank", () => {
    const sources = [
      { url: "https://injected.example/", rank: 1, originalRank: null },
      { url: SOURCES[1] ?? "", rank: 2, originalRank: 1 },
    ];
    const html = renderAnswer("Injected [1], the model's first [2].", "query-1", { ...options([]), sources });
    expect(html).toContain('data-element="marker" data-rank="1" target=');
    expect(html).toContain('data-element="marker" data-rank="2" data-original-rank="1" target=');
  });

  it("keeps markers as plain text when the condition says so (sources hidden, hiddenMarkers text)", () => {
    const html = renderAnswer("Fact [1].", "query-1", options([], { markers: "text" }));
    expect(html).toBe("<p>Fact [1].</p>");
    // Even with sources to cite, text markers are never links.
    expect(renderAnswer("Fact [1].", "query-1", options(SOURCES, { markers: "text" }))).toBe(
      "<p>Fact [1].</p>",
    );
  });

  it("shows the links of the text as their text only with answerLinks text", () => {
    const html = renderAnswer(
      "See [the guide](https://guide.example/) and <https://auto.example/>, cited [1].",
      "query-1",
      options(SOURCES, { answerLinks: "text" }),
    );
    expect(html).not.toContain('data-element="answer-link"');
    expect(html).toContain("See the guide and https://auto.example/, cited <a");
    expect(html).toContain('data-element="marker"');
  });
});

describe("heading levels", () => {
  const levels = (html: string) => [...html.matchAll(/<h(\d)>/g)].map(([, level]) => Number(level));

  it("a study text's shallowest heading is an h2, under the page's h1, and the rest keep their distance", () => {
    expect(renderStudyText("## Consent to take part\n\nText.")).toBe(
      "<h2>Consent to take part</h2><p>Text.</p>",
    );
    expect(levels(renderStudyText("# Title\n\n## Part\n\n### Detail\n\n## Part"))).toEqual([2, 3, 4, 3]);
    expect(levels(renderStudyText("## A\n\n### B\n\n## C"))).toEqual([2, 3, 2]);
  });

  it("an answer's headings start at h3, under the chat's h1 and its sections' h2", () => {
    expect(levels(render("## Summary\n\n### Details\n\n## More"))).toEqual([3, 4, 3]);
  });

  it("never skips a level, however the Markdown jumps", () => {
    expect(levels(renderStudyText("## Intro\n\n#### Deep\n\n###### Deeper\n\n### Back"))).toEqual([
      2, 3, 4, 3,
    ]);
    expect(levels(render("### Late start\n\n# Top\n\n### Under"))).toEqual([3, 3, 4]);
  });

  it("stops at h6", () => {
    expect(levels(renderStudyText("# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6"))).toEqual([
      2, 3, 4, 5, 6, 6,
    ]);
  });
});

describe("escapeHtml", () => {
  it("escapes the five HTML specials", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});
