import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../api/domain/records";
import type { EventType, ExportFilter, LogRecord } from "../../api/store/store";
import {
  exportAll,
  type GetStore,
  idsOf,
  inWriteOrder,
  matches,
  newEvent,
  newQuery,
  plusMs,
  sleep,
  uid,
} from "./shared";

/**
 * exportPage and count under every filter, alone and together, against the
 * reference semantics (shared.ts: matches) on one fixture made once.
 */
export function describeFilters(store: GetStore): void {
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
      ["from and to: from inclusive, to exclusive", (f) => ({ userIds: f.users, from: f.t[1], to: f.t[2] })],
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
}
