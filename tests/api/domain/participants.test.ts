import { describe, expect, it } from "vitest";
import { ask } from "../../../api/answers/ask";
import { ErrorCode } from "../../../api/errors";
import { finish } from "../../../api/studies/finish";
import { enroll, withdraw, withdrewFrom } from "../../../api/studies/participants";
import { uid } from "../helpers";
import { as, domainSetup, participant, refused, researcher } from "./support";

/** enroll, finish and withdraw (api/studies/participants.ts), called as the resolvers call them. */

const studyRecords = (setup: ReturnType<typeof domainSetup>, userId: string) =>
  setup.deps.store.count({ studyIds: [setup.studyId], userIds: [userId] });

const steps = async (setup: ReturnType<typeof domainSetup>, userId: string) => {
  const page = await setup.deps.store.exportPage(
    { studyIds: [setup.studyId], userIds: [userId], eventTypes: ["STUDY_STEP"] },
    100,
    null,
  );
  return page.records.map(({ record }) =>
    record.kind === "EVENT" ? (record.extraData as { step: string }).step : "query",
  );
};

describe("enroll", () => {
  it("assigns once: a second call returns the same assignment and stores no second consent step", async () => {
    const setup = domainSetup();
    const who = participant({ participantId: `pid-${uid()}` });
    const first = await enroll(setup.deps, as(who), setup.studyId, null);
    const again = await enroll(setup.deps, as(who), setup.studyId, null);
    expect(first).toMatchObject({ studyId: setup.studyId, userId: who.userId, studyVersion: 3, turns: 0 });
    expect(["alpha", "beta"]).toContain(first.condition);
    expect(again).toEqual(first);
    expect(await steps(setup, who.userId)).toEqual(["consent_given"]);
  });

  it("needs a full session: none or the tracker's events-only copy is UNAUTHENTICATED", async () => {
    const setup = domainSetup();
    await refused(enroll(setup.deps, as(null), setup.studyId, null), ErrorCode.UNAUTHENTICATED);
    const tracker = { ...participant(), scope: "events" as const };
    await refused(enroll(setup.deps, as(tracker), setup.studyId, null), ErrorCode.UNAUTHENTICATED);
    expect(await setup.deps.store.getAssignment(setup.studyId, tracker.userId)).toBeNull();
  });

  it("refuses a credential bound to another study (FORBIDDEN), an unknown study (NOT_FOUND) and a closed one (STUDY_CLOSED)", async () => {
    const setup = domainSetup();
    const bound = participant({}, "some-other-study");
    await refused(enroll(setup.deps, as(bound), setup.studyId, null), ErrorCode.FORBIDDEN);
    await refused(enroll(setup.deps, as(participant()), "no-such-study", null), ErrorCode.NOT_FOUND);
    const closed = domainSetup({ active: false });
    const who = participant();
    const error = await refused(enroll(closed.deps, as(who), closed.studyId, null), ErrorCode.STUDY_CLOSED);
    expect(error.message).toContain(closed.studyId);
    expect(await closed.deps.store.getAssignment(closed.studyId, who.userId)).toBeNull();
  });

  it("links a second session with the same panel id: same condition, no arrival number, its own turns", async () => {
    const setup = domainSetup();
    const pid = `pid-${uid()}`;
    const first = participant({ participantId: pid });
    const second = participant({ participantId: pid });
    const original = await enroll(setup.deps, as(first), setup.studyId, null);
    await ask(setup.deps, as(first), {
      studyId: setup.studyId,
      query: "hello",
      conversationId: null,
      clientTime: null,
    });
    const linked = await enroll(setup.deps, as(second), setup.studyId, null);
    expect(linked.userId).toBe(second.userId);
    expect(linked.condition).toBe(original.condition);
    expect(linked.seq).toBeNull();
    expect(linked.linkedTo).toBe(first.userId);
    expect(linked.turns).toBe(0);
    expect(original.seq).not.toBeNull();
  });
});

