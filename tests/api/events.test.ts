import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  appOn,
  countingDb,
  type EventInput,
  exportAll,
  ISO_MS_Z,
  logEventOk,
  logEvents,
  makeEvents,
  onlyError,
  storedCount,
  uid,
} from "./helpers";
import { gql, testApp } from "./support";

describe("logEvent", () => {
  it("stores every field of an event, and export returns them as sent", async () => {
    const userId = uid();
    const sessionId = uid();
    const eventId = uid();
    const queryId = uid();
    const extraData = { scrollDepth: 0.75, label: "größe ✓", nested: { list: [1, "two", null, true] } };
    const app = testApp();
    const logged = await logEventOk(app, {
      eventId,
      userId,
      sessionId,
      prolificStudyId: "study-1",
      eventType: "SCROLL",
      query: "Is coffee good for me?",
      queryId,
      targetUrl: "https://example.org/a?b=c#d",
      pageUrl: "https://study.example/chat",
      extraData,
      clientTime: "2026-05-06T07:08:09.010-05:00",
    });
    expect(logged.eventId).toBe(eventId);
    expect(logged.duplicate).toBe(false);
    expect(logged.receivedAt).toMatch(ISO_MS_Z);

    const { nodes, totalCount } = await exportAll(app, { userIds: [userId] });
    expect(totalCount).toBe(1);
    expect(nodes).toEqual([
      {
        __typename: "EventRecord",
        id: eventId,
        eventId,
        userId,
        sessionId,
        prolificStudyId: "study-1",
        eventType: "SCROLL",
        eventQuery: "Is coffee good for me?",
        queryId,
        targetUrl: "https://example.org/a?b=c#d",
        pageUrl: "https://study.example/chat",
        extraData,
        clientTime: "2026-05-06T12:08:09.010Z",
        receivedAt: logged.receivedAt,
      },
    ]);
  });

  it("stores an event with only the required fields, the optional ones null", async () => {
    const userId = uid();
    const app = testApp();
    await logEventOk(app, { eventId: uid(), userId, sessionId: uid(), eventType: "BROWSE" });
    const { nodes } = await exportAll(app, { userIds: [userId] });
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({
      eventType: "BROWSE",
      prolificStudyId: null,
      eventQuery: null,
      queryId: null,
      targetUrl: null,
      pageUrl: null,
      extraData: null,
      clientTime: null,
    });
  });

  it("keeps JSON values of every kind in extraData", async () => {
    const userId = uid();
    const app = testApp();
    const values = ["just text", 42, 0.5, false, [1, 2, 3], { a: { b: { c: "deep" } } }];
    for (const extraData of values) {
      await logEventOk(app, { eventId: uid(), userId, sessionId: "s", eventType: "CONVERSION", extraData });
    }
    const { nodes } = await exportAll(app, { userIds: [userId] });
    expect(nodes.map((n) => n.extraData)).toEqual(values);
  });

  it("is idempotent: the same eventId again is a duplicate with the first receivedAt, stored once", async () => {
    const userId = uid();
    const eventId = uid();
    const app = testApp();
    const first = await logEventOk(app, {
      eventId,
      userId,
      sessionId: "s1",
      eventType: "CLICK",
      extraData: { attempt: 1 },
    });
    // A retry of the same event, e.g. after a lost response; sent again with other content.
    const second = await logEventOk(app, {
      eventId,
      userId,
      sessionId: "s1",
      eventType: "CLICK",
      extraData: { attempt: 2 },
    });

    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ eventId, duplicate: true, receivedAt: first.receivedAt });

    const { nodes, totalCount } = await exportAll(app, { userIds: [userId] });
    expect(totalCount).toBe(1);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]?.extraData).toEqual({ attempt: 1 });
  });
});

