import { describe, expect, it } from "vitest";
import type { ExportFilter, LogRecord, NewEvent, NewQuery } from "../../api/store/store";
import {
  exportAll,
  type GetStore,
  idsOf,
  matches,
  newAssignment,
  newEvent,
  newQuery,
  sortedById,
  storedEvent,
  storedQuery,
  uid,
} from "./shared";

/**
 * Panel identity: the panel participant and session ids every record carries
 * (PROLIFIC_PID, SESSION_ID), the export's panelParticipantIds filter, and
 * panelParticipantCounts (how many participants share a panel id).
 */
export function describeIdentity(store: GetStore): void {
  describe("identity: panel ids on records", () => {
    it("a query's panel ids come back from recordQuery, getQuery, conversationTurns and exportPage", async () => {
      for (const panel of [
        { panelParticipantId: uid("pid"), panelSessionId: uid("panel-session") },
        { panelParticipantId: uid("pid"), panelSessionId: null },
        { panelParticipantId: null, panelSessionId: null },
        { panelParticipantId: "", panelSessionId: "" },
      ]) {
        const q = newQuery({ userId: uid("user"), ...panel });
        const stored = await store().recordQuery(q);
        const expected = storedQuery(q, stored.receivedAt);
        expect(stored).toEqual(expected);
        expect(await store().getQuery(q.id)).toEqual(expected);
        expect(await store().conversationTurns(q.conversationId, q.userId)).toEqual([expected]);
        expect((await exportAll(store(), { userIds: [q.userId] })).records).toEqual([expected]);
      }
    });

    it("events keep their panel ids", async () => {
      const userId = uid("user");
      const events = [
        newEvent({ userId, panelParticipantId: uid("pid"), panelSessionId: uid("panel-session") }),
        newEvent({ userId, panelParticipantId: uid("pid"), panelSessionId: null, eventType: "STUDY_STEP" }),
        newEvent({ userId }),
      ];
      const results = await store().recordEvents(events);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(sortedById(records)).toEqual(
        sortedById(events.map((e, i) => storedEvent(e, results[i]?.receivedAt ?? ""))),
      );
    });
  });

  describe("identity: exportPage and count filter on panelParticipantIds", () => {
    /**
     * Panel ids p1 and p2: p1 used by u1 (two sessions) and u2 (a new
     * session of the same panel participant), p2 by u3 in a study; u4 has no
     * panel id.
     */
    type Fixture = { panels: [string, string]; users: string[]; study: string; records: LogRecord[] };
    let fixture: Promise<Fixture> | null = null;
    const makeFixture = async (): Promise<Fixture> => {
      const [p1, p2] = [uid("pid"), uid("pid")];
      const [u1, u2, u3, u4] = [uid("user"), uid("user"), uid("user"), uid("user")];
      const study = uid("study");
      const panel = (panelParticipantId: string | null, panelSessionId: string | null) => ({
        panelParticipantId,
        panelSessionId,
      });
      const queries: NewQuery[] = [
        newQuery({ userId: u1, ...panel(p1, "s1") }),
        newQuery({ userId: u2, ...panel(p1, "s2") }),
        newQuery({ userId: u3, ...panel(p2, "s3"), studyId: study, condition: "c", studyVersion: 1 }),
        newQuery({ userId: u4, ...panel(null, null) }),
      ];
      const events: NewEvent[] = [
        newEvent({ userId: u1, ...panel(p1, "s1"), eventType: "CLICK" }),
        newEvent({ userId: u1, ...panel(p1, "s1b"), eventType: "SCROLL" }),
        newEvent({ userId: u2, ...panel(p1, "s2"), eventType: "STUDY_STEP" }),
        newEvent({ userId: u3, ...panel(p2, "s3"), eventType: "CLICK", studyId: study }),
        newEvent({ userId: u4, ...panel(null, "s4"), eventType: "CLICK" }),
      ];
      for (const q of queries) await store().recordQuery(q);
      await store().recordEvents(events);
      const users = [u1, u2, u3, u4];
      const { records } = await exportAll(store(), { userIds: users });
      expect(records).toHaveLength(queries.length + events.length);
      return { panels: [p1, p2], users, study, records };
    };
    const getFixture = () => {
      fixture ??= makeFixture();
      return fixture;
    };

    const cases: [string, (f: Fixture) => ExportFilter, number][] = [
      [
        "one panel id: every participant's records with it",
        (f) => ({ panelParticipantIds: [f.panels[0]] }),
        5,
      ],
      ["two panel ids", (f) => ({ panelParticipantIds: [...f.panels] }), 7],
      ["a panel id no record has: nothing", () => ({ panelParticipantIds: [uid("pid")] }), 0],
      ["an empty list: nothing", () => ({ panelParticipantIds: [] }), 0],
      ["with kinds [QUERY]", (f) => ({ panelParticipantIds: [...f.panels], kinds: ["QUERY"] }), 3],
      ["with eventTypes [CLICK]", (f) => ({ panelParticipantIds: [...f.panels], eventTypes: ["CLICK"] }), 2],
      ["with userIds", (f) => ({ panelParticipantIds: [f.panels[0]], userIds: [f.users[1] ?? ""] }), 2],
      ["with studyIds", (f) => ({ panelParticipantIds: [...f.panels], studyIds: [f.study] }), 2],
      [
        "150 panel ids, two of them stored",
        (f) => ({ panelParticipantIds: [...Array.from({ length: 148 }, () => uid("pid")), ...f.panels] }),
        7,
      ],
    ];

    it.each(cases)("%s; count agrees", async (_name, makeFilter, size) => {
      const f = await getFixture();
      const filter = makeFilter(f);
      const expected = f.records.filter((r) => matches(r, filter));
      expect(expected).toHaveLength(size);
      const { records } = await exportAll(store(), filter);
      expect(records).toEqual(expected);
      expect(idsOf((await exportAll(store(), filter, 2)).records)).toEqual(idsOf(expected));
      expect(await store().count(filter)).toBe(size);
    });
  });

  describe("identity: panelParticipantCounts", () => {
    it("counts the distinct participants of each panel id over queries, events and assignments", async () => {
      const [p1, p2, p3, unused] = [uid("pid"), uid("pid"), uid("pid"), uid("pid")];
      const [u1, u2, u3, u4] = [uid("user"), uid("user"), uid("user"), uid("user")];
      // p1: u1 (queries and events), u2 (events only), u3 (an assignment only).
      await store().recordQuery(newQuery({ userId: u1, panelParticipantId: p1 }));
      await store().recordQuery(newQuery({ userId: u1, panelParticipantId: p1 }));
      await store().recordEvents([
        newEvent({ userId: u1, panelParticipantId: p1 }),
        newEvent({ userId: u2, panelParticipantId: p1 }),
      ]);
      await store().assign(newAssignment({ studyId: uid("study"), userId: u3, panelParticipantId: p1 }));
      // p2: u4 everywhere, in two studies.
      await store().recordQuery(newQuery({ userId: u4, panelParticipantId: p2 }));
      await store().recordEvents([newEvent({ userId: u4, panelParticipantId: p2 })]);
      await store().assign(newAssignment({ studyId: uid("study"), userId: u4, panelParticipantId: p2 }));
      await store().assign(newAssignment({ studyId: uid("study"), userId: u4, panelParticipantId: p2 }));
      // p3: u1 again, under another panel id.
      await store().recordEvents([newEvent({ userId: u1, panelParticipantId: p3 })]);

      const counts = await store().panelParticipantCounts([p1, p2, p3, unused]);
      expect(Object.fromEntries(counts)).toEqual({ [p1]: 3, [p2]: 1, [p3]: 1 });
      expect(Object.fromEntries(await store().panelParticipantCounts([p2]))).toEqual({ [p2]: 1 });
      const many = [...Array.from({ length: 150 }, () => uid("pid")), p1];
      expect(Object.fromEntries(await store().panelParticipantCounts(many))).toEqual({ [p1]: 3 });
      expect((await store().panelParticipantCounts([])).size).toBe(0);
      expect((await store().panelParticipantCounts([unused])).size).toBe(0);
    });
  });
}
