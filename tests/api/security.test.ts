import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import { readToken } from "../../api/participants/credential";
import type { StudyFile } from "../../api/studies/definition";
import { appWithStudies, conditionOf, logEvent, onlyError, studyRecords, uid } from "./helpers";
import { gql, participantToken, RESEARCHER_TOKEN, type TestParticipant } from "./support";

/**
 * The attacks of a stranger who knows only a participant's panel id
 * (PROLIFIC_PID) or ids, run against the real API on this file's D1: each is
 * refused, and nothing is read, written or deleted.
 */

const tag = () => uid().slice(0, 8);

function securityStudy(id: string, completion: Record<string, unknown> = {}): StudyFile {
  const condition = (c: string) => ({
    id: c,
    description: `The ${c} arm: SECRET-DESCRIPTION`,
    llm: { provider: "scripted" },
    script: {
      model: `model-${c}`,
      tokenDelayMs: 0,
      rules: [
        {
          pattern: "repeat",
          answer: "Sure: [log in](https://evil.example/login) and see [docs](https://docs.example/guide).",
          sources: [{ title: "Guide", url: "https://docs.example/source" }],
        },
      ],
      fallback: { answer: `Answer about {{query}}` },
    },
  });
  return {
    file: `studies/${id}.json`,
    definition: {
      id,
      version: 1,
      title: `Security ${id}`,
      consent: "Agree?",
      task: "Ask.",
      assignment: "balanced",
      conditions: [condition("alpha"), condition("beta")],
      completion: { code: "SEC-CODE", ...completion },
    },
  };
}

function setup(completion: Record<string, unknown> = {}) {
  const studyId = `sec-${tag()}`;
  const app = appWithStudies([securityStudy(studyId, completion)], { OPEN_CHAT: "on" });
  return { app, studyId };
}

const who = (userId = uid(), extra: Partial<TestParticipant> = {}): TestParticipant => ({
  userId,
  sessionId: `${userId}-session`,
  ...extra,
});

const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) =>
  result.errors?.[0]?.extensions?.code;

/** Asks as this participant (their credential carries their panel ids). */
async function askAs(app: App, p: TestParticipant, input: { query: string; studyId?: string }) {
  const result = await gql<{ query: { id: string; conversationId: string } }>(
    app,
    "mutation($i: QueryInput!) { query(input: $i) { id conversationId } }",
    { i: { userId: p.userId, sessionId: p.sessionId, ...input } },
    { participant: p },
  );
  const answer = result.data?.query;
  if (!answer) throw new Error(JSON.stringify(result.errors));
  return answer;
}

const ENROLL = "mutation($i: StudyParticipantInput!) { enroll(input: $i) { assignedAt } }";

async function enrollAs(app: App, p: TestParticipant, studyId: string) {
  const result = await gql(app, ENROLL, { i: { studyId } }, { participant: p });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return conditionOf(app, studyId, p.userId);
}

async function recordsOf(app: App, userId: string) {
  return (await studyRecords(app, { userIds: [userId] })).nodes;
}

