import { describe, expect, it } from "vitest";
import {
  askOk,
  exportAll,
  exportPageOk,
  exportRecords,
  logEventOk,
  logEvents,
  makeEvents,
  onlyError,
  sleep,
  uid,
} from "./helpers";
import { RESEARCHER_TOKEN, testApp } from "./support";

const cursorOf = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

describe("export: authentication", () => {
  it("refuses a caller without a token: UNAUTHENTICATED and no data", async () => {
    const result = await exportRecords(testApp(), {}, null);
    expect(result.data).toBeNull();
    const error = onlyError(result);
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toContain("Authorization: Bearer");
  });

  it("refuses a wrong token, also one that only shares a prefix with a real one", async () => {
    const app = testApp();
    // Something to leak, were the check broken.
    const userId = uid();
    await logEventOk(app, { eventId: uid(), userId, sessionId: "s", eventType: "BROWSE" });

    for (const token of [
      "wrong-token-0123456789abcdef",
      `${RESEARCHER_TOKEN}x`,
      RESEARCHER_TOKEN.slice(0, -1),
    ]) {
      const result = await exportRecords(app, { filter: { userIds: [userId] } }, token);
      expect(result.data, token).toBeNull();
      expect(onlyError(result).code).toBe("UNAUTHENTICATED");
      expect(JSON.stringify(result)).not.toContain(userId);
      expect(JSON.stringify(result)).not.toContain(RESEARCHER_TOKEN);
    }
    // The same request with the right token sees the record.
    const ok = await exportRecords(app, { filter: { userIds: [userId] } });
    expect(ok.data?.export.totalCount).toBe(1);
  });

  it("refuses every token when none is configured", async () => {
    const result = await exportRecords(testApp({ RESEARCHER_TOKENS: "" }), {}, RESEARCHER_TOKEN);
    expect(result.data).toBeNull();
    expect(onlyError(result).code).toBe("UNAUTHENTICATED");
  });
});

