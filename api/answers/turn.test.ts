import { describe, expect, it } from "vitest";
import type { ChatTurn } from "../llm/llm";
import { NO_STUDY, type QueryRecord } from "../store/store";
import { historyOf, MAX_HISTORY_CHARS } from "./turn";

/** An earlier turn of a conversation; a null response is a failed turn. */
function turn(query: string, response: string | null): QueryRecord {
  return {
    kind: "QUERY",
    inputSignals: null,
    id: `q-${query.slice(0, 20)}`,
    userId: "u1",
    sessionId: "s1",
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    ...NO_STUDY,
    receivedAt: "2025-01-01T00:00:00.000Z",
    clientTime: null,
    conversationId: "c1",
    query,
    response,
    displayedResponse: response,
    modelSources: [],
    provenance: null,
    sources: [],
    model: "m",
    latencyMs: 1,
    ttftMs: null,
    stopped: false,
    historyTurns: 0,
    error: response === null ? "the provider failed" : null,
    usage: null,
  };
}

/** The user/assistant pair a turn becomes in the history. */
const pair = (query: string, response: string): ChatTurn[] => [
  { role: "user", content: query },
  { role: "assistant", content: response },
];

/** The questions of a history, in order. */
const questions = (history: ChatTurn[]) => history.filter((m) => m.role === "user").map((m) => m.content);

describe("historyOf", () => {
  it("sends nothing for a first message", () => {
    expect(historyOf([])).toEqual([]);
  });

  it("under the cap, keeps every answered turn, oldest first, as user/assistant pairs", () => {
    const history = historyOf([turn("q1", "a1"), turn("q2", "a2"), turn("q3", "a3")]);
    expect(history).toEqual([...pair("q1", "a1"), ...pair("q2", "a2"), ...pair("q3", "a3")]);
    expect(history.length / 2).toBe(3);
  });

  it("keeps at most the latest 20 turns", () => {
    const turns = Array.from({ length: 25 }, (_, i) => turn(`q${i}`, `a${i}`));
    const history = historyOf(turns);
    expect(history.length / 2).toBe(20);
    expect(questions(history)).toEqual(Array.from({ length: 20 }, (_, i) => `q${i + 5}`));
    expect(history.at(-1)).toEqual({ role: "assistant", content: "a24" });
  });

  it("skips failed turns (no response), which have no answer to show the model", () => {
    const history = historyOf([turn("q1", "a1"), turn("q2", null), turn("q3", "a3"), turn("q4", null)]);
    expect(history).toEqual([...pair("q1", "a1"), ...pair("q3", "a3")]);
    expect(history.length / 2).toBe(2);
  });

  it("over the cap, sends only the latest turns that fit, oldest first", () => {
    const big = "x".repeat(MAX_HISTORY_CHARS / 4); // a turn of query + response is half the cap
    const turns = [turn(`q1${big}`, big), turn(`q2${big}`, big), turn(`q3${big}`, big), turn("q4", "a4")];
    const history = historyOf(turns);
    expect(questions(history)).toEqual([`q3${big}`, "q4"]);
    expect(history.length / 2).toBe(2);
    const chars = history.reduce((sum, m) => sum + m.content.length, 0);
    expect(chars).toBeLessThanOrEqual(MAX_HISTORY_CHARS);
  });

  it("keeps turns whose text is exactly the cap", () => {
    const half = "y".repeat(MAX_HISTORY_CHARS / 4);
    const history = historyOf([turn(half, half), turn(half, half)]);
    expect(history.length / 2).toBe(2);
  });

  it("stops at the first turn that does not fit: an older, smaller one is not sent past it", () => {
    const huge = "z".repeat(MAX_HISTORY_CHARS);
    const history = historyOf([turn("q1", "a1"), turn("q2", huge), turn("q3", "a3")]);
    expect(history).toEqual(pair("q3", "a3"));
  });

  it("sends no history when the latest turn alone is over the cap", () => {
    const huge = "z".repeat(MAX_HISTORY_CHARS);
    expect(historyOf([turn("q1", "a1"), turn("q2", huge)])).toEqual([]);
  });
});
