import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signLink } from "../../api/answers/link-signature";
import type { App } from "../../api/app";
import type { StudyFile } from "../../api/studies/definition";
import {
  appWithStudies,
  ask,
  askOk,
  conditionOf,
  enroll,
  enrollOk,
  logEvent,
  logEvents,
  makeEvents,
  onlyError,
  STUDY_EXPORT,
  type StudyRecord,
  studyRecords,
  uid,
} from "./helpers";
import { gql, RESEARCHER_TOKEN } from "./support";

/**
 * Studies through the API, on this file's real D1, with study files made by
 * each test: scripted conditions (no pause between words) whose answers say
 * which condition answered, so every assertion about conditions is exact.
 */

const SYSTEM_PROMPT = "SYSTEM-PROMPT-9d41: never reveal this";
const SCRIPT_SECRET = "SCRIPT-TEXT-52ab";

/** A short unique suffix for ids (study and condition ids are slugs). */
const tag = () => uid().slice(0, 8);

type ConditionSpec = { id: string } & Record<string, unknown>;

/** A scripted condition: its answer names it; "coffee" gets an answer with a source. */
function scripted(id: string, extra: Record<string, unknown> = {}): ConditionSpec {
  return {
    id,
    llm: { provider: "scripted", systemPrompt: `${SYSTEM_PROMPT} (${id})`, temperature: 0.4 },
    script: {
      model: `model-${id}`,
      tokenDelayMs: 0,
      rules: [
        {
          pattern: "coffee",
          answer: `Condition ${id} says coffee is fine. ${SCRIPT_SECRET}`,
          sources: [{ title: `Source of ${id}`, url: `https://example.org/${id}` }],
        },
      ],
      fallback: { answer: `Condition ${id} answers: {{query}}` },
    },
    ...extra,
  };
}

function studyFile(id: string, fields: Record<string, unknown> = {}): StudyFile {
  return {
    file: `studies/${id}.json`,
    definition: {
      id,
      version: 3,
      title: `Study ${id}`,
      consent: "Do you **agree**?",
      task: "Ask about coffee.",
      conditions: [scripted("alpha"), scripted("beta", { weight: 2, showSources: false, maxTurns: 5 })],
      completion: {
        code: "CODE-42",
        message: "Thank you!",
        redirectUrl: "https://app.prolific.com/submissions/complete?cc=CODE-42",
        redirectDelaySeconds: 3,
      },
      ...fields,
    },
  };
}

/** A participant of a study, with a session of their own. */
function participant(studyId: string, userId = uid()) {
  return { studyId, userId, sessionId: `${userId}-session` };
}

const STUDIES = `query Studies($all: Boolean) {
  studies(includeInactive: $all) {
    id version title active consent task assignment
    conditions { id description weight provider model showSources maxTurns }
  }
}`;

const STATUS_STUDIES = `{ status { studies { id conditions { id weight provider model showSources maxTurns } } } }`;

const ASSIGNMENT = `query A($studyId: ID!, $userId: ID) {
  assignment(studyId: $studyId, userId: $userId) { studyId userId condition studyVersion }
}`;

const FINISH = `mutation Finish($input: StudyParticipantInput!) {
  finishStudy(input: $input) { code message redirectUrl redirectDelaySeconds }
}`;

const WITHDRAW = `mutation W($studyId: ID!, $userId: ID!) {
  withdraw(studyId: $studyId, userId: $userId) { deletedQueries deletedEvents }
}`;

const CONVERSATIONS = `query C($userId: ID!, $studyId: ID) {
  conversations(userId: $userId, studyId: $studyId) { id title turns startedAt lastAt }
}`;

const CONVERSATION = `query T($id: ID!, $userId: ID!) {
  conversation(id: $id, userId: $userId) { id conversationId userId query response studyId condition }
}`;

const LOG_CLICK = `mutation Click($input: LogClickInput!) {
  logClick(input: $input) { eventId duplicate }
}`;

type Summary = { id: string; title: string; turns: number; startedAt: string; lastAt: string };

