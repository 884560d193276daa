import { describe, expect, it } from "vitest";
import type { NewQuery, StudyTag } from "../../api/store/store";
import { type GetStore, newAssignment, newEvent, newQuery, newWithdrawal, uid } from "./shared";

/**
 * studyMonitor: a study's counts and medians, computed by the store from
 * records written with the store's own operations. Medians are exact: the
 * middle value of an odd count, the mean of the two middle values of an
 * even one.
 */
const NO_TOKENS = { answersWithUsage: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0 };

export function describeStudyMonitor(store: GetStore): void {
  describe("studyMonitor", () => {
    it("is empty for a study without records", async () => {
      expect(await store().studyMonitor(uid("study"))).toEqual({
        consentShown: 0,
        consentDeclined: 0,
        withdrawnUnassigned: 0,
        duplicatePanelIds: 0,
        conditions: [],
        activity: [],
      });
    });

    it("counts participants by state per condition, answers, failures, stops, medians and activity", async () => {
      const studyId = uid("study");
      const [u1, u2, u3, u4, u5, u6, u8] = ["u1", "u2", "u3", "u4", "u5", "u6", "u8"].map(uid);
      const panel = uid("pid");
      const tag = (condition: string | null): StudyTag => ({ studyId, condition, studyVersion: 1 });
      const step = (userId: string, name: string) =>
        newEvent({ userId, ...tag(null), eventType: "STUDY_STEP", extraData: { step: name } });

      // Consent shown to five (twice to u1: counted once), declined by u5; another study's do not count.
      await store().recordEvents([
        step(u1 as string, "consent_shown"),
        step(u1 as string, "consent_shown"),
        ...[u2, u3, u4, u5].map((u) => step(u as string, "consent_shown")),
        step(u5 as string, "consent_declined"),
        newEvent({
          userId: u5 as string,
          studyId: uid("study"),
          condition: null,
          studyVersion: 1,
          eventType: "STUDY_STEP",
          extraData: { step: "consent_shown" },
        }),
      ]);
      const assign = (userId: string, condition: string, panelParticipantId: string | null = null) =>
        store().assign(newAssignment({ studyId, userId, panelParticipantId, choose: () => condition }));
      const first = await assign(u1 as string, "a", panel);
      await assign(u2 as string, "a");
      await assign(u3 as string, "b");
      await assign(u4 as string, "b");
      // u6 is u1's panel participant in a new session: linked, same condition; one duplicate panel id.
      await store().assign(
        newAssignment({ studyId, userId: u6 as string, panelParticipantId: panel, linkTo: first.assignment }),
      );
      await store().assign(
        newAssignment({ studyId, userId: uid("u7"), panelParticipantId: uid("pid"), choose: () => "a" }),
      );

      const ask = (userId: string, condition: string, fields: Partial<NewQuery>) =>
        store().recordQuery(newQuery({ userId, ...tag(condition), ...fields }));
      // a: latencies 100, 300, 200, 400 (even: (200 + 300) / 2), one time to first token, one failure, one stop.
      await ask(u1 as string, "a", { latencyMs: 100 });
      await ask(u1 as string, "a", { latencyMs: 300 });
      await ask(u2 as string, "a", { latencyMs: 200, ttftMs: 50, stopped: true });
      await ask(u2 as string, "a", { latencyMs: 400 });
      await ask(u6 as string, "a", { latencyMs: null, error: "provider failed" });
      // b: latencies 60, 10, 20 (odd: 20), times to first token 5 and 7 (even: 6).
      await ask(u3 as string, "b", { latencyMs: 60, ttftMs: 5 });
      await ask(u3 as string, "b", { latencyMs: 10, ttftMs: 7 });
      await ask(u3 as string, "b", { latencyMs: 20 });
      await ask(u4 as string, "b", { latencyMs: 1 }); // withdrawn below: not counted
      await store().recordEvents([newEvent({ userId: u1 as string, ...tag("a"), eventType: "CLICK" })]);

      await store().finishAssignment(studyId, u2 as string, "completed");
      await store().finishAssignment(studyId, u3 as string, "completed");
      await store().withdrawParticipant(u4 as string, newWithdrawal({ studyId, condition: "b" }));
      await store().withdrawParticipant(u8 as string, newWithdrawal({ studyId, condition: null }));

      const monitor = await store().studyMonitor(studyId);
      const { activity, ...counts } = monitor;
      expect(counts).toEqual({
        // u4's consent_shown went with their withdrawal.
        consentShown: 4,
        consentDeclined: 1,
        withdrawnUnassigned: 1,
        duplicatePanelIds: 1,
        conditions: [
          {
            condition: "a",
            consented: 4,
            inProgress: 3,
            finished: 1,
            withdrawn: 0,
            answers: 5,
            answering: 3,
            failures: 1,
            stopped: 1,
            medianLatencyMs: 250,
            medianTtftMs: 50,
            tokens: NO_TOKENS,
          },
          {
            condition: "b",
            consented: 1,
            inProgress: 0,
            finished: 1,
            withdrawn: 1,
            answers: 3,
            answering: 1,
            failures: 0,
            stopped: 0,
            medianLatencyMs: 20,
            medianTtftMs: 6,
            tokens: NO_TOKENS,
          },
        ],
      });
      // Everything arrived within a minute or so: one hour, or two across an hour's turn.
      expect(activity.length).toBeGreaterThanOrEqual(1);
      expect(activity.length).toBeLessThanOrEqual(2);
      for (const h of activity) expect(h.hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}$/);
      expect(activity.reduce((n, h) => n + h.answers, 0)).toBe(8);
      // Six study steps left (u4's gone) and one click.
      expect(activity.reduce((n, h) => n + h.events, 0)).toBe(7);
    });
    it("follows each insert and withdrawal: counts, exact medians and activity", async () => {
      const studyId = uid("study");
      const [u1, u2, u3] = [uid("u1"), uid("u2"), uid("u3")];
      const tag = (condition: string | null): StudyTag => ({ studyId, condition, studyVersion: 1 });
      const step = (userId: string, name: string) =>
        newEvent({ userId, ...tag(null), eventType: "STUDY_STEP", extraData: { step: name } });
      const ask = (userId: string, condition: string, fields: Partial<NewQuery>) =>
        store().recordQuery(newQuery({ userId, ...tag(condition), ...fields }));
      const monitor = async () => {
        const { activity, consentShown, consentDeclined, conditions } = await store().studyMonitor(studyId);
        return {
          consentShown,
          consentDeclined,
          conditions: conditions.map(
            ({ condition, withdrawn, answers, answering, failures, stopped, ...m }) => ({
              condition,
              withdrawn,
              answers,
              answering,
              failures,
              stopped,
              medianLatencyMs: m.medianLatencyMs,
              medianTtftMs: m.medianTtftMs,
            }),
          ),
          answersPerHour: activity.reduce((n, h) => n + h.answers, 0),
          eventsPerHour: activity.reduce((n, h) => n + h.events, 0),
        };
      };
      const a = { condition: "a", withdrawn: 0 };

      await store().recordEvents([
        step(u1, "consent_shown"),
        step(u2, "consent_shown"),
        step(u3, "consent_shown"),
        step(u3, "consent_declined"),
        // Not a consent step: counted in the activity only.
        step(u3, "instructions_shown"),
      ]);
      await ask(u1, "a", { latencyMs: 10, ttftMs: 5 });
      await ask(u1, "a", { latencyMs: 30 });
      await ask(u1, "a", { latencyMs: null, error: "provider failed" });
      await ask(u2, "a", { latencyMs: 20, ttftMs: 9, stopped: true });
      await ask(u2, "a", { latencyMs: 40 });
      await store().recordEvents([newEvent({ userId: u2, ...tag("a"), eventType: "CLICK" })]);
      expect(await monitor()).toEqual({
        consentShown: 3,
        consentDeclined: 1,
        conditions: [
          { ...a, answers: 5, answering: 2, failures: 1, stopped: 1, medianLatencyMs: 25, medianTtftMs: 7 },
        ],
        answersPerHour: 5,
        eventsPerHour: 6,
      });

      await ask(u3, "b", { latencyMs: 7 });
      await ask(u1, "a", { latencyMs: 35 });
      expect(await monitor()).toEqual({
        consentShown: 3,
        consentDeclined: 1,
        conditions: [
          { ...a, answers: 6, answering: 2, failures: 1, stopped: 1, medianLatencyMs: 30, medianTtftMs: 7 },
          {
            condition: "b",
            withdrawn: 0,
            answers: 1,
            answering: 1,
            failures: 0,
            stopped: 0,
            medianLatencyMs: 7,
            medianTtftMs: null,
          },
        ],
        answersPerHour: 7,
        eventsPerHour: 6,
      });

      // u2's answers (one stopped, latencies 20 and 40), click and consent go.
      await store().withdrawParticipant(u2, newWithdrawal({ studyId, condition: "a" }));
      expect(await monitor()).toEqual({
        consentShown: 2,
        consentDeclined: 1,
        conditions: [
          {
            condition: "a",
            withdrawn: 1,
            answers: 4,
            answering: 1,
            failures: 1,
            stopped: 0,
            medianLatencyMs: 30,
            medianTtftMs: 5,
          },
          {
            condition: "b",
            withdrawn: 0,
            answers: 1,
            answering: 1,
            failures: 0,
            stopped: 0,
            medianLatencyMs: 7,
            medianTtftMs: null,
          },
        ],
        answersPerHour: 5,
        eventsPerHour: 4,
      });

      // u3's decline goes too; b keeps only its withdrawal.
      await store().withdrawParticipant(u3, newWithdrawal({ studyId, condition: "b" }));
      expect(await monitor()).toEqual({
        consentShown: 1,
        consentDeclined: 0,
        conditions: [
          {
            condition: "a",
            withdrawn: 1,
            answers: 4,
            answering: 1,
            failures: 1,
            stopped: 0,
            medianLatencyMs: 30,
            medianTtftMs: 5,
          },
          {
            condition: "b",
            withdrawn: 1,
            answers: 0,
            answering: 0,
            failures: 0,
            stopped: 0,
            medianLatencyMs: null,
            medianTtftMs: null,
          },
        ],
        answersPerHour: 4,
        eventsPerHour: 1,
      });
    });

    it("sums the tokens that providers reported, per condition; a withdrawal takes its answers' away", async () => {
      const studyId = uid("study");
      const [u1, u2, u3] = [uid("u1"), uid("u2"), uid("u3")];
      const ask = (userId: string, condition: string, usage: NewQuery["usage"]) =>
        store().recordQuery(newQuery({ userId, studyId, condition, studyVersion: 1, usage }));
      const tokens = async () =>
        Object.fromEntries(
          (await store().studyMonitor(studyId)).conditions.map((c) => [c.condition, c.tokens]),
        );
      await ask(u1, "a", { promptTokens: 100, completionTokens: 20, totalTokens: 120 });
      await ask(u1, "a", { promptTokens: 50, completionTokens: 10, totalTokens: 60 });
      // Usage without a total: counts, and adds 0 to the total.
      await ask(u2, "a", { promptTokens: 7, completionTokens: null, totalTokens: null });
      // No usage (a scripted answer): counts nothing.
      await ask(u2, "a", null);
      await ask(u3, "b", null);
      expect(await tokens()).toEqual({
        a: { answersWithUsage: 3, promptTokens: 157, completionTokens: 30, totalTokens: 180 },
        b: NO_TOKENS,
      });
      await store().withdrawParticipant(u1, newWithdrawal({ studyId, condition: "a" }));
      expect(await tokens()).toEqual({
        a: { answersWithUsage: 1, promptTokens: 7, completionTokens: 0, totalTokens: 0 },
        b: NO_TOKENS,
      });
    });
  });
}
