import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EVENT_TYPES,
  type EventRecord,
  type EventType,
  type ExportFilter,
  InvalidCursorError,
  type LogRecord,
  type NewEvent,
  type NewQuery,
  type QueryRecord,
  type Store,
} from "../../api/store/store";

/**
 * The Store port's contract, as one suite that every adapter runs: D1 in
 * workerd (tests/api/store-contract.test.ts), MongoDB in Node. It knows
 * nothing of any adapter (no SQL, no sequence, no cursor format): only what
 * a caller of the port can observe.
 *
 * The tests share one store and never clean up after themselves, so each
 * makes its own records under fresh ids, and reads back only through filters
 * on its own users or sessions. A test that needs a global view asserts only
 * what stays true whatever else the store holds (an empty list matches
 * nothing).
 */

export type StoreUnderTest = {
  store: Store;
  /** Runs once after the whole suite (closes clients, stops servers). */
  cleanup?: () => Promise<void>;
};

export type StoreContractOptions = {
  /**
   * Declares the suite skipped, with this reason in its name, so the run says
   * plainly what it did not test (e.g. "MONGODB_URI is not set").
   */
  skip?: string;
  /** Per-test timeout in ms (default 30 s; a remote store may need more). */
  timeout?: number;
};

/** API limits the store must hold (api/validation.ts: MAX_EVENTS_PER_BATCH, MAX_EXTRA_DATA_BYTES). */
const MAX_EVENTS_PER_BATCH = 500;
const MAX_EXTRA_DATA_BYTES = 8 * 1024;

/** ISO-8601 in UTC with milliseconds and a Z: every time the store gives back. */
const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** How far a store's clock may be from the test's and still count as "now". */
const CLOCK_TOLERANCE_MS = 60_000;

const uid = (prefix: string): string => `${prefix}-${crypto.randomUUID()}`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const plusMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

const keyOf = (record: LogRecord): string => `${record.kind}:${record.id}`;

const idsOf = (records: LogRecord[]): string[] => records.map((r) => r.id);

const sortedById = <T extends { id: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * The ids of `groups` in write order, group after group; inside a group (one
 * batch, or writes that ran concurrently) in the order `actual` has them,
 * since the port promises no order among records stored in the same instant.
 * Equal to `actual` exactly when the export kept the write order.
 */
function inWriteOrder(actual: string[], groups: string[][]): string[] {
  const position = new Map(actual.map((id, i) => [id, i]));
  const at = (id: string) => position.get(id) ?? Number.POSITIVE_INFINITY;
  return groups.flatMap((group) => [...group].sort((a, b) => at(a) - at(b)));
}

function newQuery(fields: Partial<NewQuery> & { userId: string }): NewQuery {
  return {
    id: uid("query"),
    conversationId: uid("conversation"),
    sessionId: `${fields.userId}-session`,
    prolificStudyId: null,
    query: "Is coffee bad for sleep?",
    response: "It can be, if you drink it late.",
    sources: [],
    model: "test-model",
    latencyMs: 120,
    error: null,
    clientTime: null,
    ...fields,
  };
}

function newEvent(fields: Partial<NewEvent> & { userId: string }): NewEvent {
  return {
    eventId: uid("event"),
    sessionId: `${fields.userId}-session`,
    prolificStudyId: null,
    eventType: "SCROLL",
    query: null,
    queryId: null,
    targetUrl: null,
    pageUrl: null,
    extraData: null,
    clientTime: null,
    ...fields,
  };
}

function newEvents(count: number, fields: Partial<NewEvent> & { userId: string }): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent({ extraData: { i }, ...fields }));
}

/** What the store should give back for a query it stored at `receivedAt`. */
const storedQuery = (q: NewQuery, receivedAt: string): QueryRecord => ({ ...q, kind: "QUERY", receivedAt });

/** What the store should give back for an event it stored at `receivedAt`. */
const storedEvent = (e: NewEvent, receivedAt: string): EventRecord => ({
  ...e,
  kind: "EVENT",
  id: e.eventId,
  receivedAt,
});

