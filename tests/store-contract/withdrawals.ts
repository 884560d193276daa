import { describe, expect, it, vi } from "vitest";
import type { StudyTag } from "../../api/store/store";
import {
  expectServerTimeNow,
  exportAll,
  type GetStore,
  newAssignment,
  newEvent,
  newQuery,
  newWithdrawal,
  uid,
} from "./shared";

/**
 * Withdrawal: withdrawParticipant deletes the participant's records in the
 * study and in the open chat (outside any study) and their assignment, and
 * leaves an audit entry with the counts; listWithdrawals and isWithdrawn read
 * the entries.
 */
export function describeWithdrawals(store: GetStore): void {
  const tag = (studyId: string | null, condition: string | null, studyVersion: number | null): StudyTag => ({
    studyId,
    condition,
    studyVersion,
  });

  describe("withdrawals: withdrawParticipant", () => {
    it("deletes the participant's records in the study and in the open chat, and the assignment; nothing else", async () => {
      const userId = uid("user");
      const other = uid("user");
      const [studyId, otherStudy] = [uid("study"), uid("study")];
      const inStudy = tag(studyId, "control", 1);
      const outside = tag(null, null, null);
      const choose = (seq: number) => (seq % 2 === 0 ? "control" : "treatment");

      const mine = await store().assign(newAssignment({ studyId, userId, choose }));
      const theirs = await store().assign(newAssignment({ studyId, userId: other, choose }));
      const mineElsewhere = await store().assign(newAssignment({ studyId: otherStudy, userId, choose }));

      const doomedQueries = [
        await store().recordQuery(newQuery({ userId, ...inStudy })),
        await store().recordQuery(newQuery({ userId, ...inStudy })),
        await store().recordQuery(newQuery({ userId, ...outside })),
      ];
      await store().recordEvents([
        newEvent({ userId, ...tag(studyId, null, 1), eventType: "STUDY_STEP" }),
        newEvent({ userId, ...inStudy, eventType: "CLICK" }),
        newEvent({ userId, ...inStudy, eventType: "SCROLL" }),
        newEvent({ userId, ...outside, eventType: "BROWSE" }),
      ]);
      const keptQueries = [
        await store().recordQuery(newQuery({ userId, ...tag(otherStudy, "control", 1) })),
        await store().recordQuery(newQuery({ userId: other, ...inStudy })),
        await store().recordQuery(newQuery({ userId: other, ...outside })),
      ];
      const keptEvents = [
        newEvent({ userId, ...tag(otherStudy, "control", 1) }),
        newEvent({ userId: other, ...inStudy }),
        newEvent({ userId: other, ...outside }),
      ];
      await store().recordEvents(keptEvents);
      const before = await exportAll(store(), { userIds: [userId, other] });
      const keptIds = new Set([...keptQueries.map((q) => q.id), ...keptEvents.map((e) => e.eventId)]);

      const withdrawal = newWithdrawal({
        studyId,
        condition: mine.assignment.condition,
        panelIdHmac: uid("pid-hmac"),
        by: "researcher",
      });
      const started = Date.now();
      expect(await store().withdrawParticipant(userId, withdrawal)).toEqual({ queries: 3, events: 4 });
      const ended = Date.now();

      const after = await exportAll(store(), { userIds: [userId, other] });
      expect(after.records).toEqual(before.records.filter((r) => keptIds.has(r.id)));
      expect(await store().count({ userIds: [userId, other] })).toBe(6);
      expect(await store().count({ studyIds: [studyId] })).toBe(2);
      for (const q of doomedQueries) expect(await store().getQuery(q.id)).toBeNull();
      expect(await store().conversations(userId, studyId)).toEqual([]);
      expect(await store().conversations(userId, null)).toEqual([]);
      expect(await store().conversations(userId, otherStudy)).toHaveLength(1);
      expect(await store().conversations(other, null)).toHaveLength(1);
      expect(await store().getAssignment(studyId, userId)).toBeNull();
      expect(await store().getAssignment(studyId, other)).toEqual(theirs.assignment);
      expect(await store().getAssignment(otherStudy, userId)).toEqual(mineElsewhere.assignment);

      // The audit entry: what was given, the server's time, and exactly what was deleted.
      const [entry, ...more] = await store().listWithdrawals(studyId);
      expect(more).toEqual([]);
      expect(entry).toEqual({
        ...withdrawal,
        withdrawnAt: entry?.withdrawnAt,
        deletedQueries: 3,
        deletedEvents: 4,
      });
      expectServerTimeNow(entry?.withdrawnAt ?? "", started, ended);

      // Again: nothing left to delete, and a second entry that says so.
      const again = newWithdrawal({ studyId });
      expect(await store().withdrawParticipant(userId, again)).toEqual({ queries: 0, events: 0 });
      expect(
        (await store().listWithdrawals(studyId)).map((w) => [w.id, w.deletedQueries, w.deletedEvents]),
      ).toEqual([
        [withdrawal.id, 3, 4],
        [again.id, 0, 0],
      ]);

      // Back in the study: a fresh assignment, with a number no one else in it holds.
      const choose2 = vi.fn(choose);
      const fresh = await store().assign(
        newAssignment({ studyId, userId, studyVersion: 2, choose: choose2 }),
      );
      expect(fresh.created).toBe(true);
      expect(choose2).toHaveBeenCalledTimes(1);
      expect(fresh.assignment).toMatchObject({ studyId, userId, studyVersion: 2 });
      expect(fresh.assignment.seq).not.toBe(theirs.assignment.seq);
      expect(fresh.assignment.assignedAt >= mine.assignment.assignedAt).toBe(true);
      expect(await store().getAssignment(studyId, userId)).toEqual(fresh.assignment);
    });

    it("a participant with records only in another study: nothing deleted, an entry with zero counts", async () => {
      const userId = uid("user");
      const [studyId, otherStudy] = [uid("study"), uid("study")];
      await store().recordQuery(newQuery({ userId, ...tag(otherStudy, "c", 1) }));
      await store().recordEvents([newEvent({ userId, ...tag(otherStudy, "c", 1) })]);
      const withdrawal = newWithdrawal({ studyId, condition: null });
      expect(await store().withdrawParticipant(userId, withdrawal)).toEqual({ queries: 0, events: 0 });
      expect(await store().count({ userIds: [userId] })).toBe(2);
      expect(await store().listWithdrawals(studyId)).toEqual([
        expect.objectContaining({ id: withdrawal.id, condition: null, deletedQueries: 0, deletedEvents: 0 }),
      ]);
    });

    it("a linked participant's withdrawal leaves the assignment they are linked to", async () => {
      const studyId = uid("study");
      const original = await store().assign(newAssignment({ studyId, userId: uid("user") }));
      const linked = await store().assign(
        newAssignment({ studyId, userId: uid("user"), linkTo: original.assignment }),
      );
      await store().recordQuery(newQuery({ userId: original.assignment.userId, ...tag(studyId, "c", 1) }));
      await store().recordQuery(newQuery({ userId: linked.assignment.userId, ...tag(studyId, "c", 1) }));
      expect(
        await store().withdrawParticipant(
          linked.assignment.userId,
          newWithdrawal({ studyId, condition: "c" }),
        ),
      ).toEqual({ queries: 1, events: 0 });
      expect(await store().getAssignment(studyId, linked.assignment.userId)).toBeNull();
      expect(await store().getAssignment(studyId, original.assignment.userId)).toEqual(original.assignment);
      expect(await store().count({ userIds: [original.assignment.userId] })).toBe(1);
    });
  });

  describe("withdrawals: listWithdrawals and isWithdrawn", () => {
    it("lists a study's entries oldest first; null lists every study's", async () => {
      const [studyA, studyB] = [uid("study"), uid("study")];
      const written = [
        newWithdrawal({ studyId: studyA }),
        newWithdrawal({ studyId: studyB, studyVersion: 3, condition: "x", panelIdHmac: uid("p") }),
        newWithdrawal({ studyId: studyA, by: "researcher" }),
        newWithdrawal({ studyId: studyA }),
      ];
      for (const w of written) await store().withdrawParticipant(uid("user"), w);
      const ids = (list: { id: string }[]) => list.map((w) => w.id);
      expect(ids(await store().listWithdrawals(studyA))).toEqual(
        ids(written.filter((w) => w.studyId === studyA)),
      );
      const [inB] = await store().listWithdrawals(studyB);
      expect(inB).toEqual({
        ...written[1],
        withdrawnAt: inB?.withdrawnAt,
        deletedQueries: 0,
        deletedEvents: 0,
      });
      const mine = new Set(ids(written));
      const all = await store().listWithdrawals(null);
      expect(ids(all.filter((w) => mine.has(w.id)))).toEqual(ids(written));
      for (let i = 1; i < all.length; i++) {
        expect(Date.parse(all[i]?.withdrawnAt ?? "")).toBeGreaterThanOrEqual(
          Date.parse(all[i - 1]?.withdrawnAt ?? ""),
        );
      }
      expect(await store().listWithdrawals(uid("study"))).toEqual([]);
    });

    it("isWithdrawn: true when an entry of the study has one of the HMACs as participant or panel HMAC", async () => {
      const [studyId, otherStudy] = [uid("study"), uid("study")];
      const [participantHmac, panelIdHmac] = [uid("participant-hmac"), uid("panel-hmac")];
      const withoutPanel = newWithdrawal({ studyId, panelIdHmac: null });
      expect(await store().isWithdrawn(studyId, [participantHmac, panelIdHmac])).toBe(false);
      await store().withdrawParticipant(
        uid("user"),
        newWithdrawal({ studyId, participantHmac, panelIdHmac }),
      );
      await store().withdrawParticipant(uid("user"), withoutPanel);

      expect(await store().isWithdrawn(studyId, [participantHmac])).toBe(true);
      expect(await store().isWithdrawn(studyId, [panelIdHmac])).toBe(true);
      expect(await store().isWithdrawn(studyId, [uid("h"), withoutPanel.participantHmac])).toBe(true);
      const many = Array.from({ length: 150 }, () => uid("h"));
      expect(await store().isWithdrawn(studyId, [...many, panelIdHmac])).toBe(true);
      expect(await store().isWithdrawn(studyId, many)).toBe(false);
      expect(await store().isWithdrawn(studyId, [])).toBe(false);
      // Another study's entries never count.
      expect(await store().isWithdrawn(otherStudy, [participantHmac, panelIdHmac])).toBe(false);
    });
  });
}