describe("a participant's data, read by someone else", () => {
  it("conversations and conversation of another participant: FORBIDDEN, nothing read; without a credential: UNAUTHENTICATED", async () => {
    const { app } = setup();
    const victim = who();
    const answer = await askAs(app, victim, { query: "my health details 3f9" });
    const attacker = who();
    const list = await gql(
      app,
      "query($u: ID) { conversations(userId: $u) { id title } }",
      { u: victim.userId },
      { participant: attacker },
    );
    expect(codeOf(list)).toBe("FORBIDDEN");
    expect(JSON.stringify(list)).not.toContain("3f9");
    const turns = await gql(
      app,
      "query($id: ID!, $u: ID) { conversation(id: $id, userId: $u) { query response } }",
      { id: answer.conversationId, u: victim.userId },
      { participant: attacker },
    );
    expect(codeOf(turns)).toBe("FORBIDDEN");
    // Their own view of the victim's conversation id: empty, it is not theirs.
    const own = await gql<{ conversation: unknown[] }>(
      app,
      "query($id: ID!) { conversation(id: $id) { query } }",
      { id: answer.conversationId },
      { participant: attacker },
    );
    expect(own.data?.conversation).toEqual([]);
    const anonymous = await gql(
      app,
      "query($u: ID) { conversations(userId: $u) { id } }",
      { u: victim.userId },
      { participant: null },
    );
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    // The victim and a researcher read it.
    const mine = await gql<{ conversations: { title: string }[] }>(
      app,
      "{ conversations { title } }",
      {},
      { participant: victim },
    );
    expect(mine.data?.conversations.map((c) => c.title)).toEqual(["my health details 3f9"]);
    const researcher = await gql<{ conversations: { title: string }[] }>(
      app,
      "query($u: ID) { conversations(userId: $u) { title } }",
      { u: victim.userId },
      { token: RESEARCHER_TOKEN, participant: null },
    );
    expect(researcher.data?.conversations).toHaveLength(1);
  });

  it("the panel id gives nothing: a second session with the victim's PROLIFIC_PID sees none of their conversations", async () => {
    const { app, studyId } = setup();
    const pid = `pid-${uid()}`;
    const victim = who(uid(), { panelParticipantId: pid });
    await enrollAs(app, victim, studyId);
    await askAs(app, victim, { studyId, query: "private 88a" });
    // The attacker opens the study link with the same PROLIFIC_PID: a new session, a new participant.
    const started = await gql<{ startSession: { token: string; userId: string } }>(
      app,
      "mutation($i: StartSessionInput) { startSession(input: $i) { token userId } }",
      { i: { panelParticipantId: pid } },
      { participant: null },
    );
    const session = started.data?.startSession;
    if (!session) throw new Error(JSON.stringify(started.errors));
    expect(session.userId).not.toBe(victim.userId);
    const attacker = await readToken(session.token, app.config.sessionSecrets);
    if (!attacker) throw new Error("the token did not verify");
    const attackerAs = { userId: attacker.userId, sessionId: attacker.sessionId, panelParticipantId: pid };
    const linked = await enrollAs(app, attackerAs, studyId);
    // Stickiness holds (same condition), but nothing of the victim's is visible.
    expect(linked).toBe(await conditionOf(app, studyId, victim.userId));
    const list = await gql<{ conversations: unknown[] }>(
      app,
      "query($s: ID) { conversations(studyId: $s) { id } }",
      { s: studyId },
      { participant: attackerAs },
    );
    expect(list.data?.conversations).toEqual([]);
    // The export flags the panel id: two participants share it.
    const exported = await gql<{
      export: { edges: { node: { userId: string; panelParticipants: number | null } }[] };
    }>(
      app,
      "query($f: ExportFilter) { export(filter: $f, first: 100) { edges { node { userId panelParticipants } } } }",
      { f: { panelParticipantIds: [pid] } },
      { token: RESEARCHER_TOKEN, participant: null },
    );
    const nodes = exported.data?.export.edges.map((e) => e.node) ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.panelParticipants === 2)).toBe(true);
  });

  it("an assignment of another participant: FORBIDDEN; a participant's own shows no condition", async () => {
    const { app, studyId } = setup();
    const victim = who();
    await enrollAs(app, victim, studyId);
    const other = await gql(
      app,
      "query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { turnsUsed } }",
      { s: studyId, u: victim.userId },
      { participant: who() },
    );
    expect(codeOf(other)).toBe("FORBIDDEN");
    const own = await gql<{ assignment: { condition: string | null } }>(
      app,
      "query($s: ID!) { assignment(studyId: $s) { condition } }",
      { s: studyId },
      { participant: victim },
    );
    expect(own.data?.assignment.condition).toBeNull();
  });
});