describe("finish", () => {
  it("is refused before consent (NOT_ENROLLED) and before minTurns is met (COMPLETION_NOT_MET, with the numbers)", async () => {
    const setup = domainSetup({ completion: { minTurns: 2 } });
    const who = participant();
    await refused(finish(setup.deps, as(who), setup.studyId, null), ErrorCode.NOT_ENROLLED);
    await enroll(setup.deps, as(who), setup.studyId, null);
    await ask(setup.deps, as(who), {
      studyId: setup.studyId,
      query: "one",
      conversationId: null,
      clientTime: null,
    });
    const error = await refused(
      finish(setup.deps, as(who), setup.studyId, null),
      ErrorCode.COMPLETION_NOT_MET,
    );
    expect(error.details).toEqual({ minTurns: 2, turnsUsed: 1 });
    expect(error.message).toBe("Please send at least 2 messages before you finish (you have sent 1).");
    expect((await setup.deps.store.getAssignment(setup.studyId, who.userId))?.finishedAt).toBeNull();
  });

  it("is refused before minSeconds have passed since consent, counted in server time", async () => {
    const setup = domainSetup({ completion: { minSeconds: 600 } });
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    const error = await refused(
      finish(setup.deps, as(who), setup.studyId, null),
      ErrorCode.COMPLETION_NOT_MET,
    );
    expect(error.details.minSeconds).toBe(600);
    expect(error.details.secondsLeft).toBeGreaterThan(590);
    expect(error.details.secondsLeft).toBeLessThanOrEqual(600);
  });

  it("closes the assignment once: the completion comes back twice, one completed step, and no more answers", async () => {
    const setup = domainSetup({ completion: { minTurns: 1 } });
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, "2026-12-01T10:00:00.000Z");
    await ask(setup.deps, as(who), {
      studyId: setup.studyId,
      query: "one",
      conversationId: null,
      clientTime: null,
    });
    const done = await finish(setup.deps, as(who), setup.studyId, null);
    expect(done).toEqual({
      outcome: "completed",
      code: "DOMAIN-CODE",
      message: null,
      redirectUrl: null,
      redirectDelaySeconds: 5,
    });
    expect(await finish(setup.deps, as(who), setup.studyId, null)).toEqual(done);
    expect(await steps(setup, who.userId)).toEqual(["consent_given", "completed"]);
    await refused(
      ask(setup.deps, as(who), {
        studyId: setup.studyId,
        query: "two",
        conversationId: null,
        clientTime: null,
      }),
      ErrorCode.STUDY_FINISHED,
    );
  });
});

describe("withdraw", () => {
  it("deletes the participant's study and open-chat records and writes an audit entry of HMACs, no ids", async () => {
    const setup = domainSetup();
    const pid = `pid-${uid()}`;
    const who = participant({ participantId: pid });
    const assignment = await enroll(setup.deps, as(who), setup.studyId, null);
    await ask(setup.deps, as(who), {
      studyId: setup.studyId,
      query: "in study",
      conversationId: null,
      clientTime: null,
    });
    await ask(setup.deps, as(who), {
      studyId: null,
      query: "open chat",
      conversationId: null,
      clientTime: null,
    });
    const bystander = participant();
    await enroll(setup.deps, as(bystander), setup.studyId, null);

    expect(await withdrewFrom(setup.deps, as(who), setup.studyId)).toBe(false);
    const result = await withdraw(setup.deps, as(who), setup.studyId, null);
    expect(result).toEqual({ deletedQueries: 2, deletedEvents: 1 });
    expect(await setup.deps.store.count({ userIds: [who.userId] })).toBe(0);
    expect(await setup.deps.store.getAssignment(setup.studyId, who.userId)).toBeNull();
    expect(await studyRecords(setup, bystander.userId)).toBe(1);

    const audit = await setup.deps.store.listWithdrawals(setup.studyId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      studyId: setup.studyId,
      studyVersion: 3,
      condition: assignment.condition,
      by: "participant",
      deletedQueries: 2,
      deletedEvents: 1,
    });
    const written = JSON.stringify(audit[0]);
    expect(written).not.toContain(who.userId);
    expect(written).not.toContain(pid);
    expect(audit[0]?.panelIdHmac).toMatch(/^[\w-]{20,}$/);

    // Recognised by the panel id's HMAC in a new session too: no second participation.
    await refused(enroll(setup.deps, as(who), setup.studyId, null), ErrorCode.WITHDRAWN);
    const again = participant({ participantId: pid });
    await refused(enroll(setup.deps, as(again), setup.studyId, null), ErrorCode.WITHDRAWN);
    // What the consent page asks first, so it stores nothing for them.
    expect(await withdrewFrom(setup.deps, as(who), setup.studyId)).toBe(true);
    expect(await withdrewFrom(setup.deps, as(again), setup.studyId)).toBe(true);
    expect(
      await withdrewFrom(setup.deps, as(participant({ participantId: `${pid}-other` })), setup.studyId),
    ).toBe(false);
    await refused(withdrewFrom(setup.deps, as(null), setup.studyId), ErrorCode.UNAUTHENTICATED);
  });

  it("lets a participant withdraw only themselves, and a researcher anyone by userId", async () => {
    const setup = domainSetup();
    const victim = participant();
    await enroll(setup.deps, as(victim), setup.studyId, null);
    await refused(withdraw(setup.deps, as(participant()), setup.studyId, victim.userId), ErrorCode.FORBIDDEN);
    await refused(withdraw(setup.deps, as(null), setup.studyId, victim.userId), ErrorCode.UNAUTHENTICATED);
    const tracker = { ...victim, scope: "events" as const };
    await refused(withdraw(setup.deps, as(tracker), setup.studyId, null), ErrorCode.UNAUTHENTICATED);
    await refused(withdraw(setup.deps, researcher, setup.studyId, null), ErrorCode.BAD_USER_INPUT);
    expect(await studyRecords(setup, victim.userId)).toBe(1);

    expect(await withdraw(setup.deps, researcher, setup.studyId, victim.userId)).toEqual({
      deletedQueries: 0,
      deletedEvents: 1,
    });
    const [entry] = await setup.deps.store.listWithdrawals(setup.studyId);
    expect(entry?.by).toBe("researcher");
    expect(await studyRecords(setup, victim.userId)).toBe(0);
  });
});
