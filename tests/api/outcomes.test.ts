import { describe, expect, it } from "vitest";
import type { StudyFile } from "../../api/studies/definition";
import { appWithStudies, ask, enrollOk, logEvents, onlyError, sleep, studyRecords, uid } from "./helpers";
import { gql, RESEARCHER_TOKEN } from "./support";

/**
 * Outcomes through the API, on this file's real D1: each outcome's code,
 * the time limit (completion.maxSeconds, a real 2 s on the server's clock)
 * refusing questions with TIME_UP and ending the participant timed-out once,
 * finishing again returning the same outcome, the end steps that only the
 * server records, and the outcome counts of the monitor.
 */

const tag = () => uid().slice(0, 8);

const OUTCOMES = {
  "timed-out": {
    code: "TIMED-OUT-7",
    message: "Time is up.",
    redirectUrl: "https://app.prolific.com/submissions/complete?cc=TIMED-OUT-7",
    redirectDelaySeconds: 2,
  },
};

function studyFile(id: string, completion: Record<string, unknown> = {}): StudyFile {
  return {
    file: `studies/${id}.json`,
    definition: {
      id,
      version: 1,
      title: `Outcomes ${id}`,
      consent: "Agree?",
      task: "Ask.",
      conditions: [
        {
          id: "only",
          llm: { provider: "scripted" },
          script: { tokenDelayMs: 0, rules: [], fallback: { answer: "Answer to {{query}}" } },
        },
      ],
      completion: { code: "DONE-1", ...completion },
      outcomes: OUTCOMES,
    },
  };
}

const participant = (studyId: string, userId = uid()) => ({
  studyId,
  userId,
  sessionId: `${userId}-session`,
});

const FINISH = `mutation Finish($input: StudyParticipantInput!) {
  finishStudy(input: $input) { outcome code message redirectUrl redirectDelaySeconds }
}`;

const ASSIGNMENT = `query A($studyId: ID!, $userId: ID) {
  assignment(studyId: $studyId, userId: $userId) { outcome finishedAt secondsUntilFinish secondsUntilTimeUp }
}`;

const MONITOR = `query($s: ID!) { studyMonitor(studyId: $s) {
  conditions { condition finished outcomes { outcome participants } } } }`;

type Assignment = {
  outcome: string | null;
  finishedAt: string | null;
  secondsUntilFinish: number;
  secondsUntilTimeUp: number | null;
};

const finish = (app: ReturnType<typeof appWithStudies>, p: ReturnType<typeof participant>) =>
  gql<{ finishStudy: Record<string, unknown> }>(app, FINISH, { input: p });

async function assignmentOf(app: ReturnType<typeof appWithStudies>, p: ReturnType<typeof participant>) {
  const result = await gql<{ assignment: Assignment }>(app, ASSIGNMENT, p);
  expect(result.errors).toBeUndefined();
  return result.data?.assignment;
}

const question = (app: ReturnType<typeof appWithStudies>, p: ReturnType<typeof participant>) =>
  ask(app, { ...p, query: `hello ${uid()}` });

