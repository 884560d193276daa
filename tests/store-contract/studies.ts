import { describe, expect, it, vi } from "vitest";
import type {
  ExportFilter,
  LogRecord,
  NewEvent,
  NewQuery,
  QueryRecord,
  StudyTag,
} from "../../api/store/store";
import {
  expectServerTimeNow,
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
 * assignments (assign, getAssignment: one per participant, distinct arrival
 * numbers under concurrency), a participant's conversations, and withdrawal
 * (deleteParticipant).
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

  describe("studies: assign and getAssignment", () => {
    const conditionOf = (seq: number) => (seq % 2 === 0 ? "control" : "treatment");

    it("the first call assigns (created) with the next arrival number; later calls return it unchanged without choosing again", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      expect(await store().getAssignment(studyId, userId)).toBeNull();

      const choose = vi.fn((seq: number) => `condition-${seq}`);
      const before = Date.now();
      const first = await store().assign({ studyId, userId, studyVersion: 3, choose });
      const after = Date.now();
      expect(first.created).toBe(true);
      expect(first.assignment).toEqual({
        studyId,
        userId,
        condition: "condition-0",
        studyVersion: 3,
        seq: 0,
        turns: 0,
        assignedAt: first.assignment.assignedAt,
      });
      expectServerTimeNow(first.assignment.assignedAt, before, after);
      expect(choose).toHaveBeenCalledTimes(1);
      expect(choose).toHaveBeenCalledWith(0);
      expect(await store().getAssignment(studyId, userId)).toEqual(first.assignment);

      const chooseAgain = vi.fn(() => "another-condition");
      const again = await store().assign({ studyId, userId, studyVersion: 4, choose: chooseAgain });
      expect(again).toEqual({ assignment: first.assignment, created: false });
      expect(chooseAgain).not.toHaveBeenCalled();
      expect(await store().getAssignment(studyId, userId)).toEqual(first.assignment);
    });

    it("participants of a study get arrival numbers 0, 1, 2, ...; each study counts on its own", async () => {
      const [studyA, studyB] = [uid("study"), uid("study")];
      const users = [uid("user"), uid("user"), uid("user"), uid("user")];
      const choose = vi.fn(conditionOf);
      const inA = [];
      for (const userId of users) {
        inA.push(await store().assign({ studyId: studyA, userId, studyVersion: 1, choose }));
      }
      expect(inA.map((r) => r.assignment.seq)).toEqual([0, 1, 2, 3]);
      expect(inA.map((r) => r.created)).toEqual([true, true, true, true]);
      expect(inA.map((r) => r.assignment.condition)).toEqual([
        "control",
        "treatment",
        "control",
        "treatment",
      ]);
      expect(choose.mock.calls.map(([seq]) => seq)).toEqual([0, 1, 2, 3]);

      const inB = await store().assign({ studyId: studyB, userId: users[2] ?? "", studyVersion: 5, choose });
      expect(inB.created).toBe(true);
      expect(inB.assignment).toMatchObject({
        studyId: studyB,
        seq: 0,
        studyVersion: 5,
        condition: "control",
      });
      // Each study keeps its own assignment of the participant.
      expect((await store().getAssignment(studyA, users[2] ?? ""))?.seq).toBe(2);
    });

    it("getAssignment is null for a participant of another study, or of no study", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      await store().assign({ studyId, userId, studyVersion: 1, choose: conditionOf });
      expect(await store().getAssignment(uid("study"), userId)).toBeNull();
      expect(await store().getAssignment(studyId, uid("user"))).toBeNull();
      expect(await store().getAssignment(studyId, userId)).not.toBeNull();
    });

    it("ids that contain separators do not collide: (a:b, c) and (a, b:c) are two assignments", async () => {
      const base = uid("study");
      const pairs: [string, string][] = [
        [`${base}:x`, "y"],
        [base, "x:y"],
        [`${base}","x`, "y"],
        [`${base}`, 'x","y'],
      ];
      for (const [studyId, userId] of pairs) {
        const { created, assignment } = await store().assign({
          studyId,
          userId,
          studyVersion: 1,
          choose: () => `for ${studyId} ${userId}`,
        });
        expect(created).toBe(true);
        expect(assignment).toMatchObject({ studyId, userId, condition: `for ${studyId} ${userId}` });
      }
      for (const [studyId, userId] of pairs) {
        expect(await store().getAssignment(studyId, userId)).toMatchObject({
          studyId,
          userId,
          condition: `for ${studyId} ${userId}`,
        });
      }
    });

    it("40 participants assigned concurrently get one assignment each and the distinct numbers 0..39", async () => {
      const studyId = uid("study");
      const users = Array.from({ length: 40 }, () => uid("user"));
      const results = await Promise.all(
        users.map((userId) => store().assign({ studyId, userId, studyVersion: 2, choose: conditionOf })),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect(results.map((r) => r.assignment.userId)).toEqual(users);
      expect(results.map((r) => r.assignment.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 40 }, (_, i) => i),
      );
      for (const { assignment } of results) {
        expect(assignment.condition).toBe(conditionOf(assignment.seq));
        expect(await store().getAssignment(studyId, assignment.userId)).toEqual(assignment);
      }
    });

    it("one participant assigned 10 times concurrently gets one assignment, created once", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      const other = await store().assign({
        studyId,
        userId: uid("user"),
        studyVersion: 1,
        choose: conditionOf,
      });
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store().assign({ studyId, userId, studyVersion: 1, choose: conditionOf }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const stored = await store().getAssignment(studyId, userId);
      expect(stored).not.toBeNull();
      for (const r of results) expect(r.assignment).toEqual(stored);
      expect(stored?.seq).not.toBe(other.assignment.seq);
      expect(stored?.condition).toBe(conditionOf(stored?.seq ?? -1));
    });
  });

  describe("studies: takeTurn", () => {
    const enrolledParticipant = async () => {
      const studyId = uid("turns");
      const userId = uid("user");
      await store().assign({ studyId, userId, studyVersion: 1, choose: () => "c" });
      return { studyId, userId };
    };

    it("counts each message and refuses the one over the limit", async () => {
      const { studyId, userId } = await enrolledParticipant();
      expect(await store().takeTurn(studyId, userId, 2)).toBe(true);
      expect(await store().takeTurn(studyId, userId, 2)).toBe(true);
      expect(await store().takeTurn(studyId, userId, 2)).toBe(false);
      expect((await store().getAssignment(studyId, userId))?.turns).toBe(2);
    });

    it("counts without a limit, and refuses a participant with no assignment", async () => {
      const { studyId, userId } = await enrolledParticipant();
      for (let i = 0; i < 3; i++) expect(await store().takeTurn(studyId, userId, null)).toBe(true);
      expect((await store().getAssignment(studyId, userId))?.turns).toBe(3);
      expect(await store().takeTurn(studyId, uid("user"), null)).toBe(false);
      expect(await store().takeTurn(uid("none"), userId, 5)).toBe(false);
    });

    it("never lets concurrent messages pass the limit together", async () => {
      const { studyId, userId } = await enrolledParticipant();
      const taken = await Promise.all(Array.from({ length: 12 }, () => store().takeTurn(studyId, userId, 3)));
      expect(taken.filter(Boolean)).toHaveLength(3);
      expect((await store().getAssignment(studyId, userId))?.turns).toBe(3);
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

  describe("studies: deleteParticipant", () => {
    it("deletes the participant's queries, events and assignment in that study, and nothing else", async () => {
      const userId = uid("user");
      const other = uid("user");
      const [studyId, otherStudy] = [uid("study"), uid("study")];
      const inStudy = tag(studyId, "control", 1);
      const choose = (seq: number) => (seq % 2 === 0 ? "control" : "treatment");

      const mine = await store().assign({ studyId, userId, studyVersion: 1, choose });
      const theirs = await store().assign({ studyId, userId: other, studyVersion: 1, choose });
      const mineElsewhere = await store().assign({ studyId: otherStudy, userId, studyVersion: 1, choose });

      const doomedQueries = [
        await store().recordQuery(newQuery({ userId, ...inStudy })),
        await store().recordQuery(newQuery({ userId, ...inStudy })),
      ];
      const doomedEvents = [
        newEvent({ userId, ...tag(studyId, null, 1), eventType: "STUDY_STEP" }),
        newEvent({ userId, ...inStudy, eventType: "CLICK" }),
        newEvent({ userId, ...inStudy, eventType: "SCROLL" }),
      ];
      await store().recordEvents(doomedEvents);
      const keptQueries = [
        await store().recordQuery(newQuery({ userId, ...tag(otherStudy, "control", 1) })),
        await store().recordQuery(newQuery({ userId, ...tag(null, null, null) })),
        await store().recordQuery(newQuery({ userId: other, ...inStudy })),
      ];
      const keptEvents = [
        newEvent({ userId, ...tag(otherStudy, "control", 1) }),
        newEvent({ userId, ...tag(null, null, null) }),
        newEvent({ userId: other, ...inStudy }),
      ];
      await store().recordEvents(keptEvents);
      const before = await exportAll(store(), { userIds: [userId, other] });
      const keptIds = new Set([...keptQueries.map((q) => q.id), ...keptEvents.map((e) => e.eventId)]);

      expect(await store().deleteParticipant(studyId, userId)).toEqual({ queries: 2, events: 3 });

      const after = await exportAll(store(), { userIds: [userId, other] });
      expect(after.records).toEqual(before.records.filter((r) => keptIds.has(r.id)));
      expect(await store().count({ userIds: [userId, other] })).toBe(6);
      expect(await store().count({ studyIds: [studyId] })).toBe(2);
      for (const q of doomedQueries) expect(await store().getQuery(q.id)).toBeNull();
      expect(await store().conversations(userId, studyId)).toEqual([]);
      expect(await store().conversations(userId, otherStudy)).toHaveLength(1);
      expect(await store().getAssignment(studyId, userId)).toBeNull();
      expect(await store().getAssignment(studyId, other)).toEqual(theirs.assignment);
      expect(await store().getAssignment(otherStudy, userId)).toEqual(mineElsewhere.assignment);

      // Again: nothing left to delete.
      expect(await store().deleteParticipant(studyId, userId)).toEqual({ queries: 0, events: 0 });

      // Back in the study: a fresh assignment, with a number no one else in it holds.
      const choose2 = vi.fn(choose);
      const fresh = await store().assign({ studyId, userId, studyVersion: 2, choose: choose2 });
      expect(fresh.created).toBe(true);
      expect(choose2).toHaveBeenCalledTimes(1);
      expect(fresh.assignment).toMatchObject({ studyId, userId, studyVersion: 2 });
      expect(fresh.assignment.seq).not.toBe(theirs.assignment.seq);
      expect(fresh.assignment.assignedAt >= mine.assignment.assignedAt).toBe(true);
      expect(await store().getAssignment(studyId, userId)).toEqual(fresh.assignment);
    });

    it("a participant without records or assignment in the study: nothing deleted", async () => {
      const userId = uid("user");
      await store().recordQuery(newQuery({ userId, ...tag(null, null, null) }));
      expect(await store().deleteParticipant(uid("study"), userId)).toEqual({ queries: 0, events: 0 });
      expect(await store().count({ userIds: [userId] })).toBe(1);
    });
  });
}
