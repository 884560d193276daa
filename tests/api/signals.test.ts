import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import { handleDownload } from "../../api/export/http";
import { csvObjects } from "../support/csv";
import { appWithStudies, ask, enrollOk, onlyError, uid } from "./helpers";
import { gql, RESEARCHER_TOKEN } from "./support";

/**
 * Input signals through the API: a study with botSignals takes them with a
 * message (the length from the message itself), shows them to researchers
 * only, sums them per participant with flags, and exports them; a study
 * without botSignals, the open chat and bad payloads are refused with
 * BAD_USER_INPUT before a turn is taken.
 */

const base = {
  version: 1,
  task: "Ask.",
  conditions: [
    {
      id: "only",
      llm: { provider: "scripted" },
      script: { model: "scripted-signals", tokenDelayMs: 0, rules: [], fallback: { answer: "Noted." } },
    },
  ],
  completion: { code: "SIG" },
};
const ON = "signals-on";
const OFF = "signals-off";
const app: App = appWithStudies([
  {
    file: "studies/on.json",
    definition: {
      ...base,
      id: ON,
      title: "On",
      botSignals: true,
      consent: "We record your messages, and how you write them: characters you paste and your typing time.",
    },
  },
  {
    file: "studies/off.json",
    definition: { ...base, id: OFF, title: "Off", consent: "We record your messages." },
  },
]);

const typed = {
  pastedChars: 0,
  pastes: 0,
  keystrokes: 30,
  typingMs: 6000,
  blurs: 0,
  awayMs: 0,
  thinkMs: null,
};
const pasted = {
  pastedChars: 40,
  pastes: 1,
  keystrokes: 1,
  typingMs: 700,
  blurs: 1,
  awayMs: 3000,
  thinkMs: 1500,
};
const QUESTION = "How much coffee is too much, really?"; // 36 characters

async function participant(studyId: string) {
  const userId = uid();
  await enrollOk(app, { studyId, userId });
  return { userId, sessionId: `${userId}-session` };
}

const EXPORT = `query($u: [ID!]) { export(filter: { userIds: $u, kinds: [QUERY] }, first: 10) { edges { node {
  ... on QueryRecord { query inputSignals { pastedChars pastes keystrokes typingMs blurs awayMs length thinkMs charsPerSecond flags } }
} } } }`;

const PARTICIPANTS = `query($s: ID!) { studyParticipants(studyId: $s) { participants {
  assignment { userId } inputSignals { messages pastedMessages pastedChars typedMessages medianCharsPerSecond flags }
} } }`;

const TURNS = `query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { turnsUsed } }`;

