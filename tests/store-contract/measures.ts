import { describe, expect, it } from "vitest";
import {
  type Assignment,
  type ConditionMeasures,
  DEPTH_BUCKETS,
  DURATION_EDGES_MS,
  QUESTIONS_AT_LEAST,
  type StudyTag,
} from "../../api/store/store";
import { type GetStore, newAssignment, newEvent, newWithdrawal, sleep, uid } from "./shared";

/**
 * studyMeasures: per condition, time on task (consent to finish), questions
 * per participant, the deepest scroll and conversions per label, computed by
 * the store from records written with the store's own operations; a
 * withdrawn participant is gone from every one of them.
 */

/** Buckets of `length` with these counts at these indexes, the rest 0. */
const filled = (length: number, at: Record<number, number>) => Array.from({ length }, (_, i) => at[i] ?? 0);

const durationMs = (a: Assignment) => Date.parse(a.finishedAt ?? "") - Date.parse(a.assignedAt);

/** The median of these values: the middle one, or the mean of the two middle ones. */
const medianOf = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor((sorted.length - 1) / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid] as number) + (sorted[mid + 1] as number)) / 2;
};

function expected(
  condition: string,
  m: {
    durations: number[];
    questions: Record<number, number>;
    depths: Record<number, number>;
    conversions: ConditionMeasures["conversions"];
  },
): ConditionMeasures {
  const bucketOf = (ms: number) => DURATION_EDGES_MS.filter((edge) => edge <= ms).length - 1;
  const durations = filled(DURATION_EDGES_MS.length, {});
  for (const ms of m.durations) durations[bucketOf(ms)] = (durations[bucketOf(ms)] ?? 0) + 1;
  const depths = filled(DEPTH_BUCKETS, m.depths);
  return {
    condition,
    timeOnTask: {
      finished: m.durations.length,
      medianMs: m.durations.length ? medianOf(m.durations) : null,
      buckets: DURATION_EDGES_MS.map((fromMs, i) => ({
        fromMs,
        toMs: DURATION_EDGES_MS[i + 1] ?? null,
        participants: durations[i] ?? 0,
      })),
    },
    questionsPerParticipant: filled(QUESTIONS_AT_LEAST + 1, m.questions).map((participants, questions) => ({
      questions,
      atLeast: questions === QUESTIONS_AT_LEAST,
      participants,
    })),
    scrollDepth: {
      participants: depths.reduce((a, b) => a + b, 0),
      buckets: depths.map((participants, i) => ({ from: i / 10, to: (i + 1) / 10, participants })),
    },
    conversions: m.conversions,
  };
}

