import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import { PARTICIPANT_HEADER } from "../../api/participants/credential";
import type { StudyFile } from "../../api/studies/definition";
import {
  appWithStudies,
  ask,
  askOk,
  enrollOk,
  logEvents,
  onlyError,
  sleep,
  studyRecords,
  uid,
} from "./helpers";
import { gql, participantToken, RESEARCHER_TOKEN } from "./support";

/**
 * Attention checks through the API, on this file's real D1 (api/attention/):
 * a check due refuses `query`, the reply is judged on the server and stored
 * as an ATTENTION_CHECK event, maxFailures ends the participation with the
 * policy's outcome (or, flag-only, never), and participants cannot forge
 * results through logEvents.
 */

const tag = () => uid().slice(0, 8);

function studyFile(id: string, fields: Record<string, unknown>): StudyFile {
  return {
    file: `studies/${id}.json`,
    definition: {
      id,
      version: 1,
      title: `Study ${id}`,
      consent: "Do you agree?",
      task: "Ask anything.",
      conditions: [
        {
          id: "only",
          llm: { provider: "scripted" },
          script: { tokenDelayMs: 0, rules: [], fallback: { answer: "Answer to: {{query}}" } },
          maxTurns: 3,
        },
      ],
      completion: { code: "DONE-1" },
      outcomes: {
        "failed-attention-check": { code: "FAILED-1", message: "The study has ended." },
        "screened-out": { code: "SCREENED-1" },
      },
      ...fields,
    },
  };
}

const colour = {
  id: "colour",
  afterTurns: 1,
  message: "To show you read this, please type the word **blue**.",
  rule: { equals: "blue" },
};
const animal = {
  id: "animal",
  afterTurns: 1,
  message: "Type the name of a cat.",
  rule: { oneOf: ["cat", "a cat"] },
};

const CHECK = `query C($studyId: ID!) { attentionCheck(studyId: $studyId) { id message } }`;
const ANSWER = `mutation A($input: AnswerAttentionCheckInput!) {
  answerAttentionCheck(input: $input) { checkId ended outcome }
}`;
const ASSIGNMENT_TURNS = `query T($studyId: ID!, $userId: ID) {
  assignment(studyId: $studyId, userId: $userId) { turns: turnsUsed finishedAt }
}`;

type Who = { studyId: string; userId: string; sessionId: string };

async function joined(app: App, studyId: string): Promise<Who> {
  const userId = uid();
  const who = { studyId, userId, sessionId: `${userId}-session` };
  await enrollOk(app, who);
  return who;
}

