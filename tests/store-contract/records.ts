import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../api/domain/records";
import { MAX_EXTRA_DATA_BYTES } from "../../api/domain/validation";
import type { EventRecord, NewEvent, QueryRecord } from "../../api/store/store";
import {
  expectServerTimeNow,
  exportAll,
  type GetStore,
  newEvent,
  newQuery,
  sortedById,
  storedEvent,
  storedQuery,
  uid,
} from "./shared";

/**
 * Round trips: every field of a query or an event, of every shape and size the
 * API lets through, reads back exactly as stored, wherever it is read.
 */
export function describeRoundTrips(store: GetStore): void {
  describe("queries: every field comes back as stored", () => {
    it("recordQuery returns the query with kind QUERY and the server's receivedAt", async () => {
      const q = newQuery({ userId: uid("user") });
      const before = Date.now();
      const stored = await store().recordQuery(q);
      const after = Date.now();
      expect(stored).toEqual(storedQuery(q, stored.receivedAt));
      expectServerTimeNow(stored.receivedAt, before, after);
    });

    it("a query with every optional field set reads back the same from getQuery, conversationTurns and exportPage", async () => {
      const q = newQuery({
        userId: uid("user"),
        sessionId: uid("session"),
        prolificStudyId: uid("study"),
        panelParticipantId: uid("pid"),
        panelSessionId: uid("panel-session"),
        studyId: uid("our-study"),
        condition: "sources-hidden",
        studyVersion: 3,
        query:
          'Café ☕ or tea 🍵?\nSay "which", and why\\how.\t日本語 עברית \u2028 control: \u0000\u0001\u001f\u007f end',
        response: `${"A long answer, with **markdown** and ünïcödé 🙂. ".repeat(400)}[1]`,
        displayedResponse: `${"A long answer, with **markdown** and ünïcödé 🙂. ".repeat(400)}[2]`,
        sources: [
          {
            rank: 1,
            title: "Injected — the study's own",
            url: "https://study.example/injected",
            content: null,
            originalRank: null,
            injected: true,
          },
          {
            rank: 2,
            title: "Caffeine & sleep — a review",
            url: "https://example.org/a?x=1&y=ü#frag",
            content: "Caffeine has a half-life of about 5 hours.\nSecond line.",
            originalRank: 1,
            injected: false,
          },
          { rank: 3, title: "", url: "https://example.net/c", content: "", originalRank: 3, injected: false },
        ],
        modelSources: [
          {
            rank: 1,
            title: "Caffeine & sleep — a review",
            url: "https://example.org/a?x=1&y=ü#frag",
            content: "Caffeine has a half-life of about 5 hours.\nSecond line.",
          },
          { rank: 2, title: "源 2", url: "https://example.com/b", content: null },
          { rank: 3, title: "", url: "https://example.net/c", content: "" },
        ],
        provenance: {
          provider: "openai",
          endpoint: "openrouter.ai",
          requestedModel: "gpt-test",
          systemPromptHash: "a".repeat(64),
          parameters: { temperature: 0.3 },
          sourcesShown: false,
          order: "fixed",
          permutation: [3, 1, 2],
          rotation: null,
          limit: 2,
          inject: { position: 1, url: "https://study.example/injected" },
          citations: "numbered",
          markers: "text",
          answerLinks: "text",
          studyHash: "b".repeat(64),
        },
        model: "gpt-test-2025-01-01",
        latencyMs: 1234,
        ttftMs: 321,
        stopped: true,
        historyTurns: 3,
        error: null,
        usage: { promptTokens: 1523, completionTokens: 211, totalTokens: 1734 },
        clientTime: "2026-03-01T12:34:56.789Z",
      });
      const stored = await store().recordQuery(q);
      const expected = storedQuery(q, stored.receivedAt);
      expect(stored).toEqual(expected);

      expect(await store().getQuery(q.id)).toEqual(expected);
      expect(await store().conversationTurns(q.conversationId, q.userId)).toEqual([expected]);
      const { records } = await exportAll(store(), { userIds: [q.userId] });
      expect(records).toEqual([expected]);
    });

    it("a query with every optional field null reads back with nulls, not missing or empty values", async () => {
      const q = newQuery({
        userId: uid("user"),
        prolificStudyId: null,
        response: null,
        sources: [],
        latencyMs: null,
        error: "The model did not answer in time (timeout after 30 s).",
        clientTime: null,
      });
      const stored = await store().recordQuery(q);
      const expected = storedQuery(q, stored.receivedAt);
      expect(stored).toEqual(expected);
      expect(await store().getQuery(q.id)).toEqual(expected);
      expect(await store().conversationTurns(q.conversationId, q.userId)).toEqual([expected]);
      expect((await exportAll(store(), { userIds: [q.userId] })).records).toEqual([expected]);
    });

    it("token usage reads back as stored: whole, with counts the provider left out null, or null", async () => {
      const userId = uid("user");
      const conversationId = uid("conversation");
      const usages = [
        { promptTokens: 12, completionTokens: 34, totalTokens: 46 },
        { promptTokens: null, completionTokens: null, totalTokens: 46 },
        null,
      ];
      const expected: QueryRecord[] = [];
      for (const usage of usages) {
        const q = newQuery({ userId, conversationId, usage, stopped: usage === null });
        const stored = await store().recordQuery(q);
        expect(stored.usage).toEqual(usage);
        expected.push(storedQuery(q, stored.receivedAt));
      }
      for (const q of expected) expect((await store().getQuery(q.id))?.usage).toEqual(q.usage);
      expect((await store().conversationTurns(conversationId, userId)).map((q) => q.usage)).toEqual(usages);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(records).toEqual(expected);
    });

    it("empty strings and zero stay empty strings and zero, distinct from null", async () => {
      const q = newQuery({
        userId: uid("user"),
        response: "",
        sources: [{ rank: 0, title: "", url: "", content: "", originalRank: 0, injected: false }],
        displayedResponse: "",
        modelSources: [{ rank: 0, title: "", url: "", content: "" }],
        panelParticipantId: "",
        panelSessionId: "",
        studyId: "",
        condition: "",
        studyVersion: 0,
        latencyMs: 0,
        ttftMs: 0,
        historyTurns: 0,
        error: "",
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
        clientTime: "2026-03-01T00:00:00.000Z",
      });
      const stored = await store().recordQuery(q);
      const expected = storedQuery(q, stored.receivedAt);
      expect(await store().getQuery(q.id)).toEqual(expected);
      expect((await exportAll(store(), { userIds: [q.userId] })).records).toEqual([expected]);
    });

    it("historyTurns (0 for a first message, 3, 20) reads back the same from recordQuery, getQuery, conversationTurns and exportPage", async () => {
      const userId = uid("user");
      const conversationId = uid("conversation");
      const counts = [0, 1, 3, 20];
      const queries = counts.map((historyTurns) => newQuery({ userId, conversationId, historyTurns }));
      const expected: QueryRecord[] = [];
      for (const q of queries) {
        const stored = await store().recordQuery(q);
        expect(stored.historyTurns).toBe(q.historyTurns);
        expected.push(storedQuery(q, stored.receivedAt));
      }
      for (const q of expected) expect((await store().getQuery(q.id))?.historyTurns).toBe(q.historyTurns);
      const turns = await store().conversationTurns(conversationId, userId);
      expect(turns.map((t) => t.historyTurns)).toEqual(counts);
      expect(turns).toEqual(expected);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(records.map((r) => (r.kind === "QUERY" ? r.historyTurns : null))).toEqual(counts);
      expect(records).toEqual(expected);
    });

    it("clientTime keeps its milliseconds, also .000, exactly as given", async () => {
      const userId = uid("user");
      const times = ["2026-03-01T12:34:56.789Z", "2026-03-01T12:34:56.000Z", "1999-12-31T23:59:59.999Z"];
      for (const clientTime of times) await store().recordQuery(newQuery({ userId, clientTime }));
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(records.map((r) => r.clientTime)).toEqual(times);
    });

    it("receivedAt is ISO-8601 UTC with milliseconds, close to now, and the same wherever the query is read", async () => {
      const q = newQuery({ userId: uid("user") });
      const before = Date.now();
      const stored = await store().recordQuery(q);
      const after = Date.now();
      expectServerTimeNow(stored.receivedAt, before, after);
      expect((await store().getQuery(q.id))?.receivedAt).toBe(stored.receivedAt);
      expect((await store().conversationTurns(q.conversationId, q.userId))[0]?.receivedAt).toBe(
        stored.receivedAt,
      );
      expect((await exportAll(store(), { userIds: [q.userId] })).records[0]?.receivedAt).toBe(
        stored.receivedAt,
      );
    });

    it("getQuery of an id that no query has returns null, also for an event's id", async () => {
      const event = newEvent({ userId: uid("user") });
      await store().recordEvents([event]);
      expect(await store().getQuery(uid("query"))).toBeNull();
      expect(await store().getQuery(event.eventId)).toBeNull();
    });
  });

  describe("events: every field comes back as stored", () => {
    it("events of every type, with every optional field set or null, export exactly as stored", async () => {
      const userId = uid("user");
      const sessionId = uid("session");
      const events: NewEvent[] = [
        newEvent({
          userId,
          sessionId,
          prolificStudyId: uid("study"),
          panelParticipantId: uid("pid"),
          panelSessionId: uid("panel-session"),
          eventType: "BROWSE",
          query: "Café ☕ — what's in it?\n🙂 \u0000\u007f",
          queryId: uid("query"),
          targetUrl: "https://example.org/a?x=1&y=ü#frag",
          pageUrl: "https://study.example/chat/123",
          extraData: { referrer: "https://example.com", visible: true },
          clientTime: "2026-03-01T12:34:56.789Z",
        }),
        newEvent({ userId, sessionId, eventType: "CLICK" }),
        newEvent({
          userId,
          sessionId,
          eventType: "SCROLL",
          query: "",
          targetUrl: "",
          pageUrl: "",
          clientTime: "2026-03-01T12:34:56.000Z",
        }),
        newEvent({ userId, sessionId: uid("session"), eventType: "CONVERSION", extraData: { value: 1 } }),
        newEvent({
          userId,
          sessionId,
          studyId: uid("our-study"),
          condition: "control",
          studyVersion: 2,
          eventType: "STUDY_STEP",
          extraData: { step: "consent", answers: { age: 30 } },
        }),
        newEvent({
          userId,
          sessionId,
          studyId: uid("our-study"),
          condition: "control",
          studyVersion: 1,
          eventType: "ATTENTION_CHECK",
          extraData: { checkId: "colour", reply: "Blue ", passed: true, failures: 0, ended: false },
        }),
      ];
      expect(new Set(events.map((e) => e.eventType))).toEqual(new Set(EVENT_TYPES));
      const results = await store().recordEvents(events);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(sortedById(records)).toEqual(
        sortedById(events.map((e, i) => storedEvent(e, results[i]?.receivedAt ?? ""))),
      );
    });

    it("extraData of every JSON kind comes back equal: object, array, string, number, boolean, null, nested, unicode", async () => {
      const userId = uid("user");
      const values: unknown[] = [
        { a: 1, b: "two", c: [3], d: null, e: false },
        {},
        [1, "two", null, true, { three: 3 }, [4]],
        [],
        "a plain string",
        "",
        "42",
        "null",
        42,
        0,
        -17,
        Math.PI,
        1e-7,
        1e21,
        Number.MAX_SAFE_INTEGER,
        true,
        false,
        null,
        { level1: { level2: { level3: { level4: { level5: [{ level6: [[["deep"]]] }] } } } } },
        {
          日本語: "値",
          emoji: "🙂👍🏽",
          rtl: "עברית",
          accents: "é ü ñ",
          escapes: '"quoted" \\ \n\t\u2028',
          control: "NUL \u0000 SOH \u0001 US \u001f DEL \u007f",
        },
      ];
      const events = values.map((extraData) => newEvent({ userId, extraData }));
      await store().recordEvents(events);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(records).toHaveLength(values.length);
      const extraData = new Map(records.map((r) => [r.id, (r as EventRecord).extraData]));
      expect(events.map((e) => extraData.get(e.eventId))).toEqual(values);
    });

    it("extraData objects keep keys that have dots, dollar signs, or are empty", async () => {
      const userId = uid("user");
      const extraData = {
        "a.b": 1,
        $where: "not an operator",
        $set: { "x.y": [{ $in: [1, 2] }] },
        "": "empty key",
        _id: "not an id",
      };
      await store().recordEvents([newEvent({ userId, extraData })]);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect((records[0] as EventRecord | undefined)?.extraData).toEqual(extraData);
    });

    it("extraData of the largest size the API accepts comes back whole", async () => {
      const userId = uid("user");
      const extraData = { text: "ü".repeat((MAX_EXTRA_DATA_BYTES - 20) / 2) };
      expect(new TextEncoder().encode(JSON.stringify(extraData)).length).toBeLessThanOrEqual(
        MAX_EXTRA_DATA_BYTES,
      );
      await store().recordEvents([newEvent({ userId, extraData })]);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect((records[0] as EventRecord | undefined)?.extraData).toEqual(extraData);
    });
  });
}