/** The filter semantics of the port, on records already read back: the reference the store must match. */
function matches(record: LogRecord, filter: ExportFilter): boolean {
  if (filter.kinds && !filter.kinds.includes(record.kind)) return false;
  if (filter.userIds && !filter.userIds.includes(record.userId)) return false;
  if (filter.sessionIds && !filter.sessionIds.includes(record.sessionId)) return false;
  if (filter.eventTypes && (record.kind !== "EVENT" || !filter.eventTypes.includes(record.eventType)))
    return false;
  if (filter.from && Date.parse(record.receivedAt) < Date.parse(filter.from)) return false;
  if (filter.to && Date.parse(record.receivedAt) >= Date.parse(filter.to)) return false;
  return true;
}

function expectServerTimeNow(time: string, before: number, after: number): void {
  expect(time).toMatch(ISO_MS_Z);
  const t = Date.parse(time);
  expect(t).toBeGreaterThanOrEqual(before - CLOCK_TOLERANCE_MS);
  expect(t).toBeLessThanOrEqual(after + CLOCK_TOLERANCE_MS);
}

type Export = { records: LogRecord[]; cursors: string[]; pageSizes: number[] };

/**
 * Every record of a filter, page by page, checking on the way what holds for
 * any export: no page larger than asked, no record twice, a page announcing
 * a next one is not empty, and paging ends.
 */
async function exportAll(store: Store, filter: ExportFilter, first = 1000): Promise<Export> {
  const result: Export = { records: [], cursors: [], pageSizes: [] };
  const seen = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page = await store.exportPage(filter, first, after);
    result.pageSizes.push(page.records.length);
    expect(page.records.length).toBeLessThanOrEqual(first);
    for (const { cursor, record } of page.records) {
      expect(typeof cursor).toBe("string");
      expect(seen.has(keyOf(record)), `${keyOf(record)} exported twice`).toBe(false);
      seen.add(keyOf(record));
      result.records.push(record);
      result.cursors.push(cursor);
    }
    if (!page.hasNextPage) return result;
    const last = page.records.at(-1);
    if (!last)
      throw new Error("a page with hasNextPage: true has no records, so no cursor to continue after");
    after = last.cursor;
    if (result.pageSizes.length > 10_000) throw new Error("paging does not end");
  }
}

function expectNonDecreasingTimes(records: LogRecord[]): void {
  for (let i = 1; i < records.length; i++) {
    const [previous, current] = [records[i - 1], records[i]];
    if (!previous || !current) continue;
    expect(
      Date.parse(current.receivedAt),
      `${keyOf(current)} (${current.receivedAt}) is exported after ${keyOf(previous)} (${previous.receivedAt})`,
    ).toBeGreaterThanOrEqual(Date.parse(previous.receivedAt));
  }
}

/** base64url of a text, the shape many cursors have. */
const base64url = (text: string): string =>
  btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/**
 * Declares the contract's tests for one adapter. `setup` runs once before
 * them and gives the store under test (empty or not: the tests do not care).
 */