describe("writing as someone else", () => {
  it("logEvent, logEvents and query naming another participant: FORBIDDEN, nothing stored", async () => {
    const { app } = setup();
    const victim = who();
    const attacker = who();
    const event = { eventId: uid(), ...victim, eventType: "CONVERSION", extraData: { label: "forged" } };
    expect(
      codeOf(
        await logEvent(app, event).then(() =>
          gql(
            app,
            "mutation($i: LogEventInput!) { logEvent(input: $i) { eventId } }",
            { i: event },
            { participant: attacker },
          ),
        ),
      ),
    ).toBe("FORBIDDEN");
    const many = await gql(
      app,
      "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
      { e: [{ ...event, eventId: uid() }] },
      { participant: attacker },
    );
    expect(codeOf(many)).toBe("FORBIDDEN");
    const forgedQuery = await gql(
      app,
      "mutation($i: QueryInput!) { query(input: $i) { id } }",
      { i: { ...victim, query: "hello" } },
      { participant: attacker },
    );
    expect(codeOf(forgedQuery)).toBe("FORBIDDEN");
    // Only the victim's own event (sent with their credential above) is stored.
    const stored = await recordsOf(app, victim.userId);
    expect(stored.map((r) => r.eventType)).toEqual(["CONVERSION"]);
    const anonymous = await gql(
      app,
      "mutation($i: LogEventInput!) { logEvent(input: $i) { eventId } }",
      { i: { ...event, eventId: uid() } },
      { participant: null },
    );
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
  });

  it("a forged, tampered, expired or foreign-secret token is no credential", async () => {
    const { app } = setup();
    const victim = who();
    const good = await participantToken(app, victim);
    const [prefix, payload, signature] = good.split(".");
    const json = JSON.parse(atob((payload ?? "").replaceAll("-", "+").replaceAll("_", "/")));
    const swapped = btoa(JSON.stringify({ ...json, u: uid() }))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    const foreign = appWithStudies([], { SESSION_SECRETS: "another-deployments-secret-0123456789abcdef" });
    const tokens = [
      `${prefix}.${swapped}.${signature}`,
      `${prefix}.${payload}.${signature?.slice(0, -2)}AA`,
      await participantToken(foreign, victim),
      "lsp1.e30.AAAA",
      "not a token",
    ];
    for (const token of tokens) {
      const response = await app.api.fetch(
        new Request("http://test/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", "x-participant-token": token },
          body: JSON.stringify({ query: "{ me { userId } conversations { id } }" }),
        }),
        {},
      );
      const body = (await response.json()) as {
        data?: { me: unknown } | null;
        errors?: { extensions?: { code?: string } }[];
      };
      expect(body.errors?.[0]?.extensions?.code, token).toBe("UNAUTHENTICATED");
    }
    expect(await readToken(good, app.config.sessionSecrets, Date.now() + 31 * 24 * 3600 * 1000)).toBeNull();
    // Rotation: a token signed by the old secret still works while the old secret is listed second.
    const rotated = appWithStudies([], {
      SESSION_SECRETS: `a-brand-new-secret-0123456789abcdefghij,${app.config.sessionSecrets[0]}`,
    });
    expect((await readToken(good, rotated.config.sessionSecrets))?.userId).toBe(victim.userId);
  });
});

