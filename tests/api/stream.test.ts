import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import type { TokenUsage } from "../../api/domain/records";
import type { Llm, LlmStreamPart } from "../../api/llm/llm";
import { LlmUnavailableError } from "../../api/llm/llm";
import { PARTICIPANT_HEADER } from "../../api/participants/credential";
import type { StudyFile } from "../../api/studies/definition";
import { createApi } from "../../api/yoga";
import { appWithStudies, enrollOk, type StudyRecord, sleep, studyRecords, uid } from "./helpers";
import { claimedParticipant, gql, participantToken, type TestParticipant } from "./support";

/**
 * The queryStream subscription over Server-Sent Events, as a browser would
 * use it: POST /graphql with Accept: text/event-stream, through the app's
 * fetch with a waitUntil, on this file's real D1. Scripted conditions stream
 * their answers word by word at a known pace.
 */

const SUBSCRIPTION = `subscription S($input: QueryInput!) {
  queryStream(input: $input) {
    queryId
    conversationId
    delta
    result { id response timeToFirstTokenMs latencyMs stopped condition }
  }
}`;

/** 16 words: at 20 ms a word, about 320 ms in all. */
const ANSWER = "Most healthy adults can drink up to four cups of coffee a day without harm, studies suggest.";
/** 60 words: at 25 ms a word, 1.5 s: long enough to stop in the middle. */
const LONG_ANSWER = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");

const tag = () => uid().slice(0, 8);

function streamingStudy(
  id: string,
  tokenDelayMs: number,
  answer: string,
  extra: Record<string, unknown> = {},
): StudyFile {
  return {
    file: `studies/${id}.json`,
    definition: {
      id,
      version: 2,
      title: "Streaming",
      consent: "OK?",
      task: "Ask.",
      conditions: [
        {
          id: "streamed",
          llm: { provider: "scripted" },
          script: { model: "stream-model", tokenDelayMs, rules: [], fallback: { answer } },
          ...extra,
        },
      ],
      completion: { code: "DONE" },
    },
  };
}

type Result = {
  id: string;
  response: string;
  timeToFirstTokenMs: number | null;
  latencyMs: number;
  stopped: boolean;
  condition: string | null;
};
type Payload = {
  data?: {
    queryStream: { queryId: string; conversationId: string; delta: string | null; result: Result | null };
  } | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
};
type SseEvent = { event: string; data: string; at: number };

/**
 * Starts a subscription; the waitUntil promises are collected so a test can await them.
 * Like `gql`, it sends the credential (X-Participant-Token) of the participant the input
 * names, signed with `app`'s secret, unless `participant` says otherwise (null: none);
 * `api` is the API that answers (by default the app's).
 */
async function subscribe(
  app: App,
  input: Record<string, unknown>,
  options: { participant?: TestParticipant | null; api?: App["api"] } = {},
) {
  const waits: Promise<unknown>[] = [];
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
  const who = options.participant === undefined ? claimedParticipant({ input }) : options.participant;
  if (who) headers[PARTICIPANT_HEADER] = await participantToken(app, who);
  const response = await (options.api ?? app.api).fetch(
    new Request("http://test/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query: SUBSCRIPTION, variables: { input } }),
    }),
    { waitUntil: (promise: Promise<unknown>) => void waits.push(promise) },
  );
  return { response, waits };
}

/** The SSE messages of a response body as they arrive (comments, the keep-alive pings, are skipped). */
async function* sseEvents(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (event === "message" && data.length === 0) continue; // a ping
      yield { event, data: data.join("\n"), at: performance.now() };
    }
  }
}

/** Reads the whole stream: the `next` payloads in order, and whether it ended with `complete`. */
async function readAll(
  response: Response,
): Promise<{ payloads: (Payload & { at: number })[]; completed: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const payloads: (Payload & { at: number })[] = [];
  let completed = false;
  for await (const e of sseEvents(reader)) {
    if (e.event === "next") payloads.push({ ...(JSON.parse(e.data) as Payload), at: e.at });
    if (e.event === "complete") completed = true;
  }
  return { payloads, completed };
}