describe("export: order and filters", () => {
  it("lists queries and events of both kinds together, oldest first", async () => {
    const userId = uid();
    const sessionId = uid();
    const app = testApp();
    const expected: string[] = [];
    expected.push(
      (await logEventOk(app, { eventId: uid(), userId, sessionId, eventType: "BROWSE" })).eventId,
    );
    expected.push((await askOk(app, { userId, sessionId, query: "coffee?" })).id);
    const batch = makeEvents(3, { userId, sessionId });
    await logEvents(app, batch);
    expected.push(...batch.map((e) => e.eventId));
    expected.push((await askOk(app, { userId, sessionId, query: "sleep?" })).id);
    expected.push((await logEventOk(app, { eventId: uid(), userId, sessionId, eventType: "CLICK" })).eventId);

    const { nodes, totalCount } = await exportAll(app, { userIds: [userId] });
    expect(totalCount).toBe(7);
    expect(nodes.map((n) => n.id)).toEqual(expected);
    expect(nodes.map((n) => n.__typename)).toEqual([
      "EventRecord",
      "QueryRecord",
      "EventRecord",
      "EventRecord",
      "EventRecord",
      "QueryRecord",
      "EventRecord",
    ]);
    const times = nodes.map((n) => n.receivedAt);
    expect([...times].sort()).toEqual(times);
  });

  it("filters by kind, participant, session and event type", async () => {
    const [u1, u2, u3] = [uid(), uid(), uid()];
    const [s1, s2] = [uid(), uid()];
    const app = testApp();
    const q1 = await askOk(app, { userId: u1, sessionId: s1, query: "coffee?" });
    const q3 = await askOk(app, { userId: u3, sessionId: s2, query: "coffee?" });
    const click1 = await logEventOk(app, { eventId: uid(), userId: u1, sessionId: s1, eventType: "CLICK" });
    const scroll1 = await logEventOk(app, { eventId: uid(), userId: u1, sessionId: s2, eventType: "SCROLL" });
    const browse2 = await logEventOk(app, { eventId: uid(), userId: u2, sessionId: s1, eventType: "BROWSE" });
    const click3 = await logEventOk(app, { eventId: uid(), userId: u3, sessionId: s2, eventType: "CLICK" });
    const all = [u1, u2, u3];

    const ids = async (filter: Parameters<typeof exportAll>[1]) => {
      const { nodes, totalCount } = await exportAll(app, filter);
      expect(totalCount).toBe(nodes.length);
      return nodes.map((n) => n.id);
    };

    expect(await ids({ userIds: all })).toEqual([
      q1.id,
      q3.id,
      click1.eventId,
      scroll1.eventId,
      browse2.eventId,
      click3.eventId,
    ]);
    expect(await ids({ userIds: all, kinds: ["QUERY"] })).toEqual([q1.id, q3.id]);
    expect(await ids({ userIds: all, kinds: ["EVENT"] })).toEqual([
      click1.eventId,
      scroll1.eventId,
      browse2.eventId,
      click3.eventId,
    ]);
    expect(await ids({ userIds: all, kinds: ["QUERY", "EVENT"] })).toHaveLength(6);
    expect(await ids({ userIds: [u1] })).toEqual([q1.id, click1.eventId, scroll1.eventId]);
    expect(await ids({ userIds: [u2, u3] })).toEqual([q3.id, browse2.eventId, click3.eventId]);
    expect(await ids({ userIds: all, sessionIds: [s1] })).toEqual([q1.id, click1.eventId, browse2.eventId]);
    expect(await ids({ userIds: [u1], sessionIds: [s2] })).toEqual([scroll1.eventId]);
    expect(await ids({ sessionIds: [s1, s2], userIds: [u3] })).toEqual([q3.id, click3.eventId]);
    // Queries have no event type: an event type filter returns events only.
    expect(await ids({ userIds: all, eventTypes: ["CLICK"] })).toEqual([click1.eventId, click3.eventId]);
    expect(await ids({ userIds: all, eventTypes: ["CLICK", "SCROLL"] })).toEqual([
      click1.eventId,
      scroll1.eventId,
      click3.eventId,
    ]);
    expect(await ids({ userIds: all, eventTypes: ["CONVERSION"] })).toEqual([]);
    expect(await ids({ userIds: all, kinds: ["QUERY"], eventTypes: ["CLICK"] })).toEqual([]);
    // An empty list matches nothing; an omitted one does not filter.
    expect(await ids({ userIds: [] })).toEqual([]);
    expect(await ids({ userIds: all, kinds: [] })).toEqual([]);
  });

  it("filters on server time: from is inclusive, to is exclusive", async () => {
    const userId = uid();
    const app = testApp();
    const stamps: string[] = [];
    for (const eventType of ["BROWSE", "CLICK", "SCROLL"]) {
      stamps.push((await logEventOk(app, { eventId: uid(), userId, sessionId: "s", eventType })).receivedAt);
      await sleep(15);
    }
    const [a, b, c] = stamps as [string, string, string];
    expect(a < b && b < c).toBe(true);

    const types = async (range: { from?: string; to?: string }) =>
      (await exportAll(app, { userIds: [userId], ...range })).nodes.map((n) => n.eventType);

    expect(await types({ from: b })).toEqual(["CLICK", "SCROLL"]);
    expect(await types({ to: b })).toEqual(["BROWSE"]);
    expect(await types({ from: b, to: c })).toEqual(["CLICK"]);
    expect(await types({ from: a, to: c })).toEqual(["BROWSE", "CLICK"]);
    expect(await types({ from: b, to: b })).toEqual([]);
    expect(await types({ from: c, to: a })).toEqual([]);
    // One millisecond after b excludes it; the same instant in another zone is the same instant.
    const justAfterB = new Date(Date.parse(b) + 1).toISOString();
    expect(await types({ from: justAfterB })).toEqual(["SCROLL"]);
    const bInBerlin = new Date(Date.parse(b) + 3_600_000).toISOString().replace("Z", "+01:00");
    expect(await types({ from: bInBerlin, to: c })).toEqual(["CLICK"]);
    // totalCount honours the time filter too.
    expect((await exportPageOk(app, { filter: { userIds: [userId], from: b }, first: 1 })).totalCount).toBe(
      2,
    );
  });
});