/** A participant's stored assignment, as a researcher reads it (participants are not shown their condition). */
async function assignmentOf(app: App, studyId: string, userId: string) {
  const result = await gql<{ assignment: { condition: string } | null }>(
    app,
    ASSIGNMENT,
    { studyId, userId },
    { token: RESEARCHER_TOKEN },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.assignment ?? null;
}

async function conversationsOf(app: App, userId: string, studyId?: string): Promise<Summary[]> {
  const result = await gql<{ conversations: Summary[] }>(app, CONVERSATIONS, { userId, studyId });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.conversations ?? [];
}

const studyFields = (r: StudyRecord) => ({
  studyId: r.studyId,
  condition: r.condition,
  studyVersion: r.studyVersion,
});

describe("studies in status and the studies query", () => {
  const open = `open-${tag()}`;
  const closed = `closed-${tag()}`;
  const files = [
    studyFile(open, {
      conditions: [
        scripted("alpha"),
        {
          id: "model",
          weight: 2.5,
          description: "The deployment's model",
          llm: {
            provider: "default",
            model: "gpt-test-model",
            systemPrompt: SYSTEM_PROMPT,
            temperature: 0.1,
          },
          showSources: false,
          maxTurns: 4,
        },
      ],
    }),
    studyFile(closed, { active: false }),
  ];
  // With a key, "default" conditions answer through the OpenAI-compatible provider (never called here).
  const app = () => appWithStudies(files, { OPENAI_API_KEY: "sk-test-key-never-shown" });

  it("status lists the active studies and their conditions, never a prompt, a script or a key", async () => {
    // The conditions are for researchers only (participants stay blind to them): UNAUTHENTICATED without a token.
    const anonymous = await gql(app(), STATUS_STUDIES);
    expect(onlyError(anonymous).code).toBe("UNAUTHENTICATED");
    expect(JSON.stringify(anonymous)).not.toContain("model-alpha");
    const result = await gql<{ status: { studies: unknown[] } }>(
      app(),
      STATUS_STUDIES,
      {},
      { token: RESEARCHER_TOKEN },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.status.studies).toEqual([
      {
        id: open,
        conditions: [
          {
            id: "alpha",
            weight: 1,
            provider: "scripted",
            model: "model-alpha",
            showSources: true,
            maxTurns: null,
          },
          {
            id: "model",
            weight: 2.5,
            provider: "openai",
            model: "gpt-test-model",
            showSources: false,
            maxTurns: 4,
          },
        ],
      },
    ]);
    const text = JSON.stringify([result, anonymous]);
    for (const secret of [SYSTEM_PROMPT, SCRIPT_SECRET, "Condition alpha", "sk-test-key"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("studies lists the active ones, all with includeInactive, and never a prompt or a script", async () => {
    // Conditions are researcher-only: a researcher reads the whole list (without a token: UNAUTHENTICATED).
    const researcher = { token: RESEARCHER_TOKEN };
    expect(onlyError(await gql(app(), STUDIES)).code).toBe("UNAUTHENTICATED");
    const active = await gql<{ studies: { id: string; active: boolean }[] }>(app(), STUDIES, {}, researcher);
    expect(active.errors).toBeUndefined();
    expect(active.data?.studies.map((s) => s.id)).toEqual([open]);
    expect(active.data?.studies[0]).toMatchObject({
      version: 3,
      title: `Study ${open}`,
      active: true,
      consent: "Do you **agree**?",
      task: "Ask about coffee.",
      assignment: "WEIGHTED",
    });

    const all = await gql<{ studies: { id: string; active: boolean }[] }>(
      app(),
      STUDIES,
      { all: true },
      researcher,
    );
    expect(all.errors).toBeUndefined();
    expect(all.data?.studies.map((s) => [s.id, s.active])).toEqual([
      [open, true],
      [closed, false],
    ]);
    const text = JSON.stringify([active, all]);
    expect(text).not.toContain(SYSTEM_PROMPT);
    expect(text).not.toContain(SCRIPT_SECRET);
  });

  it("study(id) gives one study, also a closed one, and null for an unknown id", async () => {
    const query = `query S($id: ID!) { study(id: $id) { id active conditions { id } } }`;
    // Its conditions are researcher-only (without a token: UNAUTHENTICATED).
    expect(onlyError(await gql(app(), query, { id: closed })).code).toBe("UNAUTHENTICATED");
    const one = await gql<{ study: unknown }>(app(), query, { id: closed }, { token: RESEARCHER_TOKEN });
    expect(one.errors).toBeUndefined();
    expect(one.data?.study).toEqual({
      id: closed,
      active: false,
      conditions: [{ id: "alpha" }, { id: "beta" }],
    });
    const none = await gql<{ study: unknown }>(app(), query, { id: "no-such-study" });
    expect(none.errors).toBeUndefined();
    expect(none.data?.study).toBeNull();
  });
});

describe("enroll", () => {
  it("assigns a condition once: a later enroll, even from a fresh app on the same D1, gives the same", async () => {
    const id = `enrol-${tag()}`;
    const files = [studyFile(id)];
    const users = Array.from({ length: 10 }, () => uid());
    const first = new Map<string, string>();
    const app = appWithStudies(files);
    for (const userId of users) {
      const a = await enrollOk(app, { studyId: id, userId });
      expect(a).toMatchObject({ studyId: id, userId, studyVersion: 3 });
      expect(["alpha", "beta"]).toContain(a.condition);
      expect(a.showSources).toBe(a.condition === "alpha");
      expect(a.maxTurns).toBe(a.condition === "alpha" ? null : 5);
      first.set(userId, a.condition);
      // Again, on the same app (its isolate cache may answer).
      expect((await enrollOk(app, { studyId: id, userId })).condition).toBe(a.condition);
    }
    // A fresh app has no cache: the store answers. 10 participants: a store that
    // forgot would agree by chance with probability about (5/9)^10 < 0.3%.
    for (const userId of users) {
      const fresh = appWithStudies(files);
      const again = await enrollOk(fresh, { studyId: id, userId });
      expect(again.condition).toBe(first.get(userId));
      expect((await assignmentOf(appWithStudies(files), id, userId))?.condition).toBe(first.get(userId));
    }

    // One consent_given step per participant, however often they enrolled.
    const { nodes } = await studyRecords(app, { userIds: users, eventTypes: ["STUDY_STEP"] });
    expect(nodes).toHaveLength(users.length);
    for (const node of nodes) {
      expect(node).toMatchObject({
        eventType: "STUDY_STEP",
        extraData: { step: "consent_given" },
        studyId: id,
        condition: first.get(node.userId),
        studyVersion: 3,
      });
    }
  });

  it("gives one assignment and one consent step to a participant who enrols five times at once", async () => {
    const id = `race-${tag()}`;
    const files = [studyFile(id)];
    const userId = uid();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => enroll(appWithStudies(files), { studyId: id, userId })),
    );
    for (const r of results) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    // A participant is not shown their condition (null), so "one assignment" is: the same assignedAt
    // for all five, and one stored condition.
    expect(results.map((r) => r.data?.enroll.condition)).toEqual([null, null, null, null, null]);
    const assignedAts = new Set(results.map((r) => r.data?.enroll.assignedAt));
    expect(assignedAts.size).toBe(1);
    expect([...assignedAts][0]).toEqual(expect.any(String));
    expect(["alpha", "beta"]).toContain(await conditionOf(appWithStudies(files), id, userId));
    const { totalCount } = await studyRecords(appWithStudies(files), { userIds: [userId] });
    expect(totalCount).toBe(1);
  });

  it("refuses new participants of a closed study with STUDY_CLOSED, and stores nothing", async () => {
    const id = `closed-${tag()}`;
    const app = appWithStudies([studyFile(id, { active: false })]);
    const userId = uid();
    const error = onlyError(await enroll(app, { studyId: id, userId }));
    expect(error.code).toBe("STUDY_CLOSED");
    expect(error.message).toContain(id);
    expect(await assignmentOf(app, id, userId)).toBeNull();
    expect((await studyRecords(app, { userIds: [userId] })).totalCount).toBe(0);
  });

  it("keeps the assignment of a participant who enrolled before the study was closed", async () => {
    const id = `closing-${tag()}`;
    const userId = uid();
    const before = await enrollOk(appWithStudies([studyFile(id)]), { studyId: id, userId });
    const closedApp = appWithStudies([studyFile(id, { active: false })]);
    const after = await enrollOk(closedApp, { studyId: id, userId });
    expect(after.condition).toBe(before.condition);
    expect(onlyError(await enroll(closedApp, { studyId: id, userId: uid() })).code).toBe("STUDY_CLOSED");
  });

  it("gives NOT_FOUND for an unknown study, naming it", async () => {
    const app = appWithStudies([studyFile(`known-${tag()}`)]);
    const userId = uid();
    const error = onlyError(await enroll(app, { studyId: "no-such-study", userId }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain("no-such-study");
    expect((await studyRecords(app, { userIds: [userId] })).totalCount).toBe(0);
  });

  it("balances 30 participants who enrol at once exactly over three equal conditions", async () => {
    const id = `balanced-${tag()}`;
    const files = [
      studyFile(id, {
        assignment: "balanced",
        conditions: [scripted("one"), scripted("two"), scripted("three")],
      }),
    ];
    const app = appWithStudies(files);
    const users = Array.from({ length: 30 }, () => uid());
    const results = await Promise.all(users.map((userId) => enroll(app, { studyId: id, userId })));
    for (const r of results) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    // enroll shows a participant no condition: the conditions are read as a researcher, on the same app.
    const conditions = await Promise.all(users.map((userId) => conditionOf(app, id, userId)));
    const counts: Record<string, number> = {};
    for (const condition of conditions) counts[condition] = (counts[condition] ?? 0) + 1;
    expect(counts).toEqual({ one: 10, two: 10, three: 10 });

    // Every participant has their own arrival number, 0..29 (read from the table: the API does not show it).
    const { results: rows } = await env.DB.prepare("SELECT seq, user_id FROM assignments WHERE study_id = ?1")
      .bind(id)
      .all<{ seq: number; user_id: string }>();
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set(users));

    // And the stored assignments (a fresh app, no cache) agree with what the enrolling app gave.
    const fresh = appWithStudies(files);
    for (const [i, userId] of users.entries()) {
      expect(results[i]?.data?.enroll).toMatchObject({ studyId: id, userId, condition: null });
      expect((await assignmentOf(fresh, id, userId))?.condition).toBe(conditions[i]);
    }
  });
});

describe("query in a study", () => {
  it("refuses a participant who has not enrolled with NOT_ENROLLED, and stores nothing", async () => {
    const id = `ask-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    const p = participant(id);
    const error = onlyError(await ask(app, { ...p, query: "Is coffee good?" }));
    expect(error.code).toBe("NOT_ENROLLED");
    expect((await studyRecords(app, { userIds: [p.userId] })).totalCount).toBe(0);
  });

  it("gives NOT_FOUND for a query in an unknown study", async () => {
    const app = appWithStudies([studyFile(`ask-${tag()}`)]);
    const error = onlyError(await ask(app, { ...participant("no-such-study"), query: "Hello" }));
    expect(error.code).toBe("NOT_FOUND");
  });

  it("answers from the participant's condition and stores study, condition and version on the record", async () => {
    const id = `ask-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    for (let i = 0; i < 4; i++) {
      const p = participant(id);
      const { condition } = await enrollOk(app, p);
      const answer = await askOk(app, { ...p, query: "Is coffee good?" });
      expect(answer.response).toBe(`Condition ${condition} says coffee is fine. ${SCRIPT_SECRET}`);
      expect(answer.model).toBe(`model-${condition}`);
      // beta hides its sources: its participant is shown none (the record keeps them, for researchers).
      expect(answer.sources.map((s) => s.url)).toEqual(
        condition === "beta" ? [] : [`https://example.org/${condition}`],
      );
      const result = await gql<{ query: { condition: string | null } }>(
        app,
        `mutation Q($input: QueryInput!) { query(input: $input) { condition response } }`,
        { input: { ...p, query: "and tea?" } },
      );
      // The participant is not shown their condition (the answer is their condition's; the record says which).
      expect(result.data?.query).toEqual({
        condition: null,
        response: `Condition ${condition} answers: and tea?`,
      });

      const { nodes } = await studyRecords(app, { userIds: [p.userId], kinds: ["QUERY"] });
      expect(nodes).toHaveLength(2);
      for (const node of nodes) {
        expect(node).toMatchObject({ studyId: id, condition, studyVersion: 3, model: `model-${condition}` });
        expect(node.timeToFirstTokenMs).toBeNull();
        expect(node.stopped).toBe(false);
      }
    }
  });

  it("gives TURN_LIMIT_REACHED for the message after the condition's maxTurns, counting only that study", async () => {
    const id = `turns-${tag()}`;
    const other = `other-${tag()}`;
    const app = appWithStudies([
      studyFile(id, { conditions: [scripted("limited", { maxTurns: 2 })] }),
      studyFile(other, { conditions: [scripted("limited", { maxTurns: 2 })] }),
    ]);
    const p = participant(id);
    await enrollOk(app, p);
    // Messages outside the study and in another study do not use up this study's turns.
    await askOk(app, { userId: p.userId, sessionId: p.sessionId, query: "outside any study" });
    await enrollOk(app, { ...p, studyId: other });
    await askOk(app, { ...p, studyId: other, query: "in the other study" });

    const first = await askOk(app, { ...p, query: "one" });
    await askOk(app, { ...p, query: "two", conversationId: first.conversationId });
    const refused = onlyError(await ask(app, { ...p, query: "three", conversationId: first.conversationId }));
    expect(refused.code).toBe("TURN_LIMIT_REACHED");
    expect(refused.extensions.maxTurns).toBe(2);
    // Also in a new conversation, and nothing more is stored.
    expect(onlyError(await ask(app, { ...p, query: "four" })).code).toBe("TURN_LIMIT_REACHED");
    const { nodes } = await studyRecords(app, { userIds: [p.userId], studyIds: [id], kinds: ["QUERY"] });
    expect(nodes.map((n) => n.query)).toEqual(["one", "two"]);

    // Another participant of the same condition still has their turns.
    const q = participant(id);
    await enrollOk(app, q);
    await askOk(app, { ...q, query: "one" });
  });
  it("holds the turn limit when a participant's messages arrive at once (a double submit, two tabs)", async () => {
    const id = `race-turns-${tag()}`;
    const app = appWithStudies([studyFile(id, { conditions: [scripted("once", { maxTurns: 1 })] })]);
    const p = participant(id);
    await enrollOk(app, p);
    const results = await Promise.all([1, 2, 3, 4].map((i) => ask(app, { ...p, query: `message ${i}` })));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual([
      "TURN_LIMIT_REACHED",
      "TURN_LIMIT_REACHED",
      "TURN_LIMIT_REACHED",
    ]);
    expect((await studyRecords(app, { userIds: [p.userId], kinds: ["QUERY"] })).totalCount).toBe(1);
  });
});

describe("events in a study", () => {
  it("tags logged events with study, condition and version; stores none before consent but the study's steps", async () => {
    const id = `events-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    const p = participant(id);
    const before = makeEvents(2, { userId: p.userId, sessionId: p.sessionId }).map((e) => ({
      ...e,
      studyId: id,
    }));
    const step = { ...p, eventId: uid(), eventType: "STUDY_STEP", extraData: { step: "consent_shown" } };
    const early = await gql<{ logEvents: { accepted: number; ignored: number } }>(
      app,
      `mutation($events: [LogEventInput!]!) { logEvents(events: $events) { accepted ignored } }`,
      { events: [...before, step] },
    );
    expect(early.errors).toBeUndefined();
    expect(early.data?.logEvents).toEqual({ accepted: 1, ignored: 2 });
    const tooEarly = {
      eventId: uid(),
      userId: p.userId,
      sessionId: p.sessionId,
      eventType: "BROWSE",
      studyId: id,
    };
    expect(onlyError(await logEvent(app, tooEarly)).code).toBe("NOT_ENROLLED");

    const { condition } = await enrollOk(app, p);
    const after = makeEvents(3, { userId: p.userId, sessionId: p.sessionId }).map((e) => ({
      ...e,
      studyId: id,
    }));
    expect((await logEvents(app, after)).errors).toBeUndefined();
    const single = {
      eventId: uid(),
      userId: p.userId,
      sessionId: p.sessionId,
      eventType: "BROWSE",
      studyId: id,
    };
    expect((await logEvent(app, single)).errors).toBeUndefined();
    const outside = makeEvents(1, { userId: p.userId, sessionId: p.sessionId });
    expect((await logEvents(app, outside)).errors).toBeUndefined();

    const { nodes } = await studyRecords(app, { userIds: [p.userId] });
    const byId = new Map(nodes.map((n) => [n.id, studyFields(n)]));
    for (const e of [...before, tooEarly]) expect(byId.has(e.eventId)).toBe(false);
    expect(byId.get(step.eventId)).toEqual({ studyId: id, condition: null, studyVersion: 3 });
    for (const e of [...after, single])
      expect(byId.get(e.eventId)).toEqual({ studyId: id, condition, studyVersion: 3 });
    expect(byId.get(outside[0]?.eventId ?? "")).toEqual({
      studyId: null,
      condition: null,
      studyVersion: null,
    });
  });

  it("refuses events of an unknown study with NOT_FOUND, and stores none of the batch", async () => {
    const app = appWithStudies([studyFile(`events-${tag()}`)]);
    const userId = uid();
    const events = makeEvents(2, { userId }).map((e, i) =>
      i === 1 ? { ...e, studyId: "no-such-study" } : e,
    );
    expect(onlyError(await logEvents(app, events)).code).toBe("NOT_FOUND");
    expect((await studyRecords(app, { userIds: [userId] })).totalCount).toBe(0);
  });

  it("tags a click on an answer's source with the study fields", async () => {
    const id = `click-${tag()}`;
    // alpha shows its sources (a hidden source cannot be clicked: there is no link to it).
    const app = appWithStudies([studyFile(id, { conditions: [scripted("alpha")] })]);
    const p = participant(id);
    const { condition } = await enrollOk(app, p);
    const answer = await askOk(app, { ...p, query: "coffee?" });
    const targetUrl = `https://example.org/${condition}`;
    // With the signature the page renders for the link (the API's own signing code).
    const signature = await signLink(app.config.sessionSecrets, answer.id, targetUrl);
    const click = await gql<{ logClick: { eventId: string } }>(app, LOG_CLICK, {
      input: { ...p, queryId: answer.id, targetUrl, signature },
    });
    expect(click.errors, JSON.stringify(click.errors)).toBeUndefined();
    const { nodes } = await studyRecords(app, { userIds: [p.userId], eventTypes: ["CLICK"] });
    expect(nodes.map(studyFields)).toEqual([{ studyId: id, condition, studyVersion: 3 }]);
  });
});

describe("export by study and condition", () => {
  it("filters by studyIds, by conditions, and by both, with matching totalCounts", async () => {
    const s = tag();
    const [a, b] = [`x-${s}`, `y-${s}`];
    const [left, right] = [`left-${s}`, `right-${s}`];
    // Balanced 1:1: arrivals alternate between the two conditions, so two participants fill both.
    const fields = { assignment: "balanced", conditions: [scripted(left), scripted(right)] };
    const app = appWithStudies([studyFile(a, fields), studyFile(b, fields)]);
    const seen: { studyId: string; condition: string; userId: string }[] = [];
    for (const studyId of [a, a, a, a, b, b]) {
      const p = participant(studyId);
      const { condition } = await enrollOk(app, p); // one STUDY_STEP event
      await askOk(app, { ...p, query: "coffee?" }); // one query
      seen.push({ studyId, condition, userId: p.userId });
    }
    const expectCount = (match: (x: (typeof seen)[number]) => boolean) => 2 * seen.filter(match).length;
    expect(new Set(seen.filter((x) => x.studyId === a).map((x) => x.condition))).toEqual(
      new Set([left, right]),
    );

    const byStudy = await studyRecords(app, { studyIds: [a] });
    expect(byStudy.totalCount).toBe(8);
    expect(byStudy.nodes).toHaveLength(8);
    expect(byStudy.nodes.every((n) => n.studyId === a)).toBe(true);

    const byCondition = await studyRecords(app, { conditions: [left] });
    expect(byCondition.totalCount).toBe(expectCount((x) => x.condition === left));
    expect(byCondition.nodes.every((n) => n.condition === left)).toBe(true);
    expect(new Set(byCondition.nodes.map((n) => n.studyId))).toEqual(new Set([a, b]));

    const both = await studyRecords(app, { studyIds: [b], conditions: [left] });
    expect(both.totalCount).toBe(expectCount((x) => x.studyId === b && x.condition === left));
    expect(both.totalCount).toBe(2);
    expect(both.nodes.every((n) => n.studyId === b && n.condition === left)).toBe(true);

    const queries = await studyRecords(app, {
      studyIds: [a, b],
      conditions: [left, right],
      kinds: ["QUERY"],
    });
    expect(queries.totalCount).toBe(6);

    // A study or condition that nothing knows is a mistake, not an empty result (api/studies/filter-names.ts).
    for (const filter of [
      { studyIds: ["no-such-study"] },
      { studyIds: [a], conditions: ["no-such-condition"] },
    ]) {
      const refused = await gql(app, STUDY_EXPORT, { filter, first: 1 }, { token: RESEARCHER_TOKEN });
      expect(onlyError(refused).code).toBe("BAD_USER_INPUT");
      expect(onlyError(refused).message).toContain(`"${filter.conditions?.[0] ?? filter.studyIds[0]}"`);
    }
  });
});

describe("finishStudy", () => {
  it("refuses a participant who has not enrolled with NOT_ENROLLED, storing nothing", async () => {
    const id = `finish-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    const p = participant(id);
    const error = onlyError(await gql(app, FINISH, { input: p }));
    expect(error.code).toBe("NOT_ENROLLED");
    expect((await studyRecords(app, { userIds: [p.userId] })).totalCount).toBe(0);
  });

  it("gives the completion code, message and redirect, and stores a completed step", async () => {
    const id = `finish-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    const p = participant(id);
    const { condition } = await enrollOk(app, p);
    const result = await gql<{ finishStudy: unknown }>(app, FINISH, { input: p });
    expect(result.errors).toBeUndefined();
    expect(result.data?.finishStudy).toEqual({
      code: "CODE-42",
      message: "Thank you!",
      redirectUrl: "https://app.prolific.com/submissions/complete?cc=CODE-42",
      redirectDelaySeconds: 3,
    });
    const { nodes } = await studyRecords(app, { userIds: [p.userId], eventTypes: ["STUDY_STEP"] });
    expect(nodes.map((n) => [n.extraData, n.condition, n.studyId, n.studyVersion])).toEqual([
      [{ step: "consent_given" }, condition, id, 3],
      [{ step: "completed", outcome: "completed" }, condition, id, 3],
    ]);
  });

  it("gives no redirect when the study has none", async () => {
    const id = `finish-${tag()}`;
    const app = appWithStudies([studyFile(id, { completion: { code: "PLAIN" } })]);
    const p = participant(id);
    await enrollOk(app, p);
    const result = await gql<{ finishStudy: unknown }>(app, FINISH, { input: p });
    expect(result.data?.finishStudy).toEqual({
      code: "PLAIN",
      message: null,
      redirectUrl: null,
      redirectDelaySeconds: 5,
    });
  });
});

describe("withdraw", () => {
  it("deletes the participant's records in that study only, and their assignment", async () => {
    const s = tag();
    const [a, b] = [`w-${s}`, `v-${s}`];
    const files = [studyFile(a), studyFile(b)];
    const app = appWithStudies(files);
    const me = uid();
    const other = uid();
    const session = `${me}-session`;

    // Me in study a: consent, two queries, three events. Me in study b and outside any study. Another participant in a.
    await enrollOk(app, { studyId: a, userId: me });
    const first = await askOk(app, { ...participant(a, me), query: "coffee?" });
    await askOk(app, { ...participant(a, me), query: "more?", conversationId: first.conversationId });
    const mine = makeEvents(3, { userId: me, sessionId: session }).map((e) => ({ ...e, studyId: a }));
    expect((await logEvents(app, mine)).errors).toBeUndefined();
    await enrollOk(app, { studyId: b, userId: me });
    await askOk(app, { ...participant(b, me), query: "in b" });
    await askOk(app, { userId: me, sessionId: session, query: "outside" });
    await enrollOk(app, { studyId: a, userId: other });
    await askOk(app, { ...participant(a, other), query: "theirs" });

    const result = await gql<{ withdraw: unknown }>(app, WITHDRAW, { studyId: a, userId: me });
    expect(result.errors).toBeUndefined();
    // Withdrawal now deletes the open-chat records (study_id null) too: the 2 queries in a and "outside".
    expect(result.data?.withdraw).toEqual({ deletedQueries: 3, deletedEvents: 4 });

    expect((await studyRecords(app, { userIds: [me], studyIds: [a] })).totalCount).toBe(0);
    const rest = await studyRecords(app, { userIds: [me] });
    expect(rest.nodes.map((n) => [n.studyId, n.query ?? n.eventType])).toEqual([
      [b, "STUDY_STEP"],
      [b, "in b"],
    ]);
    expect((await studyRecords(app, { userIds: [other] })).totalCount).toBe(2);

    // The assignment is gone, for this app and any other.
    expect(await assignmentOf(app, a, me)).toBeNull();
    expect(await assignmentOf(appWithStudies(files), a, me)).toBeNull();
    expect(await assignmentOf(app, b, me)).not.toBeNull();
    expect(onlyError(await ask(app, { ...participant(a, me), query: "again?" })).code).toBe("NOT_ENROLLED");
    // The tracker's batches that arrive after the withdrawal are not stored.
    const late = makeEvents(2, { userId: me, sessionId: session }).map((e) => ({ ...e, studyId: a }));
    expect((await logEvents(app, late)).errors).toBeUndefined();
    expect((await studyRecords(app, { userIds: [me], studyIds: [a] })).totalCount).toBe(0);

    // Withdrawing again deletes nothing. Enrolling again is now refused (WITHDRAWN; it used to
    // draw a new condition with a new consent step), and stores nothing.
    const again = await gql<{ withdraw: unknown }>(app, WITHDRAW, { studyId: a, userId: me });
    expect(again.data?.withdraw).toEqual({ deletedQueries: 0, deletedEvents: 0 });
    expect(onlyError(await enroll(app, { studyId: a, userId: me })).code).toBe("WITHDRAWN");
    expect(onlyError(await enroll(appWithStudies(files), { studyId: a, userId: me })).code).toBe("WITHDRAWN");
    expect(await assignmentOf(app, a, me)).toBeNull();
    expect((await studyRecords(app, { userIds: [me], studyIds: [a] })).totalCount).toBe(0);
    // Withdrawing from a does not touch b, where I am still enrolled.
    expect((await enrollOk(app, { studyId: b, userId: me })).studyId).toBe(b);

    // The audit keeps the withdrawal, without content: researchers list it.
    const audit = await gql<{ withdrawals: { deletedQueries: number; deletedEvents: number; by: string }[] }>(
      app,
      "query($s: ID) { withdrawals(studyId: $s) { deletedQueries deletedEvents by } }",
      { s: a },
      { token: RESEARCHER_TOKEN },
    );
    expect(audit.errors, JSON.stringify(audit.errors)).toBeUndefined();
    expect(audit.data?.withdrawals[0]).toEqual({ deletedQueries: 3, deletedEvents: 4, by: "participant" });
  });

  it("is seen by every app instance: one that knew the assignment before another withdrew it no longer uses it", async () => {
    // Two instances on one D1, as two isolates of the deployed Worker.
    const id = `w-${tag()}`;
    const files = [studyFile(id)];
    const earlier = appWithStudies(files);
    const p = participant(id);
    await enrollOk(earlier, p);
    await askOk(earlier, { ...p, query: "before withdrawing" });

    const withdrawn = await gql<{ withdraw: unknown }>(appWithStudies(files), WITHDRAW, {
      studyId: id,
      userId: p.userId,
    });
    expect(withdrawn.data?.withdraw).toEqual({ deletedQueries: 1, deletedEvents: 1 });

    expect(await assignmentOf(earlier, id, p.userId)).toBeNull();
    expect(onlyError(await ask(earlier, { ...p, query: "after withdrawing" })).code).toBe("NOT_ENROLLED");
    expect((await studyRecords(earlier, { userIds: [p.userId] })).totalCount).toBe(0);
  });

  it("gives NOT_FOUND for an unknown study", async () => {
    const app = appWithStudies([studyFile(`w-${tag()}`)]);
    expect(onlyError(await gql(app, WITHDRAW, { studyId: "no-such-study", userId: uid() })).code).toBe(
      "NOT_FOUND",
    );
  });
});

describe("conversations", () => {
  it("lists a participant's own conversations in the study, newest first, and nobody else's", async () => {
    const s = tag();
    const [a, b] = [`c-${s}`, `d-${s}`];
    const app = appWithStudies([studyFile(a), studyFile(b)]);
    const me = uid();
    const other = uid();
    for (const [studyId, userId] of [
      [a, me],
      [b, me],
      [a, other],
    ] as const) {
      await enrollOk(app, { studyId, userId });
    }

    const long = `coffee ${"and a very long question ".repeat(8)}`.trim();
    const first = await askOk(app, { ...participant(a, me), query: "First question about coffee" });
    await askOk(app, { ...participant(a, me), query: "A follow-up", conversationId: first.conversationId });
    await askOk(app, { ...participant(a, me), query: "And another", conversationId: first.conversationId });
    const second = await askOk(app, { ...participant(a, me), query: long });
    const inB = await askOk(app, { ...participant(b, me), query: "In study b" });
    const outside = await askOk(app, { userId: me, sessionId: `${me}-session`, query: "Outside any study" });
    const theirs = await askOk(app, { ...participant(a, other), query: "Someone else's question" });

    const list = await conversationsOf(app, me, a);
    expect(list.map((c) => [c.id, c.turns])).toEqual([
      [second.conversationId, 1],
      [first.conversationId, 3],
    ]);
    expect(list[1]?.title).toBe("First question about coffee");
    expect(list[0]?.title.length).toBeLessThanOrEqual(80);
    expect(list[0]?.title.length).toBeGreaterThan(20);
    expect(long.startsWith(list[0]?.title.slice(0, 40) ?? "-")).toBe(true);
    expect(Date.parse(list[1]?.startedAt ?? "")).toBeLessThanOrEqual(Date.parse(list[1]?.lastAt ?? ""));

    expect((await conversationsOf(app, me, b)).map((c) => c.id)).toEqual([inB.conversationId]);
    expect((await conversationsOf(app, me)).map((c) => c.id)).toEqual([outside.conversationId]);
    expect((await conversationsOf(app, other, a)).map((c) => c.id)).toEqual([theirs.conversationId]);
    expect(await conversationsOf(app, uid(), a)).toEqual([]);

    const turns = await gql<{ conversation: { query: string; condition: string; studyId: string }[] }>(
      app,
      CONVERSATION,
      { id: first.conversationId, userId: me },
    );
    expect(turns.data?.conversation.map((t) => [t.query, t.studyId])).toEqual([
      ["First question about coffee", a],
      ["A follow-up", a],
      ["And another", a],
    ]);
    const stranger = await gql<{ conversation: unknown[] }>(app, CONVERSATION, {
      id: first.conversationId,
      userId: other,
    });
    expect(stranger.errors).toBeUndefined();
    expect(stranger.data?.conversation).toEqual([]);
    // Naming me while holding their own credential: FORBIDDEN now (it used to answer with an empty list).
    const naming = await gql(
      app,
      CONVERSATION,
      { id: first.conversationId, userId: me },
      { participant: { userId: other, sessionId: `${other}-session` } },
    );
    expect(onlyError(naming).code).toBe("FORBIDDEN");
    expect(JSON.stringify(naming)).not.toContain("First question about coffee");
  });

  it("continues a conversation only for its own participant: another userId's conversationId starts nothing of theirs", async () => {
    const id = `e-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    const me = participant(id);
    const other = participant(id);
    await enrollOk(app, me);
    await enrollOk(app, other);
    const mine = await askOk(app, { ...me, query: "My secret question" });
    // The other participant reuses my conversationId: my turns are not theirs.
    await askOk(app, { ...other, query: "Their question", conversationId: mine.conversationId });
    const myTurns = await gql<{ conversation: { query: string }[] }>(app, CONVERSATION, {
      id: mine.conversationId,
      userId: me.userId,
    });
    expect(myTurns.data?.conversation.map((t) => t.query)).toEqual(["My secret question"]);
    const theirList = await conversationsOf(app, other.userId, id);
    expect(theirList.map((c) => [c.title, c.turns])).toEqual([["Their question", 1]]);
  });
});
