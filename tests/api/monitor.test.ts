import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import { appWithStudies, askOk, enrollOk, onlyError, uid } from "./helpers";
import { gql, participantToken, RESEARCHER_TOKEN } from "./support";

/**
 * The researcher's monitor through the API (studyMonitor) and the site's
 * researcher session (startResearcherSession), in workerd on real D1.
 */
const studyId = `monitor-${uid().slice(0, 8)}`;
const condition = (id: string, weight: number) => ({
  id,
  weight,
  llm: { provider: "scripted" },
  script: { tokenDelayMs: 0, rules: [], fallback: { answer: `${id} answers {{query}}` } },
});
const app = appWithStudies([
  {
    file: `studies/${studyId}.json`,
    definition: {
      id: studyId,
      version: 2,
      title: "Monitor",
      consent: "Agree?",
      task: "Ask.",
      assignment: "balanced",
      conditions: [condition("alpha", 1), condition("beta", 2)],
      completion: { code: "MON-1" },
    },
  },
]);

const MONITOR = `query($s: ID!) { studyMonitor(studyId: $s) {
  study { id version } consentShown consented
  conditions { condition weight targetShare share consented inProgress answers answersPerParticipant failures medianLatencyMs }
  activity { hour answers events } } }`;

type Monitor = {
  study: { id: string; version: number };
  consented: number;
  conditions: {
    condition: string;
    weight: number;
    targetShare: number;
    share: number | null;
    consented: number;
    answers: number;
    answersPerParticipant: number | null;
  }[];
  activity: { answers: number; events: number }[];
};

/** Runs an operation as the site does for a signed-in researcher: the session in Yoga's server context. */
async function asSite(on: App, query: string, variables: Record<string, unknown>, researcherSession: string) {
  const response = await on.api.fetch(
    new Request("http://test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    }),
    { researcherSession },
  );
  return (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: { extensions?: { code?: string } }[];
  };
}

describe("studyMonitor", () => {
  it("is for researchers only: no credential, a participant or a wrong token get UNAUTHENTICATED", async () => {
    const p = { userId: uid(), sessionId: uid() };
    const results = [
      await gql(app, MONITOR, { s: studyId }, { participant: null }),
      await gql(
        app,
        MONITOR,
        { s: studyId },
        { headers: { "x-participant-token": await participantToken(app, p) } },
      ),
      await gql(app, MONITOR, { s: studyId }, { token: "not-a-researcher-token" }),
    ];
    for (const result of results) expect(onlyError(result).code).toBe("UNAUTHENTICATED");
  });

  it("answers NOT_FOUND for a study the deployment does not have", async () => {
    const result = await gql(app, MONITOR, { s: "no-such-study" }, { token: RESEARCHER_TOKEN });
    expect(onlyError(result).code).toBe("NOT_FOUND");
  });

  it("counts participants and answers per condition, with the balance against the weights", async () => {
    const people = Array.from({ length: 3 }, () => ({ studyId, userId: uid(), sessionId: uid() }));
    const conditions: string[] = [];
    for (const p of people) conditions.push((await enrollOk(app, p)).condition);
    // Balanced over 1:2: one alpha, two beta.
    expect(conditions.sort()).toEqual(["alpha", "beta", "beta"]);
    for (const p of people) await askOk(app, { ...p, query: "Hello?" });

    const result = await gql<{ studyMonitor: Monitor }>(
      app,
      MONITOR,
      { s: studyId },
      { token: RESEARCHER_TOKEN },
    );
    expect(result.errors).toBeUndefined();
    const monitor = result.data?.studyMonitor;
    expect(monitor?.study).toEqual({ id: studyId, version: 2 });
    expect(monitor?.consented).toBe(3);
    expect(
      monitor?.conditions.map(
        ({ condition, weight, targetShare, share, consented, answers, answersPerParticipant }) => ({
          condition,
          weight,
          targetShare,
          share,
          consented,
          answers,
          answersPerParticipant,
        }),
      ),
    ).toEqual([
      {
        condition: "alpha",
        weight: 1,
        targetShare: 1 / 3,
        share: 1 / 3,
        consented: 1,
        answers: 1,
        answersPerParticipant: 1,
      },
      {
        condition: "beta",
        weight: 2,
        targetShare: 2 / 3,
        share: 2 / 3,
        consented: 2,
        answers: 2,
        answersPerParticipant: 1,
      },
    ]);
    expect(monitor?.activity.reduce((n, h) => n + h.answers, 0)).toBe(3);
  });
});

describe("startResearcherSession", () => {
  const START = "mutation { startResearcherSession { token expiresAt } }";

  it("refuses a wrong token with UNAUTHENTICATED", async () => {
    expect(onlyError(await gql(app, START, {}, { token: "wrong" })).code).toBe("UNAUTHENTICATED");
    expect(onlyError(await gql(app, START, {}, { participant: null })).code).toBe("UNAUTHENTICATED");
  });

  it("gives a 12-hour session that makes the site's calls a researcher's, and only the site's", async () => {
    const before = Date.now();
    const result = await gql<{ startResearcherSession: { token: string; expiresAt: string } }>(
      app,
      START,
      {},
      {
        token: RESEARCHER_TOKEN,
      },
    );
    const session = result.data?.startResearcherSession;
    if (!session) throw new Error(JSON.stringify(result));
    const hours = (Date.parse(session.expiresAt) - before) / 3_600_000;
    expect(hours).toBeGreaterThan(11.99);
    expect(hours).toBeLessThanOrEqual(12);

    const asResearcher = await asSite(app, MONITOR, { s: studyId }, session.token);
    expect(asResearcher.errors).toBeUndefined();
    // Over HTTP the session is no credential: not as a bearer token, not as a participant token.
    expect(onlyError(await gql(app, MONITOR, { s: studyId }, { token: session.token })).code).toBe(
      "UNAUTHENTICATED",
    );
    // A forged or altered session, or a participant's credential in its place, is none.
    const participant = await participantToken(app, { userId: uid(), sessionId: uid() });
    for (const forged of [`${session.token}x`, session.token.replace("lsr1", "lsp1"), participant]) {
      expect((await asSite(app, MONITOR, { s: studyId }, forged)).errors?.[0]?.extensions?.code).toBe(
        "UNAUTHENTICATED",
      );
    }
  });
});
