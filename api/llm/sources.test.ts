import { describe, expect, it } from "vitest";
import { rankSources, sourcesFromCompletion, streamedSources } from "./sources";

describe("rankSources", () => {
  it("ranks sources 1..n in order of first appearance", () => {
    const sources = rankSources([
      { url: "https://a.example/", title: "A" },
      { url: "https://b.example/", title: "B" },
      { url: "http://c.example/", title: "C" },
    ]);
    expect(sources.map((s) => [s.rank, s.title])).toEqual([
      [1, "A"],
      [2, "B"],
      [3, "C"],
    ]);
  });

  it("drops URLs that are not http(s), without leaving gaps in the ranks", () => {
    const sources = rankSources([
      { url: "javascript:alert(1)", title: "js" },
      { url: "https://a.example/", title: "A" },
      { url: "data:text/html,<b>x</b>", title: "data" },
      { url: "ftp://files.example/x", title: "ftp" },
      { url: "/relative/path", title: "relative" },
      { url: "not a url", title: "garbage" },
      { url: "mailto:someone@example.com", title: "mail" },
      { url: "HTTPS://B.example/upper", title: "B" },
    ]);
    expect(sources).toEqual([
      { rank: 1, title: "A", url: "https://a.example/", content: null },
      { rank: 2, title: "B", url: "HTTPS://B.example/upper", content: null },
    ]);
  });

  it("keeps one entry per URL, filling in content from a later duplicate", () => {
    const sources = rankSources([
      { url: "https://a.example/", title: "A" },
      { url: "https://b.example/", title: "B", content: "b" },
      { url: "https://a.example/", title: "A later", content: "a content" },
      { url: "https://b.example/", title: "B later", content: "b later" },
    ]);
    expect(sources).toEqual([
      { rank: 1, title: "A", url: "https://a.example/", content: "a content" },
      { rank: 2, title: "B", url: "https://b.example/", content: "b" },
    ]);
  });

  it("makes a title from the URL when there is none", () => {
    const sources = rankSources([
      { url: "https://www.example.org/articles/how_to-sleep%20well/" },
      { url: "https://host.example" },
      { url: "https://blank.example/page", title: "   " },
      { url: "https://null.example/x", title: null },
      { url: "https://broken.example/a%E0%A4%A" },
    ]);
    expect(sources.map((s) => s.title)).toEqual([
      "www.example.org: how to sleep well",
      "host.example",
      "blank.example: page",
      "null.example: x",
      "broken.example: a%E0%A4%A",
    ]);
  });

  it("trims titles and content, and stores blank content as null", () => {
    const [source] = rankSources([{ url: "https://a.example/", title: "  A  ", content: "  \n " }]);
    expect(source).toEqual({ rank: 1, title: "A", url: "https://a.example/", content: null });
  });

  it("returns nothing for nothing", () => {
    expect(rankSources([])).toEqual([]);
  });
});

describe("sourcesFromCompletion", () => {
  it("reads url_citation annotations and ignores other annotation types", () => {
    const message = {
      annotations: [
        { type: "file_citation", file_citation: { file_id: "f" } },
        { type: "url_citation", url_citation: { url: "https://a.example/", title: "A", content: "a" } },
        { type: "url_citation", url_citation: { title: "no url" } },
        "junk",
      ],
    };
    expect(sourcesFromCompletion({}, message)).toEqual([
      { rank: 1, title: "A", url: "https://a.example/", content: "a" },
    ]);
  });

  it("reads Perplexity citations in order, titled from search_results, then the other search results", () => {
    const completion = {
      citations: ["https://p.example/b", "https://p.example/a"],
      search_results: [
        { url: "https://p.example/a", title: "A", snippet: "sa" },
        { url: "https://p.example/c", title: "C", snippet: null },
      ],
    };
    expect(sourcesFromCompletion(completion, { annotations: null })).toEqual([
      { rank: 1, title: "p.example: b", url: "https://p.example/b", content: null },
      { rank: 2, title: "A", url: "https://p.example/a", content: "sa" },
      { rank: 3, title: "C", url: "https://p.example/c", content: null },
    ]);
  });

  it("tolerates missing, null and malformed fields", () => {
    expect(sourcesFromCompletion(null, null)).toEqual([]);
    expect(sourcesFromCompletion({ citations: "https://x.example/" }, undefined)).toEqual([]);
    expect(sourcesFromCompletion({ citations: null, search_results: null }, { annotations: "x" })).toEqual(
      [],
    );
  });
});

describe("streamedSources", () => {
  const chunk = (delta: unknown, extra: Record<string, unknown> = {}) => ({
    choices: [{ index: 0, delta }],
    ...extra,
  });

  it("gathers url_citation annotations from the deltas of every chunk, in order", () => {
    const sources = streamedSources();
    sources.add(chunk({ content: "a" }));
    sources.add(
      chunk({
        annotations: [{ type: "url_citation", url_citation: { url: "https://b.example/", title: "B" } }],
      }),
    );
    sources.add(chunk({ annotations: [{ type: "file_citation", file_citation: { file_id: "f" } }] }));
    sources.add(
      chunk({
        annotations: [{ type: "url_citation", url_citation: { url: "https://a.example/", content: "a" } }],
      }),
    );
    sources.add({ choices: [], usage: { total_tokens: 3 } });
    expect(sources.sources()).toEqual([
      { rank: 1, title: "B", url: "https://b.example/", content: null },
      { rank: 2, title: "a.example", url: "https://a.example/", content: "a" },
    ]);
  });

  it("finds what sourcesFromCompletion finds in the whole completion, however the chunks repeat the fields", () => {
    const perplexity = {
      citations: ["https://p.example/b", "https://p.example/a"],
      search_results: [
        { url: "https://p.example/a", title: "A", snippet: "sa" },
        { url: "https://p.example/c", title: "C", snippet: null },
      ],
    };
    const annotation = {
      type: "url_citation",
      url_citation: { url: "https://p.example/c", title: "C first" },
    };
    const whole = sourcesFromCompletion(perplexity, { annotations: [annotation] });
    const sources = streamedSources();
    sources.add(chunk({ content: "x" }, { citations: perplexity.citations.slice(0, 1) }));
    sources.add(chunk({ content: "y" }, perplexity));
    sources.add(chunk({ annotations: [annotation] }, perplexity));
    sources.add(chunk({}, perplexity));
    expect(whole.map((s) => s.url)).toEqual([
      "https://p.example/c",
      "https://p.example/b",
      "https://p.example/a",
    ]);
    expect(sources.sources()).toEqual(whole);
  });

  it("tolerates chunks without choices, deltas or valid fields", () => {
    const sources = streamedSources();
    for (const junk of [
      null,
      undefined,
      "x",
      {},
      { choices: null },
      { choices: [null] },
      chunk(null),
      chunk({ annotations: "x" }, { citations: "https://x.example/" }),
    ])
      sources.add(junk);
    expect(sources.sources()).toEqual([]);
  });
});
