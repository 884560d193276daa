import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../api/domain/records";
import { MAX_EVENTS_PER_BATCH, MAX_EXTRA_DATA_BYTES } from "../../api/domain/validation";
import type { EventRecord, EventType, NewEvent } from "../../api/store/store";
import {
  expectServerTimeNow,
  exportAll,
  type GetStore,
  idsOf,
  inWriteOrder,
  newAssignment,
  newEvent,
  newEvents,
  sleep,
  sortedById,
  storedEvent,
  uid,
} from "./shared";

/**
 * recordEvents is idempotent on eventId: across calls, inside one batch, and
 * between concurrent batches, up to the largest batch the API accepts.
 */
export function describeRecordEvents(store: GetStore): void {
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

  describe("recordParticipantEvents: the consent rule in the write", () => {
    /** A participant assigned condition "c1" in one study and in none of another. */
    async function participant() {
      const userId = uid("user");
      const consented = uid("study");
      const other = uid("study");
      await store().assign(newAssignment({ studyId: consented, userId, choose: () => "c1" }));
      return { userId, consented, other };
    }

    it("stores events outside a study and in a consented study (with the assignment's condition), not others but study steps", async () => {
      const { userId, consented, other } = await participant();
      const events = [
        newEvent({ userId }),
        newEvent({ userId, studyId: consented, studyVersion: 2, condition: "not read" }),
        newEvent({ userId, studyId: other, studyVersion: 1 }),
        newEvent({ userId, studyId: other, studyVersion: 1, eventType: "STUDY_STEP" }),
        newEvent({ userId, studyId: consented, studyVersion: 2, eventType: "STUDY_STEP" }),
      ];
      const before = Date.now();
      const results = await store().recordParticipantEvents(events);
      const after = Date.now();
      expect(results.map((r) => r && { eventId: r.eventId, duplicate: r.duplicate })).toEqual([
        { eventId: events[0]?.eventId, duplicate: false },
        { eventId: events[1]?.eventId, duplicate: false },
        null,
        { eventId: events[3]?.eventId, duplicate: false },
        { eventId: events[4]?.eventId, duplicate: false },
      ]);
      for (const r of results) if (r) expectServerTimeNow(r.receivedAt, before, after);
      const [outside, inConsented, , step, ownStep] = events as [
        NewEvent,
        NewEvent,
        NewEvent,
        NewEvent,
        NewEvent,
      ];
      const stored = [outside, { ...inConsented, condition: "c1" }, step, { ...ownStep, condition: "c1" }];
      const receivedAt = new Map(results.map((r) => [r?.eventId, r?.receivedAt ?? ""]));
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(sortedById(records)).toEqual(
        sortedById(stored.map((e) => storedEvent(e, receivedAt.get(e.eventId) ?? ""))),
      );
    });

    it("is idempotent like recordEvents: repeats within and across calls are duplicates with the first receivedAt", async () => {
      const { userId, consented, other } = await participant();
      const a = newEvent({ userId, studyId: consented, studyVersion: 1 });
      const b = newEvent({ userId });
      const left = newEvent({ userId, studyId: other, studyVersion: 1 });
      const first = await store().recordParticipantEvents([a, left, a, b]);
      expect(first.map((r) => r?.duplicate ?? null)).toEqual([false, null, true, false]);
      expect(first[2]?.receivedAt).toBe(first[0]?.receivedAt);
      await sleep(5);
      const again = await store().recordParticipantEvents([b, left, a]);
      expect(again).toEqual([{ ...first[3], duplicate: true }, null, { ...first[0], duplicate: true }]);
      expect(await store().count({ userIds: [userId] })).toBe(2);
    });

    it("an event the rule leaves out is null even when its eventId is stored already", async () => {
      const { userId, other } = await participant();
      const stored = newEvent({ userId });
      await store().recordEvents([stored]);
      const [result] = await store().recordParticipantEvents([
        { ...stored, studyId: other, studyVersion: 1 },
      ]);
      expect(result).toBeNull();
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(records.map((r) => r.studyId)).toEqual([null]);
    });

    it("a participant assigned later has their later events stored, and only those", async () => {
      const userId = uid("user");
      const studyId = uid("study");
      const early = newEvent({ userId, studyId, studyVersion: 1 });
      expect(await store().recordParticipantEvents([early])).toEqual([null]);
      await store().assign(newAssignment({ studyId, userId, choose: () => "late" }));
      const late = newEvent({ userId, studyId, studyVersion: 1 });
      const [result] = await store().recordParticipantEvents([early, late]);
      expect(result?.duplicate).toBe(false);
      const { records } = await exportAll(store(), { userIds: [userId] });
      expect(sortedById(records).map((r) => [r.id, r.condition])).toEqual(
        [early.eventId, late.eventId].sort().map((id) => [id, "late"]),
      );
    });
  });
}
