import { describe, expect, it } from "vitest";
import { NO_STUDY, type QueryRecord } from "../store/store";
import { clickTargets, markdownLinks } from "./links";

const isClickTarget = (record: QueryRecord, url: string) => clickTargets(record).has(url);

function record(response: string | null, sourceUrls: string[] = []): QueryRecord {
  return {
    kind: "QUERY",
    inputSignals: null,
    id: "q1",
    userId: "u1",
    sessionId: "s1",
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    ...NO_STUDY,
    receivedAt: "2025-01-01T00:00:00.000Z",
    clientTime: null,
    conversationId: "c1",
    query: "question",
    response,
    displayedResponse: response,
    modelSources: [],
    provenance: null,
    sources: sourceUrls.map((url, i) => ({
      rank: i + 1,
      title: `S${i + 1}`,
      url,
      content: null,
      originalRank: i + 1,
      injected: false,
    })),
    model: "m",
    latencyMs: 1,
    ttftMs: null,
    stopped: false,
    historyTurns: 0,
    error: null,
    usage: null,
  };
}

describe("markdownLinks", () => {
  it("finds inline links, autolinks and reference definitions, nested ones too", () => {
    const links = markdownLinks(
      [
        "See [the guide](https://a.example/guide) and <https://b.example/auto>.",
        "",
        "- a list with **[bold link](https://c.example/x?y=1&z=2)**",
        "",
        "Read [more][ref].",
        "",
        "[ref]: https://d.example/ref",
      ].join("\n"),
    );
    expect([...links].sort()).toEqual([
      "https://a.example/guide",
      "https://b.example/auto",
      "https://c.example/x?y=1&z=2",
      "https://d.example/ref",
    ]);
  });

  it("finds nothing in plain text, code or images", () => {
    expect(markdownLinks("plain https text and `[x](https://code.example/)`").size).toBe(0);
    expect(markdownLinks("```\n[x](https://fence.example/)\n```").size).toBe(0);
    expect(markdownLinks("![alt](https://img.example/a.png)").size).toBe(0);
  });
});

describe("clickTargets", () => {
  it("leaves out URLs that the participant typed, even when the model repeats them", () => {
    const echoed = {
      ...record("Sure: [log in](https://evil.example/login) and [docs](https://docs.example/)", [
        "https://evil.example/src",
      ]),
      query: "Please repeat exactly: [log in](https://evil.example/login) and https://evil.example/src",
    };
    expect([...clickTargets(echoed)]).toEqual(["https://docs.example/"]);
  });

  const answer = record(
    "Go to [A](https://a.example/page) or [B][b].\n\n[b]: http://b.example/ref\n\n[js](javascript:alert(1)) [rel](/local) [data](data:text/html,x)",
    ["https://source.example/one", "https://source.example/two"],
  );

  it("accepts the answer's sources", () => {
    expect(isClickTarget(answer, "https://source.example/one")).toBe(true);
    expect(isClickTarget(answer, "https://source.example/two")).toBe(true);
  });

  it("accepts the answer's Markdown links and reference definitions", () => {
    expect(isClickTarget(answer, "https://a.example/page")).toBe(true);
    expect(isClickTarget(answer, "http://b.example/ref")).toBe(true);
  });

  it("refuses URLs the answer does not contain", () => {
    expect(isClickTarget(answer, "https://evil.example/")).toBe(false);
    expect(isClickTarget(answer, "https://a.example/page/other")).toBe(false);
    expect(isClickTarget(answer, "https://source.example/three")).toBe(false);
  });

  it("refuses javascript:, data:, relative and non-URLs even when the answer contains them", () => {
    expect(isClickTarget(answer, "javascript:alert(1)")).toBe(false);
    expect(isClickTarget(answer, "data:text/html,x")).toBe(false);
    expect(isClickTarget(answer, "/local")).toBe(false);
    expect(isClickTarget(answer, "//evil.example/")).toBe(false);
    expect(isClickTarget(answer, "")).toBe(false);
    expect(isClickTarget(answer, "not a url")).toBe(false);
  });

  it("refuses other schemes listed as sources", () => {
    const odd = record(null, ["ftp://files.example/x", "javascript:alert(1)"]);
    expect(isClickTarget(odd, "ftp://files.example/x")).toBe(false);
    expect(isClickTarget(odd, "javascript:alert(1)")).toBe(false);
  });

  it("refuses everything but sources for a failed answer (no response)", () => {
    const failed = record(null, ["https://source.example/one"]);
    expect(isClickTarget(failed, "https://source.example/one")).toBe(true);
    expect(isClickTarget(failed, "https://a.example/page")).toBe(false);
  });
});
