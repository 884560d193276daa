import { describe, expect, it } from "vitest";
import { ask } from "../../../api/answers/ask";
import { type StreamEvent, streamAnswer } from "../../../api/answers/stream";
import { MAX_HISTORY_CHARS } from "../../../api/answers/turn";
import type { Deps } from "../../../api/deps";
import { ErrorCode } from "../../../api/errors";
import { type Llm, LlmUnavailableError } from "../../../api/llm/llm";
import { enroll } from "../../../api/studies/participants";
import { as, countingStore, depsOf, domainSetup, participant, refused } from "./support";

/** ask and streamAnswer (api/answers/), called as the resolvers call them. */

const message = (studyId: string | null, query: string, conversationId: string | null = null) => ({
  studyId,
  query,
  conversationId,
  clientTime: null,
});

async function collect(stream: AsyncGenerator<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe("ask", () => {
  it("answers in the participant's condition and stores the turn with its study fields and who asked", async () => {
    const setup = domainSetup();
    const who = participant({
      participantId: "pid-ask",
      studyId: "prolific-study",
      sessionId: "prolific-session",
    });
    const { condition } = await enroll(setup.deps, as(who), setup.studyId, null);
    const record = await ask(setup.deps, as(who), message(setup.studyId, "where is the source?"));
    expect(record).toMatchObject({
      userId: who.userId,
      sessionId: who.sessionId,
      panelParticipantId: "pid-ask",
      prolificStudyId: "prolific-study",
      panelSessionId: "prolific-session",
      studyId: setup.studyId,
      condition,
      studyVersion: 3,
      model: `model-${condition}`,
      response: "See [the guide](https://docs.example/guide) [1].",
      sources: [{ rank: 1, title: "Guide", url: "https://docs.example/source", content: null }],
      historyTurns: 0,
      error: null,
    });
    expect(await setup.deps.store.getQuery(record.id)).toEqual(record);
    expect((await setup.deps.store.getAssignment(setup.studyId, who.userId))?.turns).toBe(1);
  });

  it("sends the conversation's earlier turns to the model and records how many", async () => {
    const setup = domainSetup();
    const who = participant();
    const first = await ask(setup.deps, as(who), message(null, "first"));
    const second = await ask(setup.deps, as(who), message(null, "second", first.conversationId));
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.historyTurns).toBe(1);
    // Another participant naming the same conversation starts from nothing: they cannot read into it.
    const stranger = await ask(setup.deps, as(participant()), message(null, "third", first.conversationId));
    expect(stranger.historyTurns).toBe(0);
    expect(MAX_HISTORY_CHARS).toBe(24_000);
  });

  it("refuses before anything is spent: no session, the open chat off, no consent, finished, the turn limit", async () => {
    const setup = domainSetup({ maxTurns: 1 });
    await refused(ask(setup.deps, as(null), message(null, "hi")), ErrorCode.UNAUTHENTICATED);
    const off = domainSetup({}, { OPEN_CHAT: "off" });
    await refused(ask(off.deps, as(participant()), message(null, "hi")), ErrorCode.NOT_FOUND);

    // A caller who may not ask spends nothing of the deployment's LLM budget.
    const counted = countingStore(setup.deps.store, ["takeBudget", "takeTurn"]);
    const deps = depsOf(setup.app, counted.store);
    const stranger = participant();
    await refused(ask(deps, as(stranger), message(setup.studyId, "hi")), ErrorCode.NOT_ENROLLED);
    expect(counted.calls).toEqual([]);

    const who = participant();
    await enroll(deps, as(who), setup.studyId, null);
    await ask(deps, as(who), message(setup.studyId, "one"));
    expect(counted.calls).toEqual(["takeBudget", "takeTurn"]);
    const limit = await refused(
      ask(deps, as(who), message(setup.studyId, "two")),
      ErrorCode.TURN_LIMIT_REACHED,
    );
    expect(limit.details).toEqual({ maxTurns: 1 });
    expect(await setup.deps.store.count({ userIds: [stranger.userId] })).toBe(0);
  });

  it("refuses once the deployment's LLM budget for the hour is spent (RATE_LIMITED, no turn taken)", async () => {
    const setup = domainSetup({}, { LLM_CALLS_PER_HOUR: "1" });
    // This file's D1 may have counted calls this hour already: spend what is left.
    while (await setup.deps.store.takeBudget(`llm:${new Date().toISOString().slice(0, 13)}`, 1)) {}
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    const error = await refused(
      ask(setup.deps, as(who), message(setup.studyId, "hi")),
      ErrorCode.RATE_LIMITED,
    );
    expect(error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect((await setup.deps.store.getAssignment(setup.studyId, who.userId))?.turns).toBe(0);
  });

  it("stores the token usage the provider reported: with the answer, and with a failure that reported it", async () => {
    const setup = domainSetup();
    const usage = { promptTokens: 30, completionTokens: 0, totalTokens: 30 };
    const reporting = (answer: Llm["answer"]): Deps => ({
      ...setup.deps,
      llm: { ...setup.deps.llm, answer },
    });
    const who = participant();
    const answered = await ask(
      reporting(async () => ({ text: "An answer.", sources: [], model: "m", usage })),
      as(who),
      message(null, "first"),
    );
    expect(answered.usage).toEqual(usage);
    const error = await refused(
      ask(
        reporting(async () => {
          throw new LlmUnavailableError("the provider returned no answer text", { usage });
        }),
        as(who),
        message(null, "second"),
      ),
      ErrorCode.LLM_UNAVAILABLE,
    );
    const failed = await setup.deps.store.getQuery(String(error.details.queryId));
    expect(failed).toMatchObject({ response: null, error: "the provider returned no answer text", usage });
    expect((await setup.deps.store.getQuery(answered.id))?.usage).toEqual(usage);
  });
});

describe("streamAnswer", () => {
  it("yields the turn's ids first, then the text as it comes, then the stored record", async () => {
    const setup = domainSetup();
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    const events = await collect(
      streamAnswer(setup.deps, as(who), message(setup.studyId, "tell me about tea")),
    );
    const [first] = events;
    const last = events.at(-1);
    expect(first).toMatchObject({ delta: "", result: null });
    expect(events.every((e) => e.queryId === first?.queryId)).toBe(true);
    const text = events.map((e) => e.delta ?? "").join("");
    expect(text).toBe("An answer about tell me about tea");
    expect(last?.result).toMatchObject({ id: first?.queryId, response: text, stopped: false });
    expect(last?.result?.ttftMs).toBeGreaterThanOrEqual(0);
    expect(await setup.deps.store.getQuery(first?.queryId ?? "")).toMatchObject({ response: text });
  });

  it("stores a stopped turn, with what had arrived, when the consumer stops reading", async () => {
    const setup = domainSetup();
    const who = participant();
    const stream = streamAnswer(setup.deps, as(who), message(null, "a long answer please"));
    const ids = (await stream.next()).value as StreamEvent;
    const firstWords = (await stream.next()).value as StreamEvent;
    await stream.return(undefined);
    const stored = await setup.deps.store.getQuery(ids.queryId);
    expect(stored).toMatchObject({ stopped: true, response: firstWords.delta, error: null });
  });

  it("stores a turn stopped by the request's signal before the first token", async () => {
    const setup = domainSetup();
    const controller = new AbortController();
    controller.abort();
    const events = await collect(
      streamAnswer(setup.deps, as(participant()), message(null, "never mind"), controller.signal),
    );
    expect(events).toEqual([]);
    const page = await setup.deps.store.exportPage({ kinds: ["QUERY"] }, 1000, null);
    const stopped = page.records
      .map((r) => r.record)
      .filter((r) => r.kind === "QUERY" && r.query === "never mind");
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ stopped: true, response: "" });
  });
});
