import { describe, expect, it } from "vitest";
import type {
  ExportFilter,
  LogRecord,
  NewEvent,
  NewQuery,
  QueryRecord,
  StudyTag,
} from "../../api/store/store";
import {
  exportAll,
  type GetStore,
  idsOf,
  matches,
  newEvent,
  newQuery,
  sleep,
  sortedById,
  storedEvent,
  storedQuery,
  uid,
} from "./shared";

/**
 * Studies: the study fields of every record (studyId, condition,
 * studyVersion; a query's ttftMs and stopped), the export's study filters,
 * and a participant's conversations. Assignments are in assignments.ts,
 * withdrawal in withdrawals.ts.
 */
export function describeStudies(store: GetStore): void {
  const tag = (studyId: string | null, condition: string | null, studyVersion: number | null): StudyTag => ({
    studyId,
    condition,
    studyVersion,
  });

  describe("studies: the study fields of records", () => {
    it("a query's study fields, ttftMs and stopped come back from recordQuery, getQuery, conversationTurns and exportPage", async () => {
      for (const fields of [
        { ...tag(uid("study"), "treatment", 7), ttftMs: 85, stopped: true },
        { ...tag(uid("study"), null, 1), ttftMs: null, stopped: false },
        { ...tag(null, null, null), ttftMs: 0, stopped: false },
        { ...tag(uid("study"), "control", 0), ttftMs: 12, stopped: false },
      ]) {
        const q = newQuery({ userId: uid("user"), ...fields });
        const stored = await store().recordQuery(q);
        const expected = storedQuery(q, stored.receivedAt);
        expect(stored).toEqual(expected);
        expect(await store().getQuery(q.id)).toEqual(expected);
        expect(await store().conversationTurns(q.conversationId, q.userId)).toEqual([expected]);
        expect((await exportAll(store(), { userIds: [q.userId] })).records).toEqual([expected]);
      }
    });

    it("events keep their study fields; STUDY_STEP events are stored and exported like any other", async () => {
      const userId = uid("user");
      const studyId = uid("study");
      const events = [
        newEvent({ userId, ...tag(studyId, null, 2), eventType: "STUDY_STEP", extraData: { step: "info" } }),
        newEvent({
          userId,
          ...tag(studyId, "control", 2),
          eventType: "STUDY_STEP",
          extraData: { step: "consent" },
        }),
        newEvent({
          userId,
          ...tag(studyId, "control", 2),
          eventType: "CLICK",
          targetUrl: "https://a.example",
        }),
        newEvent({ userId, ...tag(null, null, null), eventType: "SCROLL" }),
      ];
      const results = await store().recordEvents(events);
      expect(results.map((r) => r.duplicate)).toEqual([false, false, false, false]);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(sortedById(records)).toEqual(
        sortedById(events.map((e, i) => storedEvent(e, results[i]?.receivedAt ?? ""))),
      );
      const steps = await exportAll(store(), { userIds: [userId], eventTypes: ["STUDY_STEP"] });
      expect(new Set(idsOf(steps.records))).toEqual(new Set([events[0]?.eventId, events[1]?.eventId]));
      expect(await store().count({ userIds: [userId], eventTypes: ["STUDY_STEP"] })).toBe(2);
    });
  });

  describe("studies: exportPage and count filter on studyIds and conditions", () => {
    /**
     * Two fresh studies A and B and two fresh condition names c1 and c2 (used
     * in both studies, so a conditions filter alone spans studies): u1 in A/c1
     * (and one query in B/c2), u2 in A/c2 (and a step in A before consent,
     * condition null), u3 in B/c1, u4 outside any study.
     */
    type Fixture = {
      studies: [string, string];
      conditions: [string, string];
      users: [string, string, string, string];
      sessions: [string, string];
      records: LogRecord[];
    };
    let fixture: Promise<Fixture> | null = null;
    const makeFixture = async (): Promise<Fixture> => {
      const [a, b] = [uid("study-a"), uid("study-b")];
      const [c1, c2] = [uid("c1"), uid("c2")];
      const [u1, u2, u3, u4] = [uid("user"), uid("user"), uid("user"), uid("user")];
      const [s1, s2] = [uid("session"), uid("session")];
      const queries: NewQuery[] = [
        newQuery({ userId: u1, sessionId: s1, ...tag(a, c1, 1) }),
        newQuery({ userId: u1, sessionId: s1, ...tag(b, c2, 4) }),
        newQuery({ userId: u2, sessionId: s2, ...tag(a, c2, 1) }),
        newQuery({ userId: u3, sessionId: s2, ...tag(b, c1, 4) }),
        newQuery({ userId: u4, sessionId: s1, ...tag(null, null, null) }),
      ];
      const events: NewEvent[] = [
        newEvent({ userId: u1, sessionId: s1, ...tag(a, c1, 1), eventType: "CLICK" }),
        newEvent({ userId: u1, sessionId: s1, ...tag(a, c1, 1), eventType: "STUDY_STEP" }),
        newEvent({ userId: u2, sessionId: s2, ...tag(a, null, 1), eventType: "STUDY_STEP" }),
        newEvent({ userId: u2, sessionId: s2, ...tag(a, c2, 1), eventType: "SCROLL" }),
        newEvent({ userId: u3, sessionId: s2, ...tag(b, c1, 4), eventType: "BROWSE" }),
        newEvent({ userId: u3, sessionId: s1, ...tag(b, c1, 4), eventType: "STUDY_STEP" }),
        newEvent({ userId: u4, sessionId: s1, ...tag(null, null, null), eventType: "CLICK" }),
      ];
      for (const q of queries) await store().recordQuery(q);
      await store().recordEvents(events);

      const { records } = await exportAll(store(), { userIds: [u1, u2, u3, u4] });
      // The reference below is these records: they must carry the study fields as written.
      const written = new Map<string, StudyTag>(
        [...queries.map((q) => [q.id, q] as const), ...events.map((e) => [e.eventId, e] as const)].map(
          ([id, r]) => [id, tag(r.studyId, r.condition, r.studyVersion)],
        ),
      );
      expect(new Set(idsOf(records))).toEqual(new Set(written.keys()));
      for (const r of records) expect(tag(r.studyId, r.condition, r.studyVersion)).toEqual(written.get(r.id));
      return {
        studies: [a, b],
        conditions: [c1, c2],
        users: [u1, u2, u3, u4],
        sessions: [s1, s2],
        records,
      };
    };
    const getFixture = () => {
      fixture ??= makeFixture();
      return fixture;
    };

    const cases: [string, (f: Fixture) => ExportFilter, number][] = [
      [
        "studyIds of one study: its records, whatever their condition",
        (f) => ({ studyIds: [f.studies[0]] }),
        6,
      ],
      ["studyIds of two studies", (f) => ({ studyIds: [...f.studies] }), 10],
      ["studyIds of no stored study: nothing", () => ({ studyIds: [uid("study")] }), 0],
      ["an empty studyIds list: nothing", () => ({ studyIds: [] }), 0],
      ["conditions of one condition, across both studies", (f) => ({ conditions: [f.conditions[0]] }), 6],
      ["conditions of two conditions", (f) => ({ conditions: [...f.conditions] }), 9],
      ["an empty conditions list: nothing", () => ({ conditions: [] }), 0],
      [
        "studyIds and conditions: records of that condition in that study",
        (f) => ({ studyIds: [f.studies[0]], conditions: [f.conditions[0]] }),
        3,
      ],
      [
        "studyIds, conditions and kinds [QUERY]",
        (f) => ({ studyIds: [f.studies[1]], conditions: [f.conditions[0]], kinds: ["QUERY"] }),
        1,
      ],
      ["conditions and kinds [EVENT]", (f) => ({ conditions: [f.conditions[1]], kinds: ["EVENT"] }), 1],
      ["studyIds and userIds", (f) => ({ studyIds: [f.studies[0]], userIds: [f.users[1]] }), 3],
      [
        "studyIds and userIds of a participant outside the study: nothing",
        (f) => ({ studyIds: [f.studies[0]], userIds: [f.users[3]] }),
        0,
      ],
      [
        "conditions and userIds of two participants",
        (f) => ({ conditions: [f.conditions[0]], userIds: [f.users[0], f.users[2]] }),
        6,
      ],
      [
        "studyIds and eventTypes [STUDY_STEP]",
        (f) => ({ studyIds: [...f.studies], eventTypes: ["STUDY_STEP"] }),
        3,
      ],
      [
        "studyIds, conditions, sessionIds and kinds together",
        (f) => ({
          studyIds: [...f.studies],
          conditions: [f.conditions[0]],
          sessionIds: [f.sessions[0]],
          kinds: ["QUERY", "EVENT"],
        }),
        4,
      ],
      [
        "userIds with studyIds beside an empty conditions list: nothing",
        (f) => ({ userIds: f.users, studyIds: [...f.studies], conditions: [] }),
        0,
      ],
    ];

    it.each(cases)("%s; count agrees", async (_name, makeFilter, size) => {
      const f = await getFixture();
      const filter = makeFilter(f);
      const expected = f.records.filter((r) => matches(r, filter));
      // The fixture is known: the reference must find what the case says, so a store that lost the fields fails here.
      expect(expected).toHaveLength(size);
      const { records } = await exportAll(store(), filter);
      expect(records).toEqual(expected);
      expect(idsOf((await exportAll(store(), filter, 2)).records)).toEqual(idsOf(expected));
      expect(await store().count(filter)).toBe(size);
    });
  });

  describe("studies: conversations", () => {
    /** Stores a turn and waits a little, so that turns are apart in server time. */
    const turn = async (fields: Partial<NewQuery> & { userId: string }): Promise<QueryRecord> => {
      const stored = await store().recordQuery(newQuery(fields));
      await sleep(3);
      return stored;
    };

    it("lists the participant's conversations in the study, newest first, with title, turns and times", async () => {
      const userId = uid("user");
      const other = uid("user");
      const study = tag(uid("study"), "control", 1);
      const [c1, c2, c3] = [uid("conversation"), uid("conversation"), uid("conversation")];
      const long = `${"Why is the sky blue? ".repeat(5)}Explain.`;
      const a1 = await turn({ userId, conversationId: c1, ...study, query: "How much coffee is too much?" });
      const b1 = await turn({ userId, conversationId: c2, ...study, query: long });
      // Another participant in a conversation of the same id: never counted.
      await turn({ userId: other, conversationId: c1, ...study, query: "not yours" });
      const a2 = await turn({ userId, conversationId: c1, ...study, query: "And tea?" });
      const c = await turn({ userId, conversationId: c3, ...study, query: "Exactly one turn" });
      const a3 = await turn({ userId, conversationId: c1, ...study, query: "Thanks" });

      const list = await store().conversations(userId, study.studyId);
      expect(list).toEqual([
        {
          conversationId: c1,
          title: "How much coffee is too much?",
          turns: 3,
          startedAt: a1.receivedAt,
          lastAt: a3.receivedAt,
        },
        {
          conversationId: c3,
          title: "Exactly one turn",
          turns: 1,
          startedAt: c.receivedAt,
          lastAt: c.receivedAt,
        },
        {
          conversationId: c2,
          title: `${[...long].slice(0, 79).join("")}…`,
          turns: 1,
          startedAt: b1.receivedAt,
          lastAt: b1.receivedAt,
        },
      ]);
      expect(list[2]?.title).toHaveLength(80);
      expect(a2.receivedAt < a3.receivedAt).toBe(true);

      const theirs = await store().conversations(other, study.studyId);
      expect(theirs).toEqual([expect.objectContaining({ conversationId: c1, title: "not yours", turns: 1 })]);
    });

    it("titles: up to 80 characters kept whole, longer ones cut to 80 with …, never inside a character", async () => {
      const userId = uid("user");
      const studyId = uid("study");
      const exactly80 = "x".repeat(80);
      const emoji = "🙂".repeat(90);
      await turn({ userId, ...tag(studyId, "c", 1), query: exactly80 });
      await turn({ userId, ...tag(studyId, "c", 1), query: emoji });
      await turn({ userId, ...tag(studyId, "c", 1), query: "" });
      const titles = (await store().conversations(userId, studyId)).map((c) => c.title);
      expect(titles).toEqual(["", `${"🙂".repeat(79)}…`, exactly80]);
    });

    it("keeps studies apart: each study, and no study (null), lists only its own conversations", async () => {
      const userId = uid("user");
      const [studyA, studyB] = [uid("study"), uid("study")];
      const inA = await turn({ userId, ...tag(studyA, "control", 1), query: "in A" });
      const inB = await turn({ userId, ...tag(studyB, "treatment", 1), query: "in B" });
      const outside = await turn({ userId, ...tag(null, null, null), query: "outside" });
      // A conversation whose turns are in two studies is listed in each with that study's turns only.
      const shared = uid("conversation");
      await turn({ userId, conversationId: shared, ...tag(studyA, "control", 1), query: "shared, A" });
      await turn({ userId, conversationId: shared, ...tag(studyB, "treatment", 1), query: "shared, B" });
      await turn({ userId, conversationId: shared, ...tag(studyA, "control", 1), query: "shared, A again" });

      const listA = await store().conversations(userId, studyA);
      expect(listA.map((c) => [c.conversationId, c.title, c.turns])).toEqual([
        [shared, "shared, A", 2],
        [inA.conversationId, "in A", 1],
      ]);
      const listB = await store().conversations(userId, studyB);
      expect(listB.map((c) => [c.conversationId, c.title, c.turns])).toEqual([
        [shared, "shared, B", 1],
        [inB.conversationId, "in B", 1],
      ]);
      const listNone = await store().conversations(userId, null);
      expect(listNone).toEqual([
        {
          conversationId: outside.conversationId,
          title: "outside",
          turns: 1,
          startedAt: outside.receivedAt,
          lastAt: outside.receivedAt,
        },
      ]);
      expect(await store().conversations(uid("user"), studyA)).toEqual([]);
      expect(await store().conversations(userId, uid("study"))).toEqual([]);
    });

    it("lists at most 100 conversations, the newest", async () => {
      const userId = uid("user");
      const studyId = uid("study");
      const stored: QueryRecord[] = [];
      for (let i = 0; i < 101; i++) {
        stored.push(await store().recordQuery(newQuery({ userId, ...tag(studyId, "c", 1), query: `q${i}` })));
        if (i === 0) await sleep(3);
      }
      const list = await store().conversations(userId, studyId);
      expect(list).toHaveLength(100);
      expect(list.map((c) => c.conversationId)).not.toContain(stored[0]?.conversationId);
      expect(new Set(list.map((c) => c.conversationId))).toEqual(
        new Set(stored.slice(1).map((q) => q.conversationId)),
      );
      for (let i = 1; i < list.length; i++) {
        expect(Date.parse(list[i]?.lastAt ?? "")).toBeLessThanOrEqual(Date.parse(list[i - 1]?.lastAt ?? ""));
      }
    });
  });
}