async function dueCheck(app: App, who: Who) {
  const result = await gql<{ attentionCheck: { id: string; message: string } | null }>(
    app,
    CHECK,
    { studyId: who.studyId },
    { participant: who },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.attentionCheck ?? null;
}

function reply(app: App, who: Who, checkId: string, text: string) {
  return gql<{ answerAttentionCheck: { checkId: string; ended: boolean; outcome: string | null } }>(
    app,
    ANSWER,
    { input: { studyId: who.studyId, checkId, reply: text } },
    { participant: who },
  );
}

async function replyOk(app: App, who: Who, checkId: string, text: string) {
  const result = await reply(app, who, checkId, text);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.answerAttentionCheck;
}

const question = (who: Who, query: string) => ({ ...who, query });

async function turnsOf(app: App, who: Who) {
  const result = await gql<{ assignment: { turns: number; finishedAt: string | null } }>(
    app,
    ASSIGNMENT_TURNS,
    { studyId: who.studyId, userId: who.userId },
    { token: RESEARCHER_TOKEN },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.assignment;
}

async function attentionEvents(app: App, who: Who) {
  const { nodes } = await studyRecords(app, { userIds: [who.userId], eventTypes: ["ATTENTION_CHECK"] });
  return nodes;
}

describe("attention checks", () => {
  it("a check due after the first answer refuses query until it is answered; the reply is judged and stored, and takes no turn", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([studyFile(id, { attentionChecks: [colour] })]);
    const who = await joined(app, id);
    expect(await dueCheck(app, who)).toBeNull();
    await askOk(app, question(who, "first"));
    expect(await dueCheck(app, who)).toEqual({ id: "colour", message: colour.message });

    const refused = onlyError(await ask(app, question(who, "second")));
    expect(refused.code).toBe("ATTENTION_CHECK_DUE");
    expect(refused.extensions.checkId).toBe("colour");
    expect((await turnsOf(app, who))?.turns, "a refused message takes no turn").toBe(1);

    expect(await replyOk(app, who, "colour", "  BLUE ")).toEqual({
      checkId: "colour",
      ended: false,
      outcome: null,
    });
    expect(await dueCheck(app, who)).toBeNull();
    expect((await turnsOf(app, who))?.turns, "the reply takes no turn").toBe(1);
    await askOk(app, question(who, "second"));
    await askOk(app, question(who, "third"));
    expect((await turnsOf(app, who))?.turns).toBe(3);

    const [event, ...more] = await attentionEvents(app, who);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      studyId: id,
      condition: "only",
      studyVersion: 1,
      eventType: "ATTENTION_CHECK",
      extraData: { checkId: "colour", reply: "BLUE", passed: true, failures: 0, ended: false },
    });

    // A second reply to the same check stores nothing more.
    expect(await replyOk(app, who, "colour", "red")).toEqual({
      checkId: "colour",
      ended: false,
      outcome: null,
    });
    expect(await attentionEvents(app, who)).toHaveLength(1);
  });

  it("queryStream is refused the same way while a check is due (the site's streamed path)", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([studyFile(id, { attentionChecks: [colour] })]);
    const who = await joined(app, id);
    await askOk(app, question(who, "first"));
    const response = await app.api.fetch(
      new Request("http://test/graphql", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          [PARTICIPANT_HEADER]: await participantToken(app, who),
        },
        body: JSON.stringify({
          query: `subscription S($input: QueryInput!) { queryStream(input: $input) { queryId delta } }`,
          variables: { input: question(who, "second") },
        }),
      }),
      {},
    );
    const body = await response.text();
    expect(body).toContain('"code":"ATTENTION_CHECK_DUE"');
    expect(body).not.toContain('"delta"');
    expect((await turnsOf(app, who))?.turns).toBe(1);
  });

  it("a reply to a check not due yet is refused with ATTENTION_CHECK_NOT_DUE; an unknown check is NOT_FOUND", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([studyFile(id, { attentionChecks: [colour, animal] })]);
    const who = await joined(app, id);
    expect(onlyError(await reply(app, who, "colour", "blue")).code).toBe("ATTENTION_CHECK_NOT_DUE");
    await askOk(app, question(who, "first"));
    const second = onlyError(await reply(app, who, "animal", "cat"));
    expect(second.code, "the first due check comes first").toBe("ATTENTION_CHECK_NOT_DUE");
    expect(second.extensions.checkId).toBe("colour");
    expect(onlyError(await reply(app, who, "nope", "x")).code).toBe("NOT_FOUND");
    expect(await attentionEvents(app, who)).toEqual([]);
  });

  it("after maxFailures failed checks the participation ends with the failure outcome: no more answers", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([studyFile(id, { attentionChecks: [colour, animal] })]); // maxFailures 2 by default
    const who = await joined(app, id);
    await askOk(app, question(who, "first"));
    expect(await replyOk(app, who, "colour", "green")).toEqual({
      checkId: "colour",
      ended: false,
      outcome: null,
    });
    expect((await dueCheck(app, who))?.id).toBe("animal");
    expect(await replyOk(app, who, "animal", "dog")).toEqual({
      checkId: "animal",
      ended: true,
      outcome: "failed-attention-check",
    });
    expect((await turnsOf(app, who))?.finishedAt).not.toBeNull();
    expect(onlyError(await ask(app, question(who, "more"))).code).toBe("STUDY_FINISHED");
    expect(await dueCheck(app, who)).toBeNull();
    const events = await attentionEvents(app, who);
    expect(events.map((e) => e.extraData)).toEqual([
      { checkId: "colour", reply: "green", passed: false, failures: 1, ended: false },
      { checkId: "animal", reply: "dog", passed: false, failures: 2, ended: true },
    ]);
  });

  it("a named outcome ends with that outcome; a passed check does not count as a failure", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([
      studyFile(id, {
        attentionChecks: [colour, animal],
        attentionPolicy: { maxFailures: 1, outcome: "screened-out" },
      }),
    ]);
    const who = await joined(app, id);
    await askOk(app, question(who, "first"));
    expect((await replyOk(app, who, "colour", "blue"))?.ended).toBe(false);
    expect(await replyOk(app, who, "animal", "dog")).toEqual({
      checkId: "animal",
      ended: true,
      outcome: "screened-out",
    });
    expect(onlyError(await ask(app, question(who, "more"))).code).toBe("STUDY_FINISHED");
  });

  it("a screening item (failOutcome) ends at its first failed reply with its outcome, even where the policy only flags", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([
      studyFile(id, {
        attentionChecks: [{ ...animal, failOutcome: "screened-out" }],
        attentionPolicy: { maxFailures: 5, action: "flag" },
      }),
    ]);
    const passing = await joined(app, id);
    await askOk(app, question(passing, "first"));
    expect(await replyOk(app, passing, "animal", "a cat")).toEqual({
      checkId: "animal",
      ended: false,
      outcome: null,
    });
    await askOk(app, question(passing, "second"));

    const failing = await joined(app, id);
    await askOk(app, question(failing, "first"));
    expect(await replyOk(app, failing, "animal", "dog")).toEqual({
      checkId: "animal",
      ended: true,
      outcome: "screened-out",
    });
    expect(onlyError(await ask(app, question(failing, "more"))).code).toBe("STUDY_FINISHED");
  });

  it('with action "flag" failed checks are only recorded: the participation never ends', async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([
      studyFile(id, {
        attentionChecks: [colour, animal],
        attentionPolicy: { maxFailures: 1, action: "flag" },
      }),
    ]);
    const who = await joined(app, id);
    await askOk(app, question(who, "first"));
    expect(await replyOk(app, who, "colour", "green")).toEqual({
      checkId: "colour",
      ended: false,
      outcome: null,
    });
    expect(await replyOk(app, who, "animal", "dog")).toEqual({
      checkId: "animal",
      ended: false,
      outcome: null,
    });
    expect((await turnsOf(app, who))?.finishedAt).toBeNull();
    await askOk(app, question(who, "still here"));
    const events = await attentionEvents(app, who);
    expect(events.map((e) => (e.extraData as { passed: boolean }).passed)).toEqual([false, false]);
  });

  it("a check due afterSeconds since consent (server time) refuses query once the time has passed", async () => {
    const id = `att-${tag()}`;
    const timed = { id: "timed", afterSeconds: 2, message: "Type **yes**.", rule: { matches: "^y(es)?$" } };
    const app = appWithStudies([studyFile(id, { attentionChecks: [timed] })]);
    const who = await joined(app, id);
    await askOk(app, question(who, "before"));
    expect(await dueCheck(app, who)).toBeNull();
    await sleep(2100);
    expect((await dueCheck(app, who))?.id).toBe("timed");
    expect(onlyError(await ask(app, question(who, "after"))).code).toBe("ATTENTION_CHECK_DUE");
    await replyOk(app, who, "timed", "Yes");
    await askOk(app, question(who, "after"));
    expect((await attentionEvents(app, who))[0]?.extraData).toMatchObject({ passed: true });
  });

  it("participants cannot send ATTENTION_CHECK events through logEvents: the batch is refused, nothing stored", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([studyFile(id, { attentionChecks: [colour] })]);
    const who = await joined(app, id);
    const base = { userId: who.userId, sessionId: who.sessionId, studyId: id };
    const result = await logEvents(app, [
      { ...base, eventId: uid(), eventType: "SCROLL", extraData: { scrollDepth: 0.5 } },
      {
        ...base,
        eventId: uid(),
        eventType: "ATTENTION_CHECK",
        extraData: { checkId: "colour", reply: "blue", passed: true },
      },
    ]);
    const refused = onlyError(result);
    expect(refused.code).toBe("BAD_USER_INPUT");
    expect(refused.message).toMatch(/ATTENTION_CHECK is recorded by the server only/);
    const { nodes } = await studyRecords(app, { userIds: [who.userId], kinds: ["EVENT"] });
    expect(nodes.filter((n) => n.eventType !== "STUDY_STEP")).toEqual([]);
    // The forged pass did not answer the check.
    await askOk(app, question(who, "first"));
    expect((await dueCheck(app, who))?.id).toBe("colour");
  });

  it("a study without checks answers attentionCheck with null and never refuses query for one", async () => {
    const id = `att-${tag()}`;
    const app = appWithStudies([studyFile(id, {})]);
    const who = await joined(app, id);
    await askOk(app, question(who, "one"));
    expect(await dueCheck(app, who)).toBeNull();
    await askOk(app, question(who, "two"));
  });
});
