import { describe, expect, it } from "vitest";
import { ask } from "../../../api/answers/ask";
import { ErrorCode } from "../../../api/errors";
import { endStudy } from "../../../api/studies/end-study";
import { finish } from "../../../api/studies/finish";
import { enroll, studyOrError } from "../../../api/studies/participants";
import { as, type DomainSetup, domainSetup, participant, refused } from "./support";

/** endStudy, finish and the time limit (api/studies/end-study.ts, finish.ts, time-up.ts) on the app's real ports. */

const OUTCOMES = {
  "timed-out": { code: "TIME-UP-1", message: "Your time is up.", redirectUrl: "https://panel.example/t" },
  "screened-out": { code: "SCREEN-1", redirectDelaySeconds: 0 },
};

const steps = async (setup: DomainSetup, userId: string) => {
  const page = await setup.deps.store.exportPage(
    { studyIds: [setup.studyId], userIds: [userId], eventTypes: ["STUDY_STEP"] },
    100,
    null,
  );
  return page.records.map(({ record }) => (record.kind === "EVENT" ? record.extraData : null));
};

const question = (setup: DomainSetup, who: ReturnType<typeof participant>) =>
  ask(setup.deps, as(who), {
    studyId: setup.studyId,
    query: "hello",
    conversationId: null,
    clientTime: null,
  });

describe("endStudy", () => {
  it("ends with the outcome's ending, once: the first end wins, later ends (any outcome) get the stored one", async () => {
    const setup = domainSetup({ completion: { maxSeconds: 3600 }, outcomes: OUTCOMES });
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    const study = studyOrError(setup.deps, setup.studyId);
    const ending = await endStudy(setup.deps, who, study, "screened-out", null);
    expect(ending).toEqual({
      outcome: "screened-out",
      code: "SCREEN-1",
      message: null,
      redirectUrl: null,
      redirectDelaySeconds: 0,
    });
    expect(await endStudy(setup.deps, who, study, "timed-out", null)).toEqual(ending);
    expect(await finish(setup.deps, as(who), setup.studyId, null)).toEqual(ending);
    expect((await setup.deps.store.getAssignment(setup.studyId, who.userId))?.outcome).toBe("screened-out");
    expect(await steps(setup, who.userId)).toEqual([
      { step: "consent_given" },
      { step: "ended", outcome: "screened-out" },
    ]);
    await refused(question(setup, who), ErrorCode.STUDY_FINISHED);
  });

  it("refuses an outcome the study does not define, before anything is stored", async () => {
    const setup = domainSetup();
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    const study = studyOrError(setup.deps, setup.studyId);
    await expect(endStudy(setup.deps, who, study, "screened-out", null)).rejects.toThrow(
      /defines no outcome "screened-out"/,
    );
    expect((await setup.deps.store.getAssignment(setup.studyId, who.userId))?.outcome).toBeNull();
  });

  it("is NOT_ENROLLED before consent", async () => {
    const setup = domainSetup();
    const study = studyOrError(setup.deps, setup.studyId);
    await refused(endStudy(setup.deps, participant(), study, "completed", null), ErrorCode.NOT_ENROLLED);
  });

  it("finish ends completed and stores the completed step with its outcome", async () => {
    const setup = domainSetup();
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    expect((await finish(setup.deps, as(who), setup.studyId, null)).outcome).toBe("completed");
    expect(await steps(setup, who.userId)).toEqual([
      { step: "consent_given" },
      { step: "completed", outcome: "completed" },
    ]);
  });
});

describe("completion.maxSeconds", () => {
  it("once the time is up, a question is refused with TIME_UP and the participant ends timed-out, once", async () => {
    const setup = domainSetup({ completion: { maxSeconds: 1 }, outcomes: OUTCOMES });
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    await question(setup, who); // in time
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const error = await refused(question(setup, who), ErrorCode.TIME_UP);
    expect(error.details).toEqual({ outcome: "timed-out" });
    await refused(question(setup, who), ErrorCode.TIME_UP);
    const stored = await setup.deps.store.getAssignment(setup.studyId, who.userId);
    expect(stored).toMatchObject({ outcome: "timed-out", turns: 1 });
    expect(await finish(setup.deps, as(who), setup.studyId, null)).toEqual({
      outcome: "timed-out",
      code: "TIME-UP-1",
      message: "Your time is up.",
      redirectUrl: "https://panel.example/t",
      redirectDelaySeconds: 5,
    });
    expect(await steps(setup, who.userId)).toEqual([
      { step: "consent_given" },
      { step: "ended", outcome: "timed-out" },
    ]);
  });

  it("finishing after the time is up ends timed-out, not completed", async () => {
    const setup = domainSetup({ completion: { maxSeconds: 1 }, outcomes: OUTCOMES });
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await finish(setup.deps, as(who), setup.studyId, null)).code).toBe("TIME-UP-1");
  });

  it("a participant who finished in time keeps completed after the time is up", async () => {
    const setup = domainSetup({ completion: { maxSeconds: 1 }, outcomes: OUTCOMES });
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    const done = await finish(setup.deps, as(who), setup.studyId, null);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await finish(setup.deps, as(who), setup.studyId, null)).toEqual(done);
    expect(done.outcome).toBe("completed");
    await refused(question(setup, who), ErrorCode.STUDY_FINISHED);
  });
});