describe("the tracker's events-only credential", () => {
  it("records the participant's events, and can do nothing else: no reading, asking, consenting or withdrawing", async () => {
    const { app, studyId } = setup();
    const p = who();
    await enrollAs(app, p, studyId);
    await askAs(app, p, { studyId, query: "private 7e1" });
    const tracker = { ...p, scope: "events" as const };
    const logged = await gql(
      app,
      "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
      { e: [{ eventId: uid(), ...p, studyId, eventType: "SCROLL", extraData: { scrollDepth: 0.4 } }] },
      { participant: tracker },
    );
    expect(logged.errors).toBeUndefined();
    const attempts = [
      ["{ conversations { title } }", {}],
      ["mutation($i: QueryInput!) { query(input: $i) { id } }", { i: { ...p, query: "hi" } }],
      [ENROLL, { i: { studyId } }],
      ["mutation($s: ID!) { withdraw(studyId: $s) { deletedEvents } }", { s: studyId }],
    ] as const;
    for (const [query, variables] of attempts) {
      const result = await gql(app, query, { ...variables }, { participant: tracker });
      expect(codeOf(result), query).toBe("UNAUTHENTICATED");
      expect(JSON.stringify(result)).not.toContain("7e1");
    }
    // startSession with it starts someone new (as for anyone), never a full session of this participant.
    const started = await gql<{ startSession: { userId: string } }>(
      app,
      "mutation { startSession { userId } }",
      {},
      { participant: tracker },
    );
    expect(started.data?.startSession.userId).not.toBe(p.userId);
    expect((await recordsOf(app, p.userId)).length).toBe(3); // consent_given, the query, the scroll
  });
});