/** Polls the export until `ready` holds (at most ~3 s), then gives the records. */
async function recordsWhen(
  app: App,
  userId: string,
  ready: (records: StudyRecord[]) => boolean,
): Promise<StudyRecord[]> {
  let nodes: StudyRecord[] = [];
  for (let i = 0; i < 30; i++) {
    ({ nodes } = await studyRecords(app, { userIds: [userId], kinds: ["QUERY"] }));
    if (ready(nodes)) return nodes;
    await sleep(100);
  }
  return nodes;
}

describe("queryStream over SSE", () => {
  it("streams the answer in several deltas before the end, then the stored result, stored once with its ttft", async () => {
    const id = `stream-${tag()}`;
    const app = appWithStudies([streamingStudy(id, 20, ANSWER)]);
    const p = { studyId: id, userId: uid(), sessionId: uid() };
    await enrollOk(app, p);
    const { response, waits } = await subscribe(app, { ...p, query: "How much coffee?" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");

    const { payloads, completed } = await readAll(response);
    expect(completed).toBe(true);
    for (const payload of payloads) expect(payload.errors, JSON.stringify(payload.errors)).toBeUndefined();
    const deltas = payloads.filter((p) => p.data?.queryStream.delta != null);
    const last = payloads.at(-1);
    const result = last?.data?.queryStream.result;
    if (!result || !last) throw new Error(`no result: ${JSON.stringify(payloads)}`);
    expect(last.data?.queryStream.delta).toBeNull();
    expect(payloads.slice(0, -1).every((p) => p.data?.queryStream.result === null)).toBe(true);

    // The first event comes at once, before any token, with an empty delta and the turn's ids.
    expect(payloads[0]?.data?.queryStream.delta).toBe("");
    expect(deltas.length).toBeGreaterThanOrEqual(8);
    expect(deltas.map((d) => d.data?.queryStream.delta).join("")).toBe(ANSWER);
    // The participant is not shown their condition; the stored record (read by a researcher) says it.
    expect(result).toMatchObject({ response: ANSWER, stopped: false, condition: null });
    // Really streamed: the first words arrive well before the last (16 words at 20 ms each).
    const first = deltas[0];
    expect(first && last.at - first.at).toBeGreaterThan(150);

    expect(typeof result.timeToFirstTokenMs).toBe("number");
    expect(result.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.timeToFirstTokenMs).toBeLessThanOrEqual(result.latencyMs);
    expect(result.latencyMs).toBeGreaterThanOrEqual(200);

    await Promise.all(waits);
    await sleep(100);
    const records = await recordsWhen(app, p.userId, (r) => r.length > 0);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: result.id,
      response: ANSWER,
      stopped: false,
      error: null,
      model: "stream-model",
      timeToFirstTokenMs: result.timeToFirstTokenMs,
      latencyMs: result.latencyMs,
      studyId: id,
      condition: "streamed",
      studyVersion: 2,
    });
  });

  it("stores a stopped answer once, with stopped: true and what had arrived, when the client cancels", async () => {
    const id = `stop-${tag()}`;
    const app = appWithStudies([streamingStudy(id, 25, LONG_ANSWER)]);
    const p = { studyId: id, userId: uid(), sessionId: uid() };
    await enrollOk(app, p);
    const { response, waits } = await subscribe(app, { ...p, query: "Tell me everything" });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    let firstDelta: string | null = null;
    for await (const e of sseEvents(reader)) {
      if (e.event !== "next") continue;
      const payload = JSON.parse(e.data) as Payload;
      expect(payload.errors).toBeUndefined();
      // The first event, at once, has an empty delta (and the ids): wait for text.
      firstDelta = payload.data?.queryStream.delta || null;
      if (firstDelta !== null) break;
    }
    expect(firstDelta).toBe("word0 ");
    await reader.cancel();

    const records = await recordsWhen(app, p.userId, (r) => r.length > 0);
    expect(records, "a stopped answer is stored within ~3 s").toHaveLength(1);
    const [stopped] = records;
    expect(stopped).toMatchObject({
      stopped: true,
      error: null,
      studyId: id,
      condition: "streamed",
      studyVersion: 2,
    });
    const text = stopped?.response ?? "";
    expect(text.startsWith("word0")).toBe(true);
    expect(LONG_ANSWER.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(LONG_ANSWER.length);
    expect(stopped?.timeToFirstTokenMs).toEqual(expect.any(Number));

    // The provider stopped too: nothing more is stored after the full answer would have ended.
    await Promise.all(waits);
    await sleep(1700);
    const later = await studyRecords(app, { userIds: [p.userId], kinds: ["QUERY"] });
    expect(later.nodes).toHaveLength(1);
    expect(later.nodes[0]).toMatchObject({ id: stopped?.id, response: text, stopped: true });
  });

  it("gives the turn's ids before the first token, so a stop even then is stored under them", async () => {
    const id = `early-${tag()}`;
    // 400 ms before the first word: the client stops before any text.
    const app = appWithStudies([streamingStudy(id, 400, LONG_ANSWER)]);
    const p = { studyId: id, userId: uid(), sessionId: uid() };
    await enrollOk(app, p);
    const { response, waits } = await subscribe(app, { ...p, query: "Stop at once" });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    let first: Payload | null = null;
    for await (const e of sseEvents(reader)) {
      if (e.event !== "next") continue;
      first = JSON.parse(e.data) as Payload;
      break;
    }
    const ids = first?.data?.queryStream;
    expect(ids?.delta).toBe("");
    expect(ids?.queryId).toEqual(expect.any(String));
    await reader.cancel();

    const records = await recordsWhen(app, p.userId, (r) => r.length > 0);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: ids?.queryId,
      conversationId: ids?.conversationId,
      response: "",
      stopped: true,
      timeToFirstTokenMs: null,
      error: null,
    });
    await Promise.all(waits);
  });

  it("ends with a NOT_ENROLLED error for a participant who has not consented, storing nothing", async () => {
    const id = `stream-${tag()}`;
    const app = appWithStudies([streamingStudy(id, 0, ANSWER)]);
    const p = { studyId: id, userId: uid(), sessionId: uid() };
    const { response } = await subscribe(app, { ...p, query: "Hello?" });
    const { payloads } = await readAll(response);
    const errors = payloads.flatMap((payload) => payload.errors ?? []);
    expect(errors.map((e) => e.extensions?.code)).toEqual(["NOT_ENROLLED"]);
    expect(payloads.some((payload) => payload.data?.queryStream?.delta)).toBe(false);
    expect((await studyRecords(app, { userIds: [p.userId] })).totalCount).toBe(0);

    // Without a credential the stream is refused before anything else.
    const anonymous = await readAll(
      (await subscribe(app, { ...p, query: "Hello?" }, { participant: null })).response,
    );
    const refused = anonymous.payloads.flatMap((payload) => payload.errors ?? []);
    expect(refused.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect((await studyRecords(app, { userIds: [p.userId] })).totalCount).toBe(0);
  });

  it("ends with TURN_LIMIT_REACHED once the condition's turns are used up", async () => {
    const id = `limit-${tag()}`;
    const app = appWithStudies([streamingStudy(id, 0, ANSWER, { maxTurns: 1 })]);
    const p = { studyId: id, userId: uid(), sessionId: uid() };
    await enrollOk(app, p);
    const first = await readAll((await subscribe(app, { ...p, query: "one" })).response);
    expect(first.payloads.at(-1)?.data?.queryStream.result?.response).toBe(ANSWER);
    const second = await readAll((await subscribe(app, { ...p, query: "two" })).response);
    const errors = second.payloads.flatMap((payload) => payload.errors ?? []);
    expect(errors.map((e) => e.extensions?.code)).toEqual(["TURN_LIMIT_REACHED"]);
    expect((await studyRecords(app, { userIds: [p.userId], kinds: ["QUERY"] })).totalCount).toBe(1);
  });

  it("stores a stream that breaks with what had arrived and its error, and ends with LLM_UNAVAILABLE", async () => {
    const app = appWithStudies([]);
    const breaking: Llm = {
      name: "breaking",
      model: "breaking-model",
      provenance: { ...app.llm.provenance, provider: "breaking", requestedModel: "breaking-model" },
      answer: async () => {
        throw new LlmUnavailableError("not used");
      },
      async *stream(): AsyncGenerator<LlmStreamPart> {
        yield { type: "delta", text: "Half " };
        yield { type: "usage", usage: BROKEN_USAGE };
        yield { type: "delta", text: "an answer" };
        throw new LlmUnavailableError("the connection to the provider broke");
      },
      health: async () => ({ ok: true, latencyMs: 0, detail: null }),
    };
    const api = createApi({
      store: app.store,
      llm: breaking,
      studies: app.studies,
      config: app.config,
      limits: app.limits,
      version: "test",
    });
    const userId = uid();
    const { payloads } = await readAll(
      (await subscribe(app, { userId, sessionId: uid(), query: "Hi" }, { api })).response,
    );
    expect(payloads.map((p) => p.data?.queryStream?.delta).filter(Boolean)).toEqual(["Half ", "an answer"]);
    const errors = payloads.flatMap((p) => p.errors ?? []);
    expect(errors.map((e) => e.extensions?.code)).toEqual(["LLM_UNAVAILABLE"]);
    // The participant gets the plain message; the provider's text is kept in the stored record only.
    expect(errors[0]?.message).toBe(
      "The assistant could not answer just now. Your message was saved; please try again.",
    );
    expect(JSON.stringify(payloads)).not.toContain("the connection to the provider broke");

    const { nodes } = await studyRecords(app, { userIds: [userId] });
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({
      response: "Half an answer",
      stopped: false,
      model: "breaking-model",
      studyId: null,
      condition: null,
    });
    expect(nodes[0]?.error).toContain("the connection to the provider broke");
    expect(nodes[0]?.timeToFirstTokenMs).toEqual(expect.any(Number));
    // What the provider had reported before it broke is kept.
    expect(nodes[0]?.usage).toEqual(BROKEN_USAGE);
  });

  it("stores the token usage the provider reported, shown to researchers only; none reported: null", async () => {
    const app = appWithStudies([]);
    const reporting = (usage: TokenUsage | null): Llm => ({
      name: "reporting",
      model: "reporting-model",
      provenance: { ...app.llm.provenance, provider: "reporting", requestedModel: "reporting-model" },
      answer: async () => ({ text: "An answer.", sources: [], model: "reporting-model", usage }),
      async *stream(): AsyncGenerator<LlmStreamPart> {
        yield { type: "delta", text: "An " };
        yield { type: "delta", text: "answer." };
        if (usage) yield { type: "usage", usage };
        yield { type: "done", sources: [], model: "reporting-model" };
      },
      health: async () => ({ ok: true, latencyMs: 0, detail: null }),
    });
    const usage = { promptTokens: 1523, completionTokens: 211, totalTokens: 1734 };
    const who = { userId: uid(), sessionId: uid() };
    const results: { id: string; conversationId: string }[] = [];
    for (const reported of [usage, null]) {
      const api = createApi({
        store: app.store,
        llm: reporting(reported),
        studies: app.studies,
        config: app.config,
        limits: app.limits,
        version: "test",
      });
      const { payloads } = await readAll((await subscribe(app, { ...who, query: "Hi" }, { api })).response);
      const id = payloads.at(-1)?.data?.queryStream?.queryId;
      const conversationId = payloads.at(-1)?.data?.queryStream?.conversationId;
      if (!id || !conversationId) throw new Error(`no stored answer: ${JSON.stringify(payloads)}`);
      results.push({ id, conversationId });
    }
    const { nodes } = await studyRecords(app, { userIds: [who.userId] });
    expect(nodes.map((n) => [n.id, n.usage])).toEqual([
      [results[0]?.id, usage],
      [results[1]?.id, null],
    ]);
    // The participant reads their own turn without it, as they read no provenance.
    const own = await gql<{ conversation: { usage: unknown }[] }>(
      app,
      "query($id: ID!) { conversation(id: $id) { usage { totalTokens } } }",
      { id: results[0]?.conversationId },
      { participant: who },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?.conversation).toEqual([{ usage: null }]);
  });
});

const BROKEN_USAGE: TokenUsage = { promptTokens: 40, completionTokens: null, totalTokens: null };