describe("logEvents", () => {
  it("stores a batch in its order, and a repeated eventId inside it once", async () => {
    const userId = uid();
    const [a, b, c] = makeEvents(3, { userId });
    if (!a || !b || !c) throw new Error("makeEvents");
    const app = testApp();
    const result = await logEvents(app, [a, b, { ...a, extraData: { repeated: true } }, c]);
    expect(result.errors).toBeUndefined();
    expect(result.data?.logEvents).toEqual({ accepted: 3, duplicates: 1 });

    const { nodes } = await exportAll(app, { userIds: [userId] });
    expect(nodes.map((n) => n.eventId)).toEqual([a.eventId, b.eventId, c.eventId]);
    expect(nodes[0]?.extraData).toEqual(a.extraData);

    // The whole batch again (a tracker resending after a reload): all duplicates.
    const again = await logEvents(app, [a, b, c]);
    expect(again.data?.logEvents).toEqual({ accepted: 0, duplicates: 3 });
    expect(await storedCount({ userIds: [userId] })).toBe(3);
  });

  it("counts events stored by an earlier logEvent as duplicates", async () => {
    const userId = uid();
    const [a, b] = makeEvents(2, { userId });
    if (!a || !b) throw new Error("makeEvents");
    const app = testApp();
    await logEventOk(app, a);
    const result = await logEvents(app, [a, b]);
    expect(result.data?.logEvents).toEqual({ accepted: 1, duplicates: 1 });
    expect(await storedCount({ userIds: [userId] })).toBe(2);
  });

  it("accepts an empty batch", async () => {
    const result = await gql<{ logEvents: { accepted: number; duplicates: number } }>(
      testApp(),
      "mutation { logEvents(events: []) { accepted duplicates } }",
      {},
      { participant: { userId: uid(), sessionId: uid() } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.logEvents).toEqual({ accepted: 0, duplicates: 0 });
  });

  it("accepts 500 events and stores all of them, in order", async () => {
    const userId = uid();
    const events = makeEvents(500, { userId });
    const app = testApp();
    const result = await logEvents(app, events);
    expect(result.errors).toBeUndefined();
    expect(result.data?.logEvents).toEqual({ accepted: 500, duplicates: 0 });

    const { nodes, totalCount } = await exportAll(app, { userIds: [userId] });
    expect(totalCount).toBe(500);
    expect(nodes.map((n) => n.eventId)).toEqual(events.map((e) => e.eventId));
    expect(nodes.map((n) => n.extraData)).toEqual(events.map((e) => e.extraData));
  });

  it("rejects 501 events with BAD_USER_INPUT and writes none of them", async () => {
    const userId = uid();
    const result = await logEvents(testApp(), makeEvents(501, { userId }));
    expect(result.data).toBeNull();
    const error = onlyError(result);
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain("500");
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("names every invalid event and field of a batch, by index, and writes none of them", async () => {
    const userId = uid();
    const [a, b, c, d] = makeEvents(4, { userId }) as [EventInput, EventInput, EventInput, EventInput];
    const result = await logEvents(testApp(), [
      a,
      { ...b, eventId: "bad\u0007id" },
      c,
      { ...d, extraData: { text: "x".repeat(9000) }, pageUrl: `https://study.example/${"p".repeat(2100)}` },
    ]);
    expect(result.data).toBeNull();
    const error = onlyError(result);
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain("events.1.eventId: must not contain control characters");
    expect(error.message).toContain("events.3.pageUrl: must be at most 2048 characters");
    expect(error.message).toContain("events.3.extraData: must be at most 8192 bytes of JSON");
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("takes optional fields sent as null as left out, and trims the message as the rule says", async () => {
    const userId = uid();
    const app = testApp();
    const [event] = makeEvents(1, { userId });
    const result = await logEvents(app, [
      { ...event, prolificStudyId: null, studyId: null, queryId: null, targetUrl: null, query: "  asked  " },
    ]);
    expect(result.errors).toBeUndefined();
    const { nodes } = await exportAll(app, { userIds: [userId] });
    expect(nodes.map((n) => [n.eventQuery, n.queryId, n.targetUrl, n.prolificStudyId])).toEqual([
      ["asked", null, null, null],
    ]);
  });

  it("rejects the whole batch when one event is invalid, and writes none of them", async () => {
    const userId = uid();
    const events = makeEvents(3, { userId });
    const result = await logEvents(testApp(), [
      ...events,
      { ...makeEvents(1, { userId })[0], sessionId: "" },
    ]);
    expect(result.data).toBeNull();
    expect(onlyError(result).code).toBe("BAD_USER_INPUT");
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("writes 500 events in one round trip to D1", async () => {
    const userId = uid();
    const { db, calls } = countingDb(env.DB);
    const result = await logEvents(appOn(db), makeEvents(500, { userId }));
    expect(result.errors).toBeUndefined();
    expect(result.data?.logEvents).toEqual({ accepted: 500, duplicates: 0 });
    expect(calls).toEqual(["batch"]);
    expect(await storedCount({ userIds: [userId] })).toBe(500);
  });

  it("writes 500 events of the largest allowed extraData in one round trip", async () => {
    const userId = uid();
    // 8 KiB of JSON each: a string of 8190 characters plus its two quotes.
    const extraData = "x".repeat(8 * 1024 - 2);
    const events = makeEvents(500, { userId }).map((e) => ({ ...e, extraData }));
    const { db, calls } = countingDb(env.DB);
    const result = await logEvents(appOn(db), events);
    expect(result.errors).toBeUndefined();
    expect(result.data?.logEvents).toEqual({ accepted: 500, duplicates: 0 });
    expect(calls).toEqual(["batch"]);

    const { nodes } = await exportAll(testApp(), { userIds: [userId] });
    expect(nodes).toHaveLength(500);
    expect(nodes.every((n) => n.extraData === extraData)).toBe(true);
    expect(nodes.map((n) => n.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it("finds a repeated eventId however far apart in a large batch", async () => {
    const userId = uid();
    const extraData = "z".repeat(8 * 1024 - 2);
    const events = makeEvents(499, { userId }).map((e) => ({ ...e, extraData }));
    const first = events[0];
    if (!first) throw new Error("makeEvents");
    const result = await logEvents(testApp(), [...events, { ...first, extraData: "last" }]);
    expect(result.errors).toBeUndefined();
    expect(result.data?.logEvents).toEqual({ accepted: 499, duplicates: 1 });
    const { nodes } = await exportAll(testApp(), { userIds: [userId] });
    expect(nodes).toHaveLength(499);
    expect(nodes[0]).toMatchObject({ eventId: first.eventId, extraData });
  });

  it("counts every executing call: a single logEvent is one round trip too", async () => {
    const { db, calls } = countingDb(env.DB);
    const app = appOn(db);
    await logEventOk(app, { eventId: uid(), userId: uid(), sessionId: "s", eventType: "BROWSE" });
    expect(calls).toEqual(["batch"]);
    // The counter does see statements that run on their own (here: the export and its count).
    await exportAll(app, { userIds: [uid()] });
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.slice(1).every((c) => c.startsWith("statement."))).toBe(true);
  });
});