export function describeStudyMeasures(store: GetStore): void {
  describe("studyMeasures", () => {
    it("is empty for a study without assignments", async () => {
      expect(await store().studyMeasures(uid("study"))).toEqual([]);
    });

    it("counts time on task, questions, deepest scroll and conversions per condition; a withdrawal removes the participant from each", async () => {
      const studyId = uid("study");
      const tag = (condition: string): StudyTag => ({ studyId, condition, studyVersion: 1 });
      const users = Object.fromEntries(
        ["u1", "u2", "u3", "u4", "u5", "u6"].map((u) => [u, uid(u)]),
      ) as Record<"u1" | "u2" | "u3" | "u4" | "u5" | "u6", string>;
      const conditionOf = { u1: "a", u2: "a", u3: "a", u4: "b", u5: "b", u6: "a" } as const;
      for (const [name, userId] of Object.entries(users)) {
        await store().assign(
          newAssignment({ studyId, userId, choose: () => conditionOf[name as keyof typeof conditionOf] }),
        );
      }
      // Questions before finishing (a finished participant takes no more turns).
      const turns = async (userId: string, n: number) => {
        for (let i = 0; i < n; i++) expect(await store().takeTurn(studyId, userId, null)).toBe(true);
      };
      await turns(users.u1, 2);
      await turns(users.u3, QUESTIONS_AT_LEAST + 1);
      await turns(users.u4, 1);
      await turns(users.u5, 1);
      await turns(users.u6, 2);

      // Different durations: a (u1, u2, u3, and u6 until withdrawn) odd and even counts; b (u4, u5) even.
      const finish = async (userId: string) => {
        const done = await store().finishAssignment(studyId, userId, "completed");
        if (!done) throw new Error("no assignment to finish");
        return durationMs(done.assignment);
      };
      await sleep(5);
      const d1 = await finish(users.u1);
      await sleep(15);
      const d2 = await finish(users.u2);
      await finish(users.u6);
      await sleep(15);
      const d3 = await finish(users.u3);
      const d4 = await finish(users.u4);
      await sleep(10);
      const d5 = await finish(users.u5);

      const scroll = (userId: string, condition: string, scrollDepth: unknown) =>
        newEvent({ userId, ...tag(condition), eventType: "SCROLL", extraData: { scrollDepth } });
      const convert = (userId: string, condition: string, label: unknown) =>
        newEvent({ userId, ...tag(condition), eventType: "CONVERSION", extraData: { label } });
      await store().recordEvents([
        // u1: deepest 0.1, exactly on an edge (the second bucket); u2: 1 (the last bucket includes 1).
        scroll(users.u1, "a", 0.05),
        scroll(users.u1, "a", 0.1),
        scroll(users.u1, "a", 0.02),
        scroll(users.u2, "a", 1),
        scroll(users.u2, "a", 0.5),
        // u3: 0.09 (the first bucket); a string, a boolean, and a depth out of 0..1 are no depth.
        scroll(users.u3, "a", 0.09),
        scroll(users.u3, "a", "0.95"),
        scroll(users.u3, "a", true),
        scroll(users.u3, "a", 1.5),
        // u4: 0.9, on the last bucket's lower edge; u5 has no SCROLL with a depth.
        scroll(users.u4, "b", 0.9),
        newEvent({ userId: users.u5, ...tag("b"), eventType: "SCROLL", extraData: { other: 1 } }),
        convert(users.u1, "a", "signup"),
        convert(users.u1, "a", "signup"),
        convert(users.u1, "a", "buy"),
        convert(users.u2, "a", "signup"),
        convert(users.u2, "a", 7),
        convert(users.u4, "b", "signup"),
        // Another study's and the open chat's events do not count.
        newEvent({
          userId: users.u1,
          studyId: uid("study"),
          condition: "a",
          studyVersion: 1,
          eventType: "SCROLL",
          extraData: { scrollDepth: 0.7 },
        }),
        newEvent({ userId: users.u1, eventType: "CONVERSION", extraData: { label: "buy" } }),
        // u6, to be withdrawn: in every measure until then.
        scroll(users.u6, "a", 0.45),
        convert(users.u6, "a", "signup"),
        convert(users.u6, "a", "withdrawn-only"),
      ]);

      const b = expected("b", {
        durations: [d4, d5],
        questions: { 1: 2 },
        depths: { 9: 1 },
        conversions: [{ label: "signup", events: 1, participants: 1 }],
      });
      const before = await store().studyMeasures(studyId);
      const withU6 = before.find((m) => m.condition === "a");
      expect(withU6?.timeOnTask.finished).toBe(4);
      expect(withU6?.questionsPerParticipant[2]?.participants).toBe(2);
      expect(withU6?.scrollDepth.buckets[4]?.participants).toBe(1);
      expect(withU6?.conversions).toEqual([
        { label: "buy", events: 1, participants: 1 },
        { label: "signup", events: 4, participants: 3 },
        { label: "withdrawn-only", events: 1, participants: 1 },
      ]);
      expect(before.find((m) => m.condition === "b")).toEqual(b);

      await store().withdrawParticipant(users.u6, newWithdrawal({ studyId, condition: "a" }));
      const a = expected("a", {
        durations: [d1, d2, d3],
        questions: { 0: 1, 2: 1, [QUESTIONS_AT_LEAST]: 1 },
        depths: { 0: 1, 1: 1, 9: 1 },
        conversions: [
          { label: "buy", events: 1, participants: 1 },
          { label: "signup", events: 3, participants: 2 },
        ],
      });
      expect(await store().studyMeasures(studyId)).toEqual([a, b]);
    });

    it("takes the mean of the two middle durations for an even count", async () => {
      const studyId = uid("study");
      const durations: number[] = [];
      for (const wait of [0, 12, 30, 5]) {
        const userId = uid("u");
        await store().assign(newAssignment({ studyId, userId, choose: () => "c" }));
        await sleep(wait);
        const done = await store().finishAssignment(studyId, userId, "completed");
        if (done) durations.push(durationMs(done.assignment));
      }
      const [measures] = await store().studyMeasures(studyId);
      expect(measures?.timeOnTask.finished).toBe(4);
      expect(measures?.timeOnTask.medianMs).toBe(medianOf(durations));
      expect(measures?.questionsPerParticipant[0]?.participants).toBe(4);
      expect(measures?.scrollDepth).toEqual(
        expected("c", { durations, questions: {}, depths: {}, conversions: [] }).scrollDepth,
      );
    });
  });
}