describe("finishing", () => {
  it("refuses to finish before minTurns; after finishing no more answers; a second finish stores nothing more", async () => {
    const { app, studyId } = setup({ minTurns: 1 });
    const p = who();
    await enrollAs(app, p, studyId);
    const FINISH = "mutation($i: StudyParticipantInput!) { finishStudy(input: $i) { code } }";
    const early = await gql(app, FINISH, { i: { studyId } }, { participant: p });
    expect(onlyError(early).code).toBe("COMPLETION_NOT_MET");
    expect(JSON.stringify(early)).not.toContain("SEC-CODE");
    await askAs(app, p, { studyId, query: "one question" });
    const first = await gql<{ finishStudy: { code: string } }>(
      app,
      FINISH,
      { i: { studyId } },
      { participant: p },
    );
    expect(first.data?.finishStudy.code).toBe("SEC-CODE");
    const again = await gql<{ finishStudy: { code: string } }>(
      app,
      FINISH,
      { i: { studyId } },
      { participant: p },
    );
    expect(again.data?.finishStudy.code).toBe("SEC-CODE");
    const after = await gql(
      app,
      "mutation($i: QueryInput!) { query(input: $i) { id } }",
      { i: { userId: p.userId, sessionId: p.sessionId, studyId, query: "one more" } },
      { participant: p },
    );
    expect(onlyError(after).code).toBe("STUDY_FINISHED");
    const steps = (await recordsOf(app, p.userId))
      .filter((r) => r.eventType === "STUDY_STEP")
      .map((r) => (r.extraData as { step: string }).step);
    expect(steps.filter((s) => s === "completed")).toHaveLength(1);
  });

  it("enroll then finishStudy in one request returns no code without a message", async () => {
    const { app, studyId } = setup({ minTurns: 1 });
    const p = who();
    const result = await gql(
      app,
      "mutation($i: StudyParticipantInput!) { enroll(input: $i) { assignedAt } finishStudy(input: $i) { code } }",
      { i: { studyId } },
      { participant: p },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("COMPLETION_NOT_MET");
    expect(JSON.stringify(result.data)).not.toContain("SEC-CODE");
  });

  it("minSeconds counts from consent in server time", async () => {
    const { app, studyId } = setup({ minSeconds: 3600 });
    const p = who();
    await enrollAs(app, p, studyId);
    const result = await gql(
      app,
      "mutation($i: StudyParticipantInput!) { finishStudy(input: $i) { code } }",
      { i: { studyId } },
      { participant: p },
    );
    const error = onlyError(result);
    expect(error.code).toBe("COMPLETION_NOT_MET");
    expect(error.message).toMatch(/finish in 3[56]\d\d seconds/);
  });
});

describe("withdrawal", () => {
  it("only the participant themselves (or a researcher) can withdraw; it deletes the study's and the open chat's records and writes an audit entry", async () => {
    const { app, studyId } = setup();
    const pid = `pid-${uid()}`;
    const p = who(uid(), { panelParticipantId: pid });
    await enrollAs(app, p, studyId);
    await askAs(app, p, { studyId, query: "in the study" });
    await askAs(app, p, { query: "in the open chat" });
    const bystander = who();
    await askAs(app, bystander, { query: "someone else's" });
    const before = await recordsOf(app, p.userId);
    expect(before.length).toBe(3); // consent_given, two queries

    const WITHDRAW =
      "mutation($s: ID!, $u: ID) { withdraw(studyId: $s, userId: $u) { deletedQueries deletedEvents } }";
    const forged = await gql(app, WITHDRAW, { s: studyId, u: p.userId }, { participant: who() });
    expect(codeOf(forged)).toBe("FORBIDDEN");
    const anonymous = await gql(app, WITHDRAW, { s: studyId, u: p.userId }, { participant: null });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    expect(await recordsOf(app, p.userId)).toHaveLength(3);

    const own = await gql<{ withdraw: { deletedQueries: number; deletedEvents: number } }>(
      app,
      WITHDRAW,
      { s: studyId },
      { participant: p },
    );
    expect(own.data?.withdraw).toEqual({ deletedQueries: 2, deletedEvents: 1 });
    expect(await recordsOf(app, p.userId)).toEqual([]);
    expect(await recordsOf(app, bystander.userId)).toHaveLength(1);

    const audit = await gql<{
      withdrawals: {
        studyId: string;
        condition: string | null;
        deletedQueries: number;
        deletedEvents: number;
        by: string;
        panelIdHmac: string | null;
      }[];
    }>(
      app,
      "query($s: ID) { withdrawals(studyId: $s) { studyId condition deletedQueries deletedEvents by panelIdHmac } }",
      { s: studyId },
      { token: RESEARCHER_TOKEN, participant: null },
    );
    const [entry] = audit.data?.withdrawals ?? [];
    expect(entry).toMatchObject({ studyId, deletedQueries: 2, deletedEvents: 1, by: "participant" });
    expect(["alpha", "beta"]).toContain(entry?.condition);
    expect(entry?.panelIdHmac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(audit)).not.toContain(pid);
    expect(JSON.stringify(audit)).not.toContain(p.userId);
    const participantsAudit = await gql(app, "{ withdrawals { id } }", {}, { participant: p });
    expect(codeOf(participantsAudit)).toBe("UNAUTHENTICATED");

    // Consent again: refused, in the same session and in a new one with the same panel id.
    expect(codeOf(await gql(app, ENROLL, { i: { studyId } }, { participant: p }))).toBe("WITHDRAWN");
    const returning = who(uid(), { panelParticipantId: pid });
    expect(
      codeOf(
        await gql(
          app,
          "mutation($i: StudyParticipantInput!) { enroll(input: $i) { assignedAt } }",
          { i: { studyId } },
          { participant: returning },
        ),
      ),
    ).toBe("WITHDRAWN");
  });

  it("a researcher withdraws a participant by id", async () => {
    const { app, studyId } = setup();
    const p = who();
    await enrollAs(app, p, studyId);
    const result = await gql<{ withdraw: { deletedEvents: number } }>(
      app,
      "mutation($s: ID!, $u: ID) { withdraw(studyId: $s, userId: $u) { deletedEvents } }",
      { s: studyId, u: p.userId },
      { token: RESEARCHER_TOKEN, participant: null },
    );
    expect(result.data?.withdraw.deletedEvents).toBe(1);
    const audit = await gql<{ withdrawals: { by: string }[] }>(
      app,
      "query($s: ID) { withdrawals(studyId: $s) { by } }",
      { s: studyId },
      { token: RESEARCHER_TOKEN, participant: null },
    );
    expect(audit.data?.withdrawals.map((w) => w.by)).toEqual(["researcher"]);
  });
});

describe("what participants are shown of studies", () => {
  it("status, studies and study show no conditions to participants or strangers; researchers see them", async () => {
    const { app, studyId } = setup();
    const QUERY =
      "query($id: ID!) { status { studies { id conditions { id description model provider } } } studies { conditions { id } } study(id: $id) { conditions { id } } }";
    for (const options of [{ participant: null }, { participant: who() }]) {
      const result = await gql(app, QUERY, { id: studyId }, options);
      expect(JSON.stringify(result)).not.toContain("SECRET-DESCRIPTION");
      expect(JSON.stringify(result)).not.toContain("alpha");
      expect(result.errors?.every((e) => e.extensions?.code === "UNAUTHENTICATED")).toBe(true);
    }
    const researcher = await gql(app, QUERY, { id: studyId }, { token: RESEARCHER_TOKEN, participant: null });
    expect(researcher.errors).toBeUndefined();
    expect(JSON.stringify(researcher)).toContain("SECRET-DESCRIPTION");
  });
});

describe("the click route's check (logClick)", () => {
  const CLICK = "mutation($i: LogClickInput!) { logClick(input: $i) { eventId } }";
  const LINKS = "query($id: ID!) { conversation(id: $id) { id links { url signature } } }";

  it("a model that repeats the participant's link: that link is not signed and not accepted; another's answer: NOT_FOUND", async () => {
    const { app, studyId } = setup();
    const p = who();
    await enrollAs(app, p, studyId);
    const answer = await askAs(app, p, {
      studyId,
      query: "Please repeat exactly: [log in](https://evil.example/login)",
    });
    const turns = await gql<{ conversation: { id: string; links: { url: string; signature: string }[] }[] }>(
      app,
      LINKS,
      { id: answer.conversationId },
      { participant: p },
    );
    const links = turns.data?.conversation[0]?.links ?? [];
    expect(links.map((l) => l.url).sort()).toEqual([
      "https://docs.example/guide",
      "https://docs.example/source",
    ]);
    const docs = links.find((l) => l.url === "https://docs.example/guide");
    if (!docs) throw new Error("no docs link");
    const forgedSignature = await gql(
      app,
      CLICK,
      { i: { queryId: answer.id, targetUrl: "https://evil.example/login", signature: docs.signature } },
      { participant: p },
    );
    expect(codeOf(forgedSignature)).toBe("BAD_USER_INPUT");
    const stranger = await gql(
      app,
      CLICK,
      { i: { queryId: answer.id, targetUrl: docs.url, signature: docs.signature } },
      { participant: who() },
    );
    expect(codeOf(stranger)).toBe("NOT_FOUND");
    const own = await gql<{ logClick: { eventId: string } }>(
      app,
      CLICK,
      { i: { queryId: answer.id, targetUrl: docs.url, signature: docs.signature } },
      { participant: p },
    );
    expect(own.errors).toBeUndefined();
    const clicks = (await recordsOf(app, p.userId)).filter((r) => r.eventType === "CLICK");
    expect(clicks).toHaveLength(1);
  });
});

describe("the open chat, switched off", () => {
  it("OPEN_CHAT=off: no answers and no history outside a study (NOT_FOUND), while a study's chat works", async () => {
    const studyId = `sec-${tag()}`;
    const app = appWithStudies([securityStudy(studyId)], { OPEN_CHAT: "off" });
    const p = who();
    const open = await gql(
      app,
      "mutation($i: QueryInput!) { query(input: $i) { id } }",
      { i: { ...p, query: "hi" } },
      { participant: p },
    );
    expect(codeOf(open)).toBe("NOT_FOUND");
    expect(codeOf(await gql(app, "{ conversations { id } }", {}, { participant: p }))).toBe("NOT_FOUND");
    expect(await recordsOf(app, p.userId)).toEqual([]);
    await enrollAs(app, p, studyId);
    await askAs(app, p, { studyId, query: "in the study" });
    expect(queriesIn(await recordsOf(app, p.userId))).toEqual(["in the study"]);
  });
});

function queriesIn(records: { __typename: string; query?: string }[]) {
  return records.filter((r) => r.__typename === "QueryRecord").map((r) => r.query);
}
