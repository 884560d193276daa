import { describe, expect, it, vi } from "vitest";
import type { Assignment } from "../../api/store/store";
import { expectServerTimeNow, type GetStore, newAssignment, uid } from "./shared";

/**
 * Assignments: assign and getAssignment (one per participant, distinct
 * arrival numbers under concurrency), linked assignments (a panel
 * participant's new session: same condition, no arrival number, own turns),
 * findPanelAssignment, takeTurn, and finishAssignment (exactly once, the
 * first outcome wins).
 */
export function describeAssignments(store: GetStore): void {
  describe("assignments: assign and getAssignment", () => {
    const conditionOf = (seq: number) => (seq % 2 === 0 ? "control" : "treatment");

    it("the first call assigns (created) with the next arrival number; later calls return it unchanged without choosing again", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      expect(await store().getAssignment(studyId, userId)).toBeNull();

      const choose = vi.fn((seq: number) => `condition-${seq}`);
      const before = Date.now();
      const first = await store().assign(newAssignment({ studyId, userId, studyVersion: 3, choose }));
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
        panelParticipantId: null,
        linkedTo: null,
        finishedAt: null,
        outcome: null,
      });
      expectServerTimeNow(first.assignment.assignedAt, before, after);
      expect(choose).toHaveBeenCalledTimes(1);
      expect(choose).toHaveBeenCalledWith(0);
      expect(await store().getAssignment(studyId, userId)).toEqual(first.assignment);

      const chooseAgain = vi.fn(() => "another-condition");
      const again = await store().assign(
        newAssignment({ studyId, userId, studyVersion: 4, choose: chooseAgain }),
      );
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
        inA.push(await store().assign(newAssignment({ studyId: studyA, userId, studyVersion: 1, choose })));
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

      const inB = await store().assign(
        newAssignment({ studyId: studyB, userId: users[2] ?? "", studyVersion: 5, choose }),
      );
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
      await store().assign(newAssignment({ studyId, userId, studyVersion: 1, choose: conditionOf }));
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
        const { created, assignment } = await store().assign(
          newAssignment({
            studyId,
            userId,
            studyVersion: 1,
            choose: () => `for ${studyId} ${userId}`,
          }),
        );
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
        users.map((userId) =>
          store().assign(newAssignment({ studyId, userId, studyVersion: 2, choose: conditionOf })),
        ),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect(results.map((r) => r.assignment.userId)).toEqual(users);
      expect(results.map((r) => r.assignment.seq ?? -1).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 40 }, (_, i) => i),
      );
      for (const { assignment } of results) {
        expect(assignment.condition).toBe(conditionOf(assignment.seq ?? -1));
        expect(await store().getAssignment(studyId, assignment.userId)).toEqual(assignment);
      }
    });

    it("one participant assigned 10 times concurrently gets one assignment, created once", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      const other = await store().assign(
        newAssignment({
          studyId,
          userId: uid("user"),
          studyVersion: 1,
          choose: conditionOf,
        }),
      );
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store().assign(newAssignment({ studyId, userId, studyVersion: 1, choose: conditionOf })),
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

  describe("assignments: linked assignments and findPanelAssignment", () => {
    const conditionOf = (seq: number) => `condition-${seq}`;

    it("the panel id is kept with the assignment", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      const panelParticipantId = uid("pid");
      const { assignment } = await store().assign(newAssignment({ studyId, userId, panelParticipantId }));
      expect(assignment).toMatchObject({ panelParticipantId, linkedTo: null, finishedAt: null, seq: 0 });
      expect(await store().getAssignment(studyId, userId)).toEqual(assignment);
    });

    it("a linked assignment gets the condition it links to, no arrival number and linkedTo, without choosing", async () => {
      const studyId = uid("study");
      const pid = uid("pid");
      const [first, second] = [uid("user"), uid("user")];
      const original = await store().assign(
        newAssignment({ studyId, userId: first, panelParticipantId: pid, choose: () => "treatment" }),
      );
      const choose = vi.fn(conditionOf);
      const before = Date.now();
      const linked = await store().assign(
        newAssignment({
          studyId,
          userId: second,
          studyVersion: 2,
          panelParticipantId: pid,
          choose,
          linkTo: original.assignment,
        }),
      );
      const after = Date.now();
      expect(linked).toEqual({
        created: true,
        assignment: {
          studyId,
          userId: second,
          condition: "treatment",
          studyVersion: 2,
          seq: null,
          turns: 0,
          assignedAt: linked.assignment.assignedAt,
          panelParticipantId: pid,
          linkedTo: first,
          finishedAt: null,
          outcome: null,
        },
      });
      expectServerTimeNow(linked.assignment.assignedAt, before, after);
      expect(choose).not.toHaveBeenCalled();
      expect(await store().getAssignment(studyId, second)).toEqual(linked.assignment);
      expect(await store().getAssignment(studyId, first)).toEqual(original.assignment);

      // Assigned already: later calls, linked or not, return it unchanged.
      for (const again of [
        newAssignment({ studyId, userId: second, choose, linkTo: original.assignment }),
        newAssignment({ studyId, userId: second, choose }),
      ]) {
        expect(await store().assign(again)).toEqual({ assignment: linked.assignment, created: false });
      }
      expect(choose).not.toHaveBeenCalled();
    });

    it("linked participants take no arrival number: the others still get 0, 1, 2, ... and balanced conditions", async () => {
      const studyId = uid("study");
      const choose = vi.fn(conditionOf);
      const seqs: (number | null)[] = [];
      let previous: Assignment | null = null;
      for (let i = 0; i < 3; i++) {
        const own = await store().assign(newAssignment({ studyId, userId: uid("user"), choose }));
        seqs.push(own.assignment.seq);
        previous = own.assignment;
        const linked = await store().assign(
          newAssignment({ studyId, userId: uid("user"), linkTo: previous }),
        );
        seqs.push(linked.assignment.seq);
        expect(linked.assignment.condition).toBe(previous.condition);
      }
      expect(seqs).toEqual([0, null, 1, null, 2, null]);
      expect(choose.mock.calls.map(([seq]) => seq)).toEqual([0, 1, 2]);
      const next = await store().assign(newAssignment({ studyId, userId: uid("user"), choose }));
      expect(next.assignment).toMatchObject({ seq: 3, condition: "condition-3" });
    });

    it("one participant linked 10 times concurrently gets one assignment, created once, and takes no number", async () => {
      const studyId = uid("study");
      const original = await store().assign(
        newAssignment({ studyId, userId: uid("user"), choose: conditionOf }),
      );
      const userId = uid("user");
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store().assign(newAssignment({ studyId, userId, linkTo: original.assignment })),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const stored = await store().getAssignment(studyId, userId);
      expect(stored).toMatchObject({
        seq: null,
        linkedTo: original.assignment.userId,
        condition: "condition-0",
      });
      for (const r of results) expect(r.assignment).toEqual(stored);
      const next = await store().assign(newAssignment({ studyId, userId: uid("user"), choose: conditionOf }));
      expect(next.assignment.seq).toBe(1);
    });

    it("calls with and without linkTo racing for one participant still make one assignment", async () => {
      const studyId = uid("study");
      const original = await store().assign(
        newAssignment({ studyId, userId: uid("user"), choose: () => "a" }),
      );
      const userId = uid("user");
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store().assign(
            newAssignment({
              studyId,
              userId,
              choose: () => "b",
              linkTo: i % 2 ? original.assignment : undefined,
            }),
          ),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const stored = await store().getAssignment(studyId, userId);
      for (const r of results) expect(r.assignment).toEqual(stored);
    });

    it("a linked participant's turns are their own", async () => {
      const studyId = uid("study");
      const original = await store().assign(newAssignment({ studyId, userId: uid("user") }));
      const linked = await store().assign(
        newAssignment({ studyId, userId: uid("user"), linkTo: original.assignment }),
      );
      expect(await store().takeTurn(studyId, linked.assignment.userId, 2)).toBe(true);
      expect(await store().takeTurn(studyId, linked.assignment.userId, 2)).toBe(true);
      expect(await store().takeTurn(studyId, linked.assignment.userId, 2)).toBe(false);
      expect((await store().getAssignment(studyId, original.assignment.userId))?.turns).toBe(0);
      expect(await store().takeTurn(studyId, original.assignment.userId, 2)).toBe(true);
      expect((await store().getAssignment(studyId, linked.assignment.userId))?.turns).toBe(2);
    });

    it("findPanelAssignment finds the first assignment made for the panel id in the study, never a linked one", async () => {
      const [studyId, otherStudy] = [uid("study"), uid("study")];
      const pid = uid("pid");
      expect(await store().findPanelAssignment(studyId, pid)).toBeNull();

      // A linked assignment alone is not found (it is not the panel participant's first).
      const elsewhere = await store().assign(newAssignment({ studyId: otherStudy, userId: uid("user") }));
      expect(await store().findPanelAssignment(otherStudy, pid)).toBeNull();
      await store().assign(
        newAssignment({
          studyId: otherStudy,
          userId: uid("user"),
          panelParticipantId: pid,
          linkTo: elsewhere.assignment,
        }),
      );
      expect(await store().findPanelAssignment(otherStudy, pid)).toBeNull();

      await store().assign(newAssignment({ studyId, userId: uid("user"), panelParticipantId: uid("pid") }));
      const first = await store().assign(
        newAssignment({ studyId, userId: uid("user"), panelParticipantId: pid }),
      );
      await store().assign(
        newAssignment({ studyId, userId: uid("user"), panelParticipantId: pid, linkTo: first.assignment }),
      );
      // Two assignments in their own right with one panel id (e.g. made before linking existed): the earliest.
      await store().assign(newAssignment({ studyId, userId: uid("user"), panelParticipantId: pid }));
      expect(await store().findPanelAssignment(studyId, pid)).toEqual(first.assignment);
      expect(await store().findPanelAssignment(uid("study"), pid)).toBeNull();
      expect(await store().findPanelAssignment(studyId, uid("pid"))).toBeNull();
    });
  });

  describe("assignments: takeTurn", () => {
    const enrolledParticipant = async () => {
      const studyId = uid("turns");
      const userId = uid("user");
      await store().assign(newAssignment({ studyId, userId, studyVersion: 1, choose: () => "c" }));
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

  describe("assignments: finishAssignment", () => {
    const enrolled = async () => {
      const studyId = uid("finish");
      const { assignment } = await store().assign(newAssignment({ studyId, userId: uid("user") }));
      return assignment;
    };

    it("an assignment starts with no outcome", async () => {
      const assignment = await enrolled();
      expect(assignment.outcome).toBeNull();
      expect((await store().getAssignment(assignment.studyId, assignment.userId))?.outcome).toBeNull();
    });

    it("finishes once: the first call sets finishedAt and the outcome, later ones return them unchanged with first false", async () => {
      const assignment = await enrolled();
      const { studyId, userId } = assignment;
      const before = Date.now();
      const finished = await store().finishAssignment(studyId, userId, "completed");
      const after = Date.now();
      expect(finished?.first).toBe(true);
      expect(finished?.assignment).toEqual({
        ...assignment,
        finishedAt: finished?.assignment.finishedAt,
        outcome: "completed",
      });
      expectServerTimeNow(finished?.assignment.finishedAt ?? "", before, after);
      expect(await store().getAssignment(studyId, userId)).toEqual(finished?.assignment);
      expect(await store().finishAssignment(studyId, userId, "completed")).toEqual({
        assignment: finished?.assignment,
        first: false,
      });
    });

    it("the first end wins: a later call with another outcome returns the stored one and changes nothing", async () => {
      const { studyId, userId } = await enrolled();
      const timedOut = await store().finishAssignment(studyId, userId, "timed-out");
      expect(timedOut?.assignment.outcome).toBe("timed-out");
      expect(await store().finishAssignment(studyId, userId, "completed")).toEqual({
        assignment: timedOut?.assignment,
        first: false,
      });
      expect((await store().getAssignment(studyId, userId))?.outcome).toBe("timed-out");
    });

    it("stores any outcome a study names, custom ones too", async () => {
      for (const outcome of ["failed-attention-check", "screened-out", "partial-credit"]) {
        const { studyId, userId } = await enrolled();
        expect((await store().finishAssignment(studyId, userId, outcome))?.assignment.outcome).toBe(outcome);
        expect((await store().getAssignment(studyId, userId))?.outcome).toBe(outcome);
      }
    });

    it("is null without an assignment", async () => {
      const { studyId } = await enrolled();
      expect(await store().finishAssignment(studyId, uid("user"), "completed")).toBeNull();
      expect(await store().finishAssignment(uid("study"), uid("user"), "completed")).toBeNull();
    });

    it("of 10 concurrent calls with different outcomes exactly one is first, and all see its finishedAt and outcome", async () => {
      const { studyId, userId } = await enrolled();
      const outcomes = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? "completed" : "timed-out"));
      const results = await Promise.all(outcomes.map((o) => store().finishAssignment(studyId, userId, o)));
      const firsts = results.flatMap((r, i) => (r?.first ? [outcomes[i]] : []));
      expect(firsts).toHaveLength(1);
      const stored = await store().getAssignment(studyId, userId);
      expect(stored?.finishedAt).not.toBeNull();
      expect(stored?.outcome).toBe(firsts[0]);
      for (const r of results) expect(r?.assignment).toEqual(stored);
    });

    it("takeTurn refuses a finished participant, with a limit or without", async () => {
      const { studyId, userId } = await enrolled();
      expect(await store().takeTurn(studyId, userId, 5)).toBe(true);
      await store().finishAssignment(studyId, userId, "timed-out");
      expect(await store().takeTurn(studyId, userId, 5)).toBe(false);
      expect(await store().takeTurn(studyId, userId, null)).toBe(false);
      expect((await store().getAssignment(studyId, userId))?.turns).toBe(1);
    });

    it("a linked participant finishes on their own", async () => {
      const original = await enrolled();
      const { studyId } = original;
      const linked = await store().assign(newAssignment({ studyId, userId: uid("user"), linkTo: original }));
      expect((await store().finishAssignment(studyId, linked.assignment.userId, "screened-out"))?.first).toBe(
        true,
      );
      expect(await store().getAssignment(studyId, original.userId)).toMatchObject({
        finishedAt: null,
        outcome: null,
      });
      expect(await store().takeTurn(studyId, original.userId, null)).toBe(true);
      const own = await store().finishAssignment(studyId, original.userId, "completed");
      expect(own).toMatchObject({ first: true, assignment: { outcome: "completed" } });
    });
  });
}