describe("outcomes", () => {
  it("finishing gives the completed outcome and its code; Assignment.outcome says completed; finishing again the same", async () => {
    const id = `out-${tag()}`;
    const app = appWithStudies([studyFile(id, { maxSeconds: 3600 })]);
    const p = participant(id);
    await enrollOk(app, p);
    expect(await assignmentOf(app, p)).toMatchObject({ outcome: null, finishedAt: null });
    const first = await finish(app, p);
    expect(first.errors).toBeUndefined();
    expect(first.data?.finishStudy).toEqual({
      outcome: "completed",
      code: "DONE-1",
      message: null,
      redirectUrl: null,
      redirectDelaySeconds: 5,
    });
    expect(await assignmentOf(app, p)).toMatchObject({ outcome: "completed", secondsUntilTimeUp: null });
    expect((await finish(app, p)).data).toEqual(first.data);
  });

  it("maxSeconds: after 2 s a question is refused with TIME_UP, the participant ends timed-out once, and finishing returns the timed-out code", async () => {
    const id = `out-${tag()}`;
    const app = appWithStudies([studyFile(id, { maxSeconds: 2 })]);
    const p = participant(id);
    await enrollOk(app, p);
    const before = await assignmentOf(app, p);
    expect(before?.secondsUntilTimeUp).toBeGreaterThan(0);
    expect(before?.secondsUntilTimeUp).toBeLessThanOrEqual(2);
    expect((await question(app, p)).errors).toBeUndefined();

    await sleep(2100);
    expect((await assignmentOf(app, p))?.secondsUntilTimeUp).toBe(0);
    const refused = onlyError(await question(app, p));
    expect(refused.code).toBe("TIME_UP");
    expect(refused.extensions).toMatchObject({ outcome: "timed-out" });
    expect(onlyError(await question(app, p)).code).toBe("TIME_UP");
    expect(await assignmentOf(app, p)).toMatchObject({ outcome: "timed-out", secondsUntilTimeUp: null });

    const ended = await finish(app, p);
    expect(ended.data?.finishStudy).toEqual({ outcome: "timed-out", ...OUTCOMES["timed-out"] });
    expect((await finish(app, p)).data).toEqual(ended.data);
    const steps = await studyRecords(app, { userIds: [p.userId], eventTypes: ["STUDY_STEP"] });
    expect(steps.nodes.map((n) => n.extraData)).toEqual([
      { step: "consent_given" },
      { step: "ended", outcome: "timed-out" },
    ]);
  });

  it("maxSeconds: finishing after the time is up, without a question first, ends timed-out", async () => {
    const id = `out-${tag()}`;
    const app = appWithStudies([studyFile(id, { maxSeconds: 2 })]);
    const p = participant(id);
    await enrollOk(app, p);
    await sleep(2100);
    expect((await finish(app, p)).data?.finishStudy).toMatchObject({
      outcome: "timed-out",
      code: "TIMED-OUT-7",
    });
  });

  it("minSeconds: secondsUntilFinish counts down on the server's clock and finishing is refused until it is 0", async () => {
    const id = `out-${tag()}`;
    const app = appWithStudies([studyFile(id, { minSeconds: 2 })]);
    const p = participant(id);
    await enrollOk(app, p);
    const waiting = (await assignmentOf(app, p))?.secondsUntilFinish ?? 0;
    expect(waiting).toBeGreaterThan(0);
    expect(waiting).toBeLessThanOrEqual(2);
    const refused = onlyError(await finish(app, p));
    expect(refused.code).toBe("COMPLETION_NOT_MET");
    await sleep(2100);
    expect((await assignmentOf(app, p))?.secondsUntilFinish).toBe(0);
    expect((await finish(app, p)).data?.finishStudy).toMatchObject({ outcome: "completed" });
  });

  it("a participant's own STUDY_STEP completed or ended is refused (BAD_USER_INPUT) and nothing of the batch is stored", async () => {
    const id = `out-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    const p = participant(id);
    await enrollOk(app, p);
    for (const step of ["completed", "ended"]) {
      const result = await logEvents(app, [
        { ...p, eventId: uid(), eventType: "STUDY_STEP", extraData: { step: "task_shown" } },
        { ...p, eventId: uid(), eventType: "STUDY_STEP", extraData: { step, outcome: "completed" } },
      ]);
      const error = onlyError(result);
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain(`"${step}"`);
    }
    const steps = await studyRecords(app, { userIds: [p.userId], eventTypes: ["STUDY_STEP"] });
    expect(steps.nodes.map((n) => n.extraData)).toEqual([{ step: "consent_given" }]);
    expect((await assignmentOf(app, p))?.outcome).toBeNull();
  });

  it("the monitor counts each condition's participants by outcome", async () => {
    const id = `out-${tag()}`;
    const app = appWithStudies([studyFile(id, { maxSeconds: 2 })]);
    const [a, b, c] = [participant(id), participant(id), participant(id)];
    for (const p of [a, b, c]) await enrollOk(app, p);
    await finish(app, a);
    await sleep(2100);
    await question(app, b); // ends b timed-out
    const result = await gql<{ studyMonitor: unknown }>(app, MONITOR, { s: id }, { token: RESEARCHER_TOKEN });
    expect(result.errors).toBeUndefined();
    expect(result.data?.studyMonitor).toEqual({
      conditions: [
        {
          condition: "only",
          finished: 2,
          outcomes: [
            { outcome: "completed", participants: 1 },
            { outcome: "timed-out", participants: 1 },
          ],
        },
      ],
    });
  });
});