describe("input signals through the API", () => {
  it("stores a message's signals in a study with botSignals, for researchers' eyes, summed per participant", async () => {
    const typist = await participant(ON);
    const paster = await participant(ON);
    expect(
      (await ask(app, { ...typist, studyId: ON, query: QUESTION, inputSignals: typed })).errors,
    ).toBeUndefined();
    expect(
      (await ask(app, { ...paster, studyId: ON, query: QUESTION, inputSignals: pasted })).errors,
    ).toBeUndefined();
    // A message without signals (JavaScript off) is taken as ever.
    expect((await ask(app, { ...typist, studyId: ON, query: "And tea?" })).errors).toBeUndefined();

    const exported = await gql<{ export: { edges: { node: { query: string; inputSignals: unknown } }[] } }>(
      app,
      EXPORT,
      { u: [paster.userId] },
      { token: RESEARCHER_TOKEN },
    );
    expect(exported.data?.export.edges.map((e) => e.node)).toEqual([
      {
        query: QUESTION,
        inputSignals: {
          ...pasted,
          length: QUESTION.length,
          charsPerSecond: null,
          flags: ["pasted-whole-message", "left-while-typing"],
        },
      },
    ]);

    const { data } = await gql<{
      studyParticipants: { participants: { assignment: { userId: string }; inputSignals: unknown }[] };
    }>(app, PARTICIPANTS, { s: ON }, { token: RESEARCHER_TOKEN });
    const of = (userId: string) =>
      data?.studyParticipants.participants.find((p) => p.assignment.userId === userId)?.inputSignals;
    expect(of(typist.userId)).toEqual({
      messages: 1,
      pastedMessages: 0,
      pastedChars: 0,
      typedMessages: 1,
      medianCharsPerSecond: 6,
      flags: [],
    });
    expect(of(paster.userId)).toEqual({
      messages: 1,
      pastedMessages: 1,
      pastedChars: 40,
      typedMessages: 0,
      medianCharsPerSecond: null,
      flags: ["pasted-whole-message", "left-while-typing"],
    });

    // The participant reading their own conversation sees no signals; a researcher does.
    const CONVERSATION = `query($id: ID!, $userId: ID!) { conversation(id: $id, userId: $userId) { inputSignals { pastes } } }`;
    const reader = await participant(ON);
    const asked = await ask(app, { ...reader, studyId: ON, query: "Tea?", inputSignals: typed });
    const conversation = { id: asked.data?.query.conversationId, userId: reader.userId };
    const own = await gql<{ conversation: { inputSignals: unknown }[] }>(app, CONVERSATION, conversation, {
      participant: reader,
    });
    expect(own.data?.conversation).toEqual([{ inputSignals: null }]);
    const theirs = await gql<{ conversation: { inputSignals: unknown }[] }>(app, CONVERSATION, conversation, {
      token: RESEARCHER_TOKEN,
    });
    expect(theirs.data?.conversation).toEqual([{ inputSignals: { pastes: 0 } }]);

    // The participants download's columns.
    const response = await handleDownload(
      new Request(`http://test/export/participants.csv?studyIds=${ON}`, {
        headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` },
      }),
      { ...app, version: "test" },
    );
    const body = await response.text();
    expect(response.status, body).toBe(200);
    const rows = csvObjects(body);
    const row = (userId: string) => rows.find((r) => r.user_id === userId);
    expect(row(paster.userId)).toMatchObject({
      signal_messages: "1",
      pasted_messages: "1",
      pasted_chars: "40",
      typed_messages: "0",
      median_chars_per_second: "",
      flags: "pasted-whole-message left-while-typing",
    });
    expect(row(typist.userId)).toMatchObject({
      pasted_messages: "0",
      median_chars_per_second: "6",
      flags: "",
    });
  });

  it("refuses signals for a study without botSignals and for the open chat, before a turn is taken", async () => {
    const who = await participant(OFF);
    const refused = onlyError(await ask(app, { ...who, studyId: OFF, query: QUESTION, inputSignals: typed }));
    expect(refused.code).toBe("BAD_USER_INPUT");
    expect(refused.message).toContain(`study "${OFF}" does not record input signals`);
    const turns = await gql<{ assignment: { turnsUsed: number } }>(
      app,
      TURNS,
      { s: OFF, u: who.userId },
      { token: RESEARCHER_TOKEN },
    );
    expect(turns.data?.assignment.turnsUsed).toBe(0);
    const open = onlyError(
      await ask(app, { userId: uid(), sessionId: uid(), query: QUESTION, inputSignals: typed }),
    );
    expect(open.code).toBe("BAD_USER_INPUT");
    expect(open.message).toContain("open chat records no input signals");
  });

  it("refuses bad payloads with BAD_USER_INPUT: out of bounds, fractional, missing, unknown fields", async () => {
    const who = await participant(ON);
    for (const inputSignals of [
      { ...typed, pastes: -1 },
      { ...typed, typingMs: 86_400_001 },
      { ...typed, typingMs: 1.5 },
      { ...typed, keystrokes: undefined },
      { ...typed, text: "what was pasted" },
      { ...typed, length: 3 },
      "just text",
    ]) {
      const result = await ask(app, { ...who, studyId: ON, query: QUESTION, inputSignals });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(inputSignals)).toBe("BAD_USER_INPUT");
    }
    const turns = await gql<{ assignment: { turnsUsed: number } }>(
      app,
      TURNS,
      { s: ON, u: who.userId },
      { token: RESEARCHER_TOKEN },
    );
    expect(turns.data?.assignment.turnsUsed).toBe(0);
  });
});