describe("export: pages", () => {
  it("gives a totalCount equal to the records over all pages, whatever the page size", async () => {
    const userId = uid();
    const app = testApp();
    await logEvents(app, makeEvents(23, { userId }));
    await askOk(app, { userId, sessionId: "s", query: "coffee?" });
    for (const first of [1, 5, 24, 25, 1000]) {
      const { nodes, totalCount, pages } = await exportAll(app, { userIds: [userId] }, first);
      expect(totalCount).toBe(24);
      expect(nodes).toHaveLength(24);
      expect(pages).toBe(Math.max(1, Math.ceil(24 / first)));
      expect(new Set(nodes.map((n) => n.id)).size).toBe(24);
    }
    expect((await exportPageOk(app, { filter: { userIds: [userId], kinds: ["QUERY"] } })).totalCount).toBe(1);
  });

  it("describes each page with Relay pageInfo and cursors", async () => {
    const userId = uid();
    const app = testApp();
    await logEvents(app, makeEvents(10, { userId }));
    const filter = { userIds: [userId] };

    const first = await exportPageOk(app, { filter, first: 4 });
    expect(first.edges).toHaveLength(4);
    expect(first.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.edges[0]?.cursor,
      endCursor: first.edges[3]?.cursor,
    });
    expect(new Set(first.edges.map((e) => e.cursor)).size).toBe(4);

    const second = await exportPageOk(app, { filter, first: 4, after: first.pageInfo.endCursor ?? "" });
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(second.pageInfo.startCursor).toBe(second.edges[0]?.cursor);

    // Any edge's cursor continues right after that edge.
    const fromEdge = await exportPageOk(app, { filter, first: 3, after: first.edges[1]?.cursor ?? "" });
    expect(fromEdge.edges.map((e) => e.node.id)).toEqual([
      first.edges[2]?.node.id,
      first.edges[3]?.node.id,
      second.edges[0]?.node.id,
    ]);

    const last = await exportPageOk(app, { filter, first: 4, after: second.pageInfo.endCursor ?? "" });
    expect(last.edges).toHaveLength(2);
    expect(last.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: last.edges[0]?.cursor,
      endCursor: last.edges[1]?.cursor,
    });
    expect(last.totalCount).toBe(10);

    // After the last record: an empty page, without cursors.
    const beyond = await exportPageOk(app, { filter, first: 4, after: last.pageInfo.endCursor ?? "" });
    expect(beyond.edges).toEqual([]);
    expect(beyond.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });

  it("returns an empty first page without cursors when nothing matches", async () => {
    const page = await exportPageOk(testApp(), { filter: { userIds: [uid()] } });
    expect(page).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it("has no next page when the records fill the last page exactly", async () => {
    const userId = uid();
    const app = testApp();
    await logEvents(app, makeEvents(6, { userId }));
    const first = await exportPageOk(app, { filter: { userIds: [userId] }, first: 3 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await exportPageOk(app, {
      filter: { userIds: [userId] },
      first: 3,
      after: first.pageInfo.endCursor ?? "",
    });
    expect(second.edges).toHaveLength(3);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("pages through 250 records 7 at a time while new ones arrive: none missed or repeated, new ones last", async () => {
    const userId = uid();
    const sessionId = uid();
    const app = testApp();
    const original: string[] = [];
    // 50 rounds of one query and four events: 250 records of both kinds.
    for (let round = 0; round < 50; round++) {
      original.push((await askOk(app, { userId, sessionId, query: `coffee round ${round}` })).id);
      const events = makeEvents(4, { userId, sessionId });
      const result = await logEvents(app, events);
      expect(result.data?.logEvents.accepted).toBe(4);
      original.push(...events.map((e) => e.eventId));
    }

    const filter = { userIds: [userId] };
    const seen: string[] = [];
    const arrived: string[] = [];
    let after: string | undefined;
    let pages = 0;
    let firstTotal = -1;
    for (;;) {
      const page = await exportPageOk(app, { filter, first: 7, ...(after ? { after } : {}) });
      pages++;
      if (firstTotal === -1) firstTotal = page.totalCount;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges).toHaveLength(7);
      after = page.pageInfo.endCursor ?? undefined;

      // Between pages, the study goes on: this participant and another one write.
      if (pages % 3 === 1) {
        arrived.push((await askOk(app, { userId, sessionId, query: `late coffee ${pages}` })).id);
      } else {
        const late = makeEvents(2, { userId, sessionId, eventType: "CLICK" });
        await logEvents(app, late);
        arrived.push(...late.map((e) => e.eventId));
      }
      await logEventOk(app, { eventId: uid(), userId: uid(), sessionId, eventType: "BROWSE" });
      expect(pages).toBeLessThan(200);
    }

    expect(firstTotal).toBe(250);
    expect(arrived.length).toBeGreaterThan(40);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 250)).toEqual(original);
    expect(seen.slice(250)).toEqual(arrived);
    expect(seen).toHaveLength(250 + arrived.length);
    expect((await exportPageOk(app, { filter, first: 1 })).totalCount).toBe(250 + arrived.length);
  });
});

describe("export: bad arguments", () => {
  it("refuses a malformed cursor with BAD_USER_INPUT", async () => {
    const app = testApp();
    const bad = [
      "",
      "zzz",
      "!!!",
      "djE6",
      cursorOf("v2:5"),
      cursorOf("v1:-1"),
      cursorOf("v1:1.5"),
      cursorOf("5"),
    ];
    for (const after of bad) {
      const result = await exportRecords(app, { after });
      expect(result.data, after).toBeNull();
      const error = onlyError(result);
      expect(error.code, after).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("after");
    }
    // A well-formed cursor after everything there is: an empty page, not an error.
    const far = await exportPageOk(app, { after: cursorOf("v1:999999999999") });
    expect(far.edges).toEqual([]);
  });

  it("refuses page sizes outside 1 to 1000 with BAD_USER_INPUT", async () => {
    const app = testApp();
    for (const first of [0, -1, 1001, 100000]) {
      const result = await exportRecords(app, { first });
      expect(result.data, String(first)).toBeNull();
      expect(onlyError(result).code).toBe("BAD_USER_INPUT");
    }
    for (const first of [1, 1000]) {
      const result = await exportRecords(app, { first, filter: { userIds: [uid()] } });
      expect(result.errors).toBeUndefined();
    }
  });

  it("refuses a filter list of more than 100 values with BAD_USER_INPUT", async () => {
    const app = testApp();
    const hundred = Array.from({ length: 100 }, () => uid());
    const userId = hundred[0] ?? "";
    await logEventOk(app, { eventId: uid(), userId, sessionId: "s", eventType: "BROWSE" });

    const ok = await exportRecords(app, {
      filter: { userIds: hundred, sessionIds: ["s", ...hundred.slice(1)] },
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.export.totalCount).toBe(1);

    for (const filter of [{ userIds: [...hundred, uid()] }, { sessionIds: [...hundred, "s"] }]) {
      const result = await exportRecords(app, { filter });
      expect(result.data).toBeNull();
      const error = onlyError(result);
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("100");
    }
  });

  it("refuses a bad DateTime in from or to with BAD_USER_INPUT", async () => {
    const app = testApp();
    for (const filter of [{ from: "yesterday" }, { to: "2026-11-25" }, { from: "2026-11-25T10:00:00" }]) {
      const result = await exportRecords(app, { filter });
      expect(result.data ?? null).toBeNull();
      expect(onlyError(result).code).toBe("BAD_USER_INPUT");
    }
  });
});