export function storeContract(
  name: string,
  setup: () => Promise<StoreUnderTest>,
  options: StoreContractOptions = {},
): void {
  if (options.skip !== undefined) {
    // Printed by every reporter (the default one shows a skipped test only as a number).
    console.warn(`Store contract: ${name} SKIPPED: ${options.skip}`);
    describe.skip(`Store contract: ${name} (SKIPPED: ${options.skip})`, () => {
      it(`is not run: ${options.skip}`, () => {});
    });
    return;
  }

  describe(`Store contract: ${name}`, { timeout: options.timeout ?? 30_000 }, () => {
    let subject: StoreUnderTest | null = null;
    const store = (): Store => {
      if (!subject) throw new Error("the store's setup did not run or failed");
      return subject.store;
    };

    beforeAll(async () => {
      subject = await setup();
    }, options.timeout ?? 30_000);

    afterAll(async () => {
      await subject?.cleanup?.();
    }, options.timeout ?? 30_000);

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
          query:
            'Café ☕ or tea 🍵?\nSay "which", and why\\how.\t日本語 עברית \u2028 control: \u0000\u0001\u001f\u007f end',
          response: `${"A long answer, with **markdown** and ünïcödé 🙂. ".repeat(400)}[1]`,
          sources: [
            {
              rank: 1,
              title: "Caffeine & sleep — a review",
              url: "https://example.org/a?x=1&y=ü#frag",
              content: "Caffeine has a half-life of about 5 hours.\nSecond line.",
            },
            { rank: 2, title: "源 2", url: "https://example.com/b", content: null },
            { rank: 3, title: "", url: "https://example.net/c", content: "" },
          ],
          model: "gpt-test-2025-01-01",
          latencyMs: 1234,
          error: null,
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

      it("empty strings and zero stay empty strings and zero, distinct from null", async () => {
        const q = newQuery({
          userId: uid("user"),
          response: "",
          sources: [{ rank: 0, title: "", url: "", content: "" }],
          latencyMs: 0,
          error: "",
          clientTime: "2026-03-01T00:00:00.000Z",
        });
        const stored = await store().recordQuery(q);
        const expected = storedQuery(q, stored.receivedAt);
        expect(await store().getQuery(q.id)).toEqual(expected);
        expect((await exportAll(store(), { userIds: [q.userId] })).records).toEqual([expected]);
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

    describe("recordEvents: idempotent on eventId", () => {
      it("returns one result per event, in input order, each new, with the server's receivedAt", async () => {
        const userId = uid("user");
        const events = EVENT_TYPES.map((eventType) => newEvent({ userId, eventType }));
        const before = Date.now();
        const results = await store().recordEvents(events);
        const after = Date.now();
        expect(results.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
        expect(results.map((r) => r.duplicate)).toEqual(events.map(() => false));
        for (const r of results) expectServerTimeNow(r.receivedAt, before, after);
        const { records } = await exportAll(store(), { userIds: [userId] });
        expect(new Map(records.map((r) => [r.id, r.receivedAt]))).toEqual(
          new Map(results.map((r) => [r.eventId, r.receivedAt])),
        );
      });

      it("an empty batch returns an empty list", async () => {
        expect(await store().recordEvents([])).toEqual([]);
      });

      it("a repeated batch: every event duplicate, with the receivedAt of its first storing, stored once", async () => {
        const userId = uid("user");
        const events = newEvents(5, { userId });
        const first = await store().recordEvents(events);
        await sleep(5);
        const again = await store().recordEvents(events);
        expect(again).toEqual(first.map((r) => ({ ...r, duplicate: true })));
        expect(await store().count({ userIds: [userId] })).toBe(5);
        const { records } = await exportAll(store(), { userIds: [userId] });
        expect(sortedById(records)).toEqual(
          sortedById(events.map((e, i) => storedEvent(e, first[i]?.receivedAt ?? ""))),
        );
      });

      it("a repeat with other fields does not overwrite the stored event", async () => {
        const userId = uid("user");
        const original = newEvent({
          userId,
          eventType: "CLICK",
          extraData: { version: 1 },
          pageUrl: "https://a",
        });
        const [first] = await store().recordEvents([original]);
        const [repeat] = await store().recordEvents([
          { ...original, eventType: "SCROLL", extraData: { version: 2 }, pageUrl: null, query: "changed" },
        ]);
        expect(repeat).toEqual({ eventId: original.eventId, duplicate: true, receivedAt: first?.receivedAt });
        const { records } = await exportAll(store(), { userIds: [userId] });
        expect(records).toEqual([storedEvent(original, first?.receivedAt ?? "")]);
      });

      it("an eventId repeated inside one batch: the first is new and stored, the others duplicate", async () => {
        const userId = uid("user");
        const [a, b, c] = newEvents(3, { userId });
        if (!a || !b || !c) throw new Error("unreachable");
        const aAgain = { ...a, eventType: "CONVERSION" as EventType, extraData: { again: true } };
        const results = await store().recordEvents([a, b, aAgain, c, a]);
        expect(results.map((r) => [r.eventId, r.duplicate])).toEqual([
          [a.eventId, false],
          [b.eventId, false],
          [a.eventId, true],
          [c.eventId, false],
          [a.eventId, true],
        ]);
        expect(results[2]?.receivedAt).toBe(results[0]?.receivedAt);
        expect(results[4]?.receivedAt).toBe(results[0]?.receivedAt);
        expect(await store().count({ userIds: [userId] })).toBe(3);
        const { records } = await exportAll(store(), { userIds: [userId] });
        expect(sortedById(records)).toEqual(
          sortedById([
            storedEvent(a, results[0]?.receivedAt ?? ""),
            storedEvent(b, results[1]?.receivedAt ?? ""),
            storedEvent(c, results[3]?.receivedAt ?? ""),
          ]),
        );
      });

      it("a batch mixing stored and new events stores every new one, also those after a duplicate", async () => {
        const userId = uid("user");
        const [a, b, c, d, e] = newEvents(5, { userId });
        if (!a || !b || !c || !d || !e) throw new Error("unreachable");
        const first = await store().recordEvents([a, b]);
        const results = await store().recordEvents([c, a, d, b, e]);
        expect(results.map((r) => [r.eventId, r.duplicate])).toEqual([
          [c.eventId, false],
          [a.eventId, true],
          [d.eventId, false],
          [b.eventId, true],
          [e.eventId, false],
        ]);
        expect(results[1]?.receivedAt).toBe(first[0]?.receivedAt);
        expect(results[3]?.receivedAt).toBe(first[1]?.receivedAt);
        const ids = idsOf((await exportAll(store(), { userIds: [userId] })).records);
        expect(ids).toEqual(
          inWriteOrder(ids, [
            [a.eventId, b.eventId],
            [c.eventId, d.eventId, e.eventId],
          ]),
        );
        expect(await store().count({ userIds: [userId] })).toBe(5);
      });

      it("two concurrent batches with overlapping ids store each event once and report it new exactly once", async () => {
        for (let round = 0; round < 3; round++) {
          const userId = uid("user");
          const events = newEvents(30, { userId });
          const left = events.slice(0, 20);
          const right = events.slice(10).reverse();
          const [l, r] = await Promise.all([store().recordEvents(left), store().recordEvents(right)]);
          expect(l.map((x) => x.eventId)).toEqual(left.map((e) => e.eventId));
          expect(r.map((x) => x.eventId)).toEqual(right.map((e) => e.eventId));

          const { records } = await exportAll(store(), { userIds: [userId] });
          expect(new Set(idsOf(records))).toEqual(new Set(events.map((e) => e.eventId)));
          expect(records).toHaveLength(30);
          expect(await store().count({ userIds: [userId] })).toBe(30);

          const receivedAt = new Map(records.map((x) => [x.id, x.receivedAt]));
          const reports = [...l, ...r];
          for (const e of events) {
            const mine = reports.filter((x) => x.eventId === e.eventId);
            expect(
              mine.filter((x) => !x.duplicate),
              `${e.eventId} reported new by exactly one call`,
            ).toHaveLength(1);
            for (const x of mine) expect(x.receivedAt).toBe(receivedAt.get(e.eventId));
          }
        }
      });

      it(`a batch of ${MAX_EVENTS_PER_BATCH} events of the largest extraData is stored whole, and recognised whole when repeated`, async () => {
        const userId = uid("user");
        const events = Array.from({ length: MAX_EVENTS_PER_BATCH }, (_, i) =>
          newEvent({ userId, extraData: { i, text: "x".repeat(MAX_EXTRA_DATA_BYTES - 40) } }),
        );
        const results = await store().recordEvents(events);
        expect(results.filter((r) => !r.duplicate)).toHaveLength(MAX_EVENTS_PER_BATCH);
        expect(await store().count({ userIds: [userId] })).toBe(MAX_EVENTS_PER_BATCH);
        const again = await store().recordEvents(events);
        expect(again.filter((r) => r.duplicate)).toHaveLength(MAX_EVENTS_PER_BATCH);
        const { records } = await exportAll(store(), { userIds: [userId] }, 100);
        expect(records).toHaveLength(MAX_EVENTS_PER_BATCH);
        const extraData = new Map(records.map((r) => [r.id, (r as EventRecord).extraData]));
        expect(events.map((e) => extraData.get(e.eventId))).toEqual(events.map((e) => e.extraData));
      });
    });

    describe("conversationTurns", () => {
      it("returns the conversation's turns of that participant only, oldest first", async () => {
        const userId = uid("user");
        const otherUser = uid("user");
        const conversationId = uid("conversation");
        const turns: QueryRecord[] = [];
        for (const query of ["first?", "second?", "third?"]) {
          turns.push(await store().recordQuery(newQuery({ userId, conversationId, query })));
          // Another participant in a conversation of the same id, and another conversation of this one.
          await store().recordQuery(newQuery({ userId: otherUser, conversationId }));
          await store().recordQuery(newQuery({ userId }));
        }
        expect(await store().conversationTurns(conversationId, userId)).toEqual(turns);
      });

      it("returns an empty list for a conversation without turns", async () => {
        const userId = uid("user");
        await store().recordQuery(newQuery({ userId }));
        expect(await store().conversationTurns(uid("conversation"), userId)).toEqual([]);
      });
    });

    describe("exportPage and count: filters", () => {
      /**
       * One fixture for the filter tests, made once: three participants in
       * two sessions of their own, both kinds and every event type, in three
       * groups stored a few milliseconds apart (times t1 < t2 < t3).
       */
      type Fixture = {
        users: [string, string, string];
        sessions: [string, string];
        records: LogRecord[];
        t: [string, string, string];
      };
      let fixture: Promise<Fixture> | null = null;
      const makeFixture = async (): Promise<Fixture> => {
        const [u1, u2, u3] = [uid("user"), uid("user"), uid("user")];
        const [s1, s2] = [uid("session"), uid("session")];
        const written: string[][] = [];
        const firstOfGroup: string[] = [];
        const query = async (userId: string, sessionId: string) => {
          const q = await store().recordQuery(newQuery({ userId, sessionId }));
          written.push([q.id]);
          return q.receivedAt;
        };
        const events = async (list: [string, string, EventType][]) => {
          const batch = list.map(([userId, sessionId, eventType]) =>
            newEvent({ userId, sessionId, eventType }),
          );
          const results = await store().recordEvents(batch);
          written.push(batch.map((e) => e.eventId));
          return results[0]?.receivedAt ?? "";
        };
        firstOfGroup.push(await query(u1, s1));
        await events([
          [u1, s1, "BROWSE"],
          [u1, s1, "CLICK"],
          [u2, s1, "SCROLL"],
        ]);
        await sleep(10);
        firstOfGroup.push(await query(u1, s2));
        await events([
          [u2, s2, "CONVERSION"],
          [u2, s2, "CLICK"],
          [u3, s1, "CLICK"],
        ]);
        await sleep(10);
        firstOfGroup.push(
          await events([
            [u1, s2, "SCROLL"],
            [u3, s2, "BROWSE"],
          ]),
        );
        await query(u2, s1);
        await query(u3, s2);

        // The store's own order is the reference for the cases (filters keep it).
        const { records } = await exportAll(store(), { userIds: [u1, u2, u3] });
        expect(idsOf(records)).toEqual(inWriteOrder(idsOf(records), written));
        const [t1, t2, t3] = firstOfGroup;
        if (!t1 || !t2 || !t3) throw new Error("unreachable");
        // The time filters below need the groups apart in server time.
        expect(Date.parse(t1)).toBeLessThan(Date.parse(t2));
        expect(Date.parse(t2)).toBeLessThan(Date.parse(t3));
        return { users: [u1, u2, u3], sessions: [s1, s2], records, t: [t1, t2, t3] };
      };
      const getFixture = () => {
        fixture ??= makeFixture();
        return fixture;
      };

      const cases: [string, (f: Fixture) => ExportFilter][] = [
        ["no filter but the participants: all their records", (f) => ({ userIds: f.users })],
        ["kinds [QUERY]: queries only", (f) => ({ userIds: f.users, kinds: ["QUERY"] })],
        ["kinds [EVENT]: events only", (f) => ({ userIds: f.users, kinds: ["EVENT"] })],
        ["kinds [QUERY, EVENT]: both", (f) => ({ userIds: f.users, kinds: ["QUERY", "EVENT"] })],
        ["userIds of one participant", (f) => ({ userIds: [f.users[0]] })],
        ["userIds of two participants", (f) => ({ userIds: [f.users[0], f.users[1]] })],
        ["userIds of nobody who stored anything: nothing", () => ({ userIds: [uid("user")] })],
        ["sessionIds of one session, over all participants", (f) => ({ sessionIds: [f.sessions[0]] })],
        ["sessionIds of two sessions", (f) => ({ sessionIds: [...f.sessions] })],
        [
          "eventTypes [CLICK]: CLICK events only, no queries",
          (f) => ({ userIds: f.users, eventTypes: ["CLICK"] }),
        ],
        ["eventTypes [CLICK, SCROLL]", (f) => ({ userIds: f.users, eventTypes: ["CLICK", "SCROLL"] })],
        [
          "eventTypes of every type: every event, still no queries",
          (f) => ({ userIds: f.users, eventTypes: [...EVENT_TYPES] }),
        ],
        [
          "eventTypes with kinds [QUERY]: nothing",
          (f) => ({ userIds: f.users, kinds: ["QUERY"], eventTypes: ["CLICK"] }),
        ],
        [
          "eventTypes with kinds [EVENT]",
          (f) => ({ userIds: f.users, kinds: ["EVENT"], eventTypes: ["BROWSE", "CONVERSION"] }),
        ],
        ["from a record's receivedAt: includes that record", (f) => ({ userIds: f.users, from: f.t[1] })],
        ["to a record's receivedAt: excludes that record", (f) => ({ userIds: f.users, to: f.t[1] })],
        [
          "from and to: from inclusive, to exclusive",
          (f) => ({ userIds: f.users, from: f.t[1], to: f.t[2] }),
        ],
        [
          "from and to between records' times",
          (f) => ({ userIds: f.users, from: plusMs(f.t[0], 1), to: plusMs(f.t[1], 1) }),
        ],
        ["from equal to to: nothing", (f) => ({ userIds: f.users, from: f.t[1], to: f.t[1] })],
        ["from after every record: nothing", (f) => ({ userIds: f.users, from: plusMs(f.t[2], 3_600_000) })],
        ["to before every record: nothing", (f) => ({ userIds: f.users, to: plusMs(f.t[0], -3_600_000) })],
        [
          "userIds, sessionIds and eventTypes together",
          (f) => ({
            userIds: [f.users[1], f.users[2]],
            sessionIds: [f.sessions[0]],
            eventTypes: ["CLICK", "SCROLL"],
          }),
        ],
        [
          "userIds, kinds and from together",
          (f) => ({ userIds: [f.users[0], f.users[1]], kinds: ["QUERY"], from: f.t[1] }),
        ],
        [
          "sessionIds, kinds, eventTypes, from and to together",
          (f) => ({
            sessionIds: [f.sessions[1]],
            kinds: ["EVENT"],
            eventTypes: ["CLICK", "BROWSE"],
            from: f.t[1],
            to: plusMs(f.t[2], 1),
          }),
        ],
        ["an empty kinds list: nothing, anywhere in the store", () => ({ kinds: [] })],
        ["an empty userIds list: nothing, anywhere in the store", () => ({ userIds: [] })],
        ["an empty sessionIds list: nothing, anywhere in the store", () => ({ sessionIds: [] })],
        ["an empty eventTypes list: nothing, anywhere in the store", () => ({ eventTypes: [] })],
        [
          "an empty list beside non-empty ones: nothing",
          (f) => ({ userIds: f.users, sessionIds: [...f.sessions], eventTypes: [] }),
        ],
      ];

      it.each(cases)("%s; count agrees", async (_name, makeFilter) => {
        const f = await getFixture();
        const filter = makeFilter(f);
        const expected = f.records.filter((r) => matches(r, filter));
        const { records } = await exportAll(store(), filter);
        expect(idsOf(records)).toEqual(idsOf(expected));
        expect(records).toEqual(expected);
        // The same over small pages, so filters and cursors work together.
        expect(idsOf((await exportAll(store(), filter, 2)).records)).toEqual(idsOf(expected));
        expect(await store().count(filter)).toBe(expected.length);
      });

      it("the fixture covers what the filters need: each case above that expects records gets some", async () => {
        const f = await getFixture();
        const nonEmpty = cases.filter(([, make]) => f.records.some((r) => matches(r, make(f))));
        // A fixture too small would make most cases vacuous.
        expect(nonEmpty.length).toBeGreaterThanOrEqual(18);
      });
    });

    describe("exportPage: pagination", () => {
      /**
       * Stores `count` records of one participant, queries and batches of two
       * events in turn, one write after another; returns their ids by write.
       */
      async function storeMixed(userId: string, count: number): Promise<string[][]> {
        const groups: string[][] = [];
        let stored = 0;
        while (stored < count) {
          if (groups.length % 2 === 0) {
            groups.push([(await store().recordQuery(newQuery({ userId }))).id]);
          } else {
            const batch = newEvents(Math.min(2, count - stored), { userId });
            await store().recordEvents(batch);
            groups.push(batch.map((e) => e.eventId));
          }
          stored += groups.at(-1)?.length ?? 0;
        }
        return groups;
      }

      it("pages through 60 records 7 at a time: full pages, none missed or repeated, hasNextPage false at the end", async () => {
        const userId = uid("user");
        const written = await storeMixed(userId, 60);
        const { records, pageSizes } = await exportAll(store(), { userIds: [userId] }, 7);
        expect(idsOf(records)).toEqual(inWriteOrder(idsOf(records), written));
        expect(pageSizes).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
        expect(await store().count({ userIds: [userId] })).toBe(60);
        expectNonDecreasingTimes(records);
      });

      it("when the records fill the last page exactly, that page has hasNextPage false", async () => {
        const userId = uid("user");
        const written = await storeMixed(userId, 14);
        const { records, pageSizes } = await exportAll(store(), { userIds: [userId] }, 7);
        expect(idsOf(records)).toEqual(inWriteOrder(idsOf(records), written));
        expect(pageSizes).toEqual([7, 7]);
      });

      it("after the last record's cursor: an empty page, hasNextPage false", async () => {
        const userId = uid("user");
        await storeMixed(userId, 3);
        const { cursors } = await exportAll(store(), { userIds: [userId] });
        const page = await store().exportPage({ userIds: [userId] }, 10, cursors.at(-1) ?? null);
        expect(page).toEqual({ records: [], hasNextPage: false });
      });

      it("continuing after any record's cursor starts right after that record", async () => {
        const userId = uid("user");
        await storeMixed(userId, 8);
        const { records, cursors } = await exportAll(store(), { userIds: [userId] });
        const ids = idsOf(records);
        expect(ids).toHaveLength(8);
        for (const [i, cursor] of cursors.entries()) {
          const page = await store().exportPage({ userIds: [userId] }, 3, cursor);
          expect(idsOf(page.records.map((r) => r.record))).toEqual(ids.slice(i + 1, i + 4));
          expect(page.hasNextPage).toBe(i + 4 < ids.length);
        }
      });

      it("records stored between page reads appear at the end, none missed or repeated", async () => {
        const userId = uid("user");
        const filter = { userIds: [userId] };
        const written = await storeMixed(userId, 10);
        const seen: string[] = [];
        let after: string | null = null;
        let reads = 0;
        for (;;) {
          const page = await store().exportPage(filter, 4, after);
          seen.push(...page.records.map((r) => r.record.id));
          reads++;
          if (reads <= 2) {
            // More of the same participant, while a reader is half-way.
            written.push([(await store().recordQuery(newQuery({ userId }))).id]);
            const batch = newEvents(2, { userId });
            await store().recordEvents(batch);
            written.push(batch.map((e) => e.eventId));
          }
          const last = page.records.at(-1);
          if (!page.hasNextPage || !last) break;
          after = last.cursor;
        }
        expect(seen).toEqual(inWriteOrder(seen, written));
        expect(seen).toHaveLength(16);
      });

      it("records stored in the same instant page in one stable order, none missed or repeated at a page boundary", async () => {
        const userId = uid("user");
        const sessionId = uid("session");
        const before = await store().recordQuery(newQuery({ userId, sessionId }));
        // One batch shares (about) one receivedAt; concurrent writes beside it land in the same instant or close.
        const batch = newEvents(25, { userId, sessionId });
        const others = newEvents(5, { userId, sessionId, eventType: "CLICK" });
        const queries = Array.from({ length: 3 }, () => newQuery({ userId, sessionId }));
        await Promise.all([
          store().recordEvents(batch),
          store().recordEvents(others),
          ...queries.map((q) => store().recordQuery(q)),
        ]);
        const after = await store().recordQuery(newQuery({ userId, sessionId }));
        const concurrent = [...[...batch, ...others].map((e) => e.eventId), ...queries.map((q) => q.id)];

        const whole = idsOf((await exportAll(store(), { userIds: [userId] })).records);
        expect(whole).toEqual(inWriteOrder(whole, [[before.id], concurrent, [after.id]]));
        for (const first of [1, 2, 4, 7, 10]) {
          const paged = idsOf((await exportAll(store(), { userIds: [userId] }, first)).records);
          expect(paged, `pages of ${first}`).toEqual(whole);
        }
        // Another filter over the same records (by session) pages in the same order.
        expect(idsOf((await exportAll(store(), { sessionIds: [sessionId] }, 3)).records)).toEqual(whole);
      });

      it("export order never goes back in server time, also for concurrent writes", async () => {
        const userId = uid("user");
        await Promise.all([
          ...Array.from({ length: 5 }, () => store().recordQuery(newQuery({ userId }))),
          ...Array.from({ length: 5 }, () => store().recordEvents(newEvents(3, { userId }))),
        ]);
        await storeMixed(userId, 6);
        const { records } = await exportAll(store(), { userIds: [userId] }, 4);
        expect(records).toHaveLength(26);
        expectNonDecreasingTimes(records);
      });

      it("a filter that matches nothing: no records, hasNextPage false, count 0", async () => {
        const filter = { userIds: [uid("user")] };
        expect(await store().exportPage(filter, 10, null)).toEqual({ records: [], hasNextPage: false });
        expect(await store().count(filter)).toBe(0);
      });
    });

    describe("errors and health", () => {
      it("a garbage cursor is refused with InvalidCursorError", async () => {
        const userId = uid("user");
        await store().recordQuery(newQuery({ userId }));
        for (const cursor of [
          "not a cursor",
          "!!!",
          "%%%",
          "====",
          "🙂",
          "",
          " ",
          "null",
          "-1",
          "a".repeat(2000),
        ]) {
          await expect(
            store().exportPage({ userIds: [userId] }, 5, cursor),
            JSON.stringify(cursor.slice(0, 20)),
          ).rejects.toBeInstanceOf(InvalidCursorError);
        }
      });

      it("a cursor-looking string that the store did not make is refused with InvalidCursorError", async () => {
        const userId = uid("user");
        await storeQueries(store(), userId, 2);
        const { cursors } = await exportAll(store(), { userIds: [userId] });
        const real = cursors[0] ?? "";
        const forged = [
          ...["v1:abc", "v1:-1", "v1:1.5", "v1:", "v1:1e3", "v1:99999999999999999999999", "v0:1", "v9:1"],
          ...["-1", "{}", "[]", "null", "true", "NaN", "undefined", "cursor"],
        ].map(base64url);
        for (const cursor of [...forged, `${real}!`, `!${real}`, `${real}.${real}`]) {
          await expect(store().exportPage({ userIds: [userId] }, 5, cursor), cursor).rejects.toBeInstanceOf(
            InvalidCursorError,
          );
        }
      });

      it("ping answers ok with a latency in milliseconds; the store has a name", async () => {
        const health = await store().ping();
        expect(health.ok).toBe(true);
        expect(typeof health.latencyMs).toBe("number");
        expect(Number.isFinite(health.latencyMs)).toBe(true);
        expect(health.latencyMs).toBeGreaterThanOrEqual(0);
        expect(health.detail === null || typeof health.detail === "string").toBe(true);
        expect(store().name).toMatch(/\S/);
      });
    });
  });
}

async function storeQueries(store: Store, userId: string, count: number): Promise<QueryRecord[]> {
  const stored: QueryRecord[] = [];
  for (let i = 0; i < count; i++) stored.push(await store.recordQuery(newQuery({ userId })));
  return stored;
}
