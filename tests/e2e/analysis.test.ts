/**
 * docs/analysis.md as a researcher uses it: participants take the demo
 * study through the API (consent, questions, clicks on sources, exposure
 * summaries, scrolling, conversions; some finish), the researcher downloads
 * the four CSVs and the description, runs the guide's pandas code on them,
 * and gets the monitor's numbers (GraphQL studyMonitor): participants and
 * finishes, time on task, questions per participant, click-through over
 * sources shown and seen, per condition and per rank, scroll depth and
 * conversions. Each python block of the guide is also a test of its own.
 * On a Worker of its own, with a copy of the demo study assigned in balance.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, SOURCES_ANSWER } from "./support";
import { RESEARCHER_TOKEN } from "./support/env";
import { type GuideRun, guideBlocks, runGuide } from "./support/guide";
import { type OwnWorker, startOwnWorker } from "./support/worker";

const STUDY = { ...DEMO, id: "analysis-guide", title: "Analysis guide", assignment: "balanced" };
const TABLES = ["answers", "sources", "events", "participants"] as const;
/** The guide's variables the test compares with the monitor. */
const VARIABLES = [
  "per_condition",
  "time_on_task",
  "questions",
  "click_through",
  "by_rank",
  "by_original_rank",
  "seen_click_through",
  "seen_by_rank",
  "scroll",
  "scrolled",
  "conversions",
];
/** Deepest scroll of the participants who scroll (away from the buckets' edges, and 1). */
const DEPTHS = [0.35, 0.55, 0.72, 1];

const dir = mkdtempSync(join(tmpdir(), "lsp-analysis-"));
let worker: OwnWorker;
let guide: GuideRun;
/** What the participants did, counted by the test: the numbers must not be zeros on both sides. */
const did = { consented: 0, finished: 0, shownClicked: 0, conversions: 0, scrolled: 0 };

async function graphql<T>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${worker.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data)
    throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(body)}`);
  return body.data;
}

const researcher = { authorization: `Bearer ${RESEARCHER_TOKEN}` };

type Source = { rank: number; originalRank: number | null; url: string };
type Who = { userId: string; sessionId: string; token: string };

async function logEvents(p: Who, events: Record<string, unknown>[]) {
  await graphql(
    "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
    {
      e: events.map((e) => ({
        eventId: randomUUID(),
        userId: p.userId,
        sessionId: p.sessionId,
        studyId: STUDY.id,
        ...e,
      })),
    },
    { "x-participant-token": p.token },
  );
}

/** Participant i: consents, asks i % 3 questions, clicks, is exposed, scrolls, converts; four who asked (the study asks for one question) finish. */
async function takePart(i: number) {
  const { startSession: s } = await graphql<{ startSession: Who }>(
    "mutation($i: StartSessionInput) { startSession(input: $i) { token userId sessionId } }",
    { i: { studyId: STUDY.id, panelParticipantId: `pp-${randomUUID()}` } },
  );
  const who = { userId: s.userId, sessionId: s.sessionId, token: s.token };
  const as = { "x-participant-token": who.token };
  await graphql(
    "mutation($i: StudyParticipantInput!) { enroll(input: $i) { assignedAt } }",
    {
      i: { studyId: STUDY.id },
    },
    as,
  );
  did.consented++;
  const pageViewId = randomUUID();
  let seq = 1;
  let latest: string | null = null;
  for (let n = 0; n < i % 3; n++) {
    const { query: answer } = await graphql<{ query: { id: string; sources: Source[] } }>(
      "mutation($i: QueryInput!) { query(input: $i) { id sources { rank originalRank url } } }",
      {
        i: {
          userId: who.userId,
          sessionId: who.sessionId,
          studyId: STUDY.id,
          query: "How much coffee a day?",
        },
      },
      as,
    );
    latest = answer.id;
    const click = (source: Source, element: string) => ({
      eventType: "CLICK",
      queryId: answer.id,
      targetUrl: source.url,
      extraData: { element, rank: source.rank, originalRank: source.originalRank, pageViewId, seq: seq++ },
    });
    if (answer.sources.length === 0) {
      // The list is hidden: a citation marker is still a link to the first source.
      const first = SOURCES_ANSWER.sources[0];
      if (first) await logEvents(who, [click({ rank: 1, originalRank: 1, url: first.url }, "marker")]);
      continue;
    }
    const target = answer.sources[(i + n) % answer.sources.length];
    if (target) {
      // Every fourth participant opens it twice: one source clicked, two clicks.
      await logEvents(
        who,
        Array.from({ length: i % 4 === 0 ? 2 : 1 }, () => click(target, "source")),
      );
      did.shownClicked++;
    }
    // Two summaries of the page view's running totals: the last one counts.
    const visible = (source: Source) => (source.rank === 1 ? 2000 : source.rank === 2 && i % 2 ? 600 : 0);
    for (const share of [0.5, 1])
      await logEvents(who, [
        {
          eventType: "BROWSE",
          queryId: answer.id,
          extraData: {
            kind: "exposure",
            pageViewId,
            seq: seq++,
            sources: answer.sources.map((source) => ({
              url: source.url,
              rank: source.rank,
              originalRank: source.originalRank,
              visibleMs: Math.round(visible(source) * share),
              hovers: 0,
              hoverMs: 0,
              clicks: source === target ? 1 : 0,
              awayMs: 0,
            })),
          },
        },
      ]);
  }
  const depth = DEPTHS[(i / 2) % DEPTHS.length];
  if (i % 2 === 0 && depth !== undefined) {
    await logEvents(
      who,
      [depth / 2, depth].map((scrollDepth) => ({
        eventType: "SCROLL",
        queryId: latest,
        extraData: { scrollDepth, pageViewId, seq: seq++ },
      })),
    );
    did.scrolled++;
  }
  const labels = i % 3 === 1 ? ["read-more", "read-more"] : i === 2 ? ["survey"] : [];
  if (labels.length > 0) {
    await logEvents(
      who,
      labels.map((label) => ({ eventType: "CONVERSION", extraData: { label, pageViewId, seq: seq++ } })),
    );
    did.conversions += labels.length;
  }
  if (i % 3 !== 0 && i < 7) {
    // Different times on task.
    await new Promise((resolve) => setTimeout(resolve, 40 * i));
    await graphql(
      "mutation($i: StudyParticipantInput!) { finishStudy(input: $i) { code } }",
      {
        i: { studyId: STUDY.id },
      },
      as,
    );
    did.finished++;
  }
}

async function download(path: string, headers: Record<string, string> = researcher) {
  const response = await fetch(`${worker.url}${path}`, { headers });
  expect(response.status, path).toBe(200);
  return response.text();
}

beforeAll(async () => {
  worker = await startOwnWorker({ studies: [STUDY], vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN } });
  await Promise.all(Array.from({ length: 9 }, (_, i) => takePart(i)));
  for (const table of TABLES)
    writeFileSync(join(dir, `${table}.csv`), await download(`/export/${table}.csv?studyIds=${STUDY.id}`));
  writeFileSync(
    join(dir, "dataset_description.json"),
    await download("/export/dataset_description.json", {}),
  );
  guide = await runGuide(dir, VARIABLES);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The monitor's conditions with the fields asked for (a separate query per field group: one missing field fails only its test). */
async function monitor<T>(fields: string): Promise<({ condition: string } & T)[]> {
  const data = await graphql<{ studyMonitor: { conditions: ({ condition: string } & T)[] } }>(
    `query($s: ID!) { studyMonitor(studyId: $s) { conditions { condition ${fields} } } }`,
    { s: STUDY.id },
    researcher,
  );
  return data.studyMonitor.conditions;
}

type Row = Record<string, unknown>;
const rows = (name: string): Row[] => {
  const value = guide.results[name];
  if (!value) throw new Error(`the guide computed no ${name}: ${JSON.stringify(guide.errors)}`);
  return value;
};
const of = (name: string, condition: string) => rows(name).filter((r) => r.condition === condition);
const one = (name: string, condition: string): Row | undefined => of(name, condition)[0];
const sum = (name: string, column: string) => rows(name).reduce((s, r) => s + Number(r[column]), 0);

/** A rate to nine decimals: JSON from pandas has 15 significant digits, JavaScript's 17. */
const rate = (x: unknown) => (x === null || x === undefined ? null : Math.round(Number(x) * 1e9) / 1e9);

type Rank = { rank: number; shown: number; seen: number; clicked: number; seenClicked: number };
type Rates = Rank & { clickRate: number | null; seenClickRate: number | null };

describe("docs/analysis.md", () => {
  for (const { step } of guideBlocks())
    it(`runs the python step "${step}" as written`, () => {
      expect(guide.errors[step], guide.errors[step]).toBeUndefined();
    });

  it("counts the monitor's participants and finishes per condition", async () => {
    const conditions = await monitor<{ consented: number; finished: number }>("consented finished");
    expect(conditions.map((c) => c.condition)).toEqual(STUDY.conditions.map((c) => c.id));
    for (const c of conditions) {
      const row = one("per_condition", c.condition);
      expect({ consented: row?.consented ?? 0, finished: row?.finished ?? 0 }, c.condition).toEqual({
        consented: c.consented,
        finished: c.finished,
      });
    }
    expect([sum("per_condition", "consented"), sum("per_condition", "finished")]).toEqual([
      did.consented,
      did.finished,
    ]);
  });

  it("gets the monitor's median time on task per condition", async () => {
    const conditions = await monitor<{ timeOnTask: { finished: number; medianMs: number | null } }>(
      "timeOnTask { finished medianMs }",
    );
    for (const { condition, timeOnTask } of conditions) {
      const row = one("time_on_task", condition);
      expect(row?.finished ?? 0, condition).toBe(timeOnTask.finished);
      if (timeOnTask.medianMs === null) expect(row, condition).toBeUndefined();
      else expect(Number(row?.median_ms), condition).toBeCloseTo(timeOnTask.medianMs, 3);
    }
    expect(sum("time_on_task", "finished")).toBe(did.finished);
  });

  it("gets the monitor's questions per participant", async () => {
    const conditions = await monitor<{
      questionsPerParticipant: { questions: number; atLeast: boolean; participants: number }[];
    }>("questionsPerParticipant { questions atLeast participants }");
    for (const { condition, questionsPerParticipant } of conditions) {
      const counted = of("questions", condition);
      for (const entry of questionsPerParticipant) {
        const matching = counted.filter((r) =>
          entry.atLeast ? Number(r.questions) >= entry.questions : Number(r.questions) === entry.questions,
        );
        const participants = matching.reduce((s, r) => s + Number(r.participants), 0);
        expect(participants, `${condition}: ${entry.questions} questions`).toBe(entry.participants);
      }
      const listed = questionsPerParticipant.reduce((s, e) => s + e.participants, 0);
      expect(listed, condition).toBe(counted.reduce((s, r) => s + Number(r.participants), 0));
    }
  });

  const rankFields = "rank shown seen clicked seenClicked clickRate seenClickRate";
  const clickFields = `clickThrough { shown seen clicked seenClicked byDisplayedRank { ${rankFields} } byOriginalRank { ${rankFields} } }`;
  type ClickThrough = {
    clickThrough: Omit<Rank, "rank"> & { byDisplayedRank: Rates[]; byOriginalRank: Rates[] };
  };

  it("gets the monitor's click-through over sources shown, per condition, displayed rank and original rank", async () => {
    const conditions = await monitor<ClickThrough>(clickFields);
    for (const { condition, clickThrough } of conditions) {
      const row = one("click_through", condition);
      expect({ shown: row?.shown ?? 0, clicked: row?.clicked ?? 0 }, condition).toEqual({
        shown: clickThrough.shown,
        clicked: clickThrough.clicked,
      });
      for (const [name, ranks, column] of [
        ["by_rank", clickThrough.byDisplayedRank, "rank"],
        ["by_original_rank", clickThrough.byOriginalRank, "original_rank"],
      ] as const) {
        const computed = of(name, condition).map((r) => ({
          rank: Number(r[column]),
          shown: r.shown,
          clicked: r.clicked,
          clickRate: rate(r.click_rate),
        }));
        const expected = ranks
          .filter((r) => r.shown > 0)
          .map((r) => ({ rank: r.rank, shown: r.shown, clicked: r.clicked, clickRate: rate(r.clickRate) }));
        expect(computed, `${condition} ${name}`).toEqual(expected);
      }
    }
    expect(sum("click_through", "clicked")).toBe(did.shownClicked);
  });

  it("gets the monitor's click-through over sources seen, per condition and displayed rank", async () => {
    const conditions = await monitor<ClickThrough>(clickFields);
    for (const { condition, clickThrough } of conditions) {
      const row = one("seen_click_through", condition);
      expect({ seen: row?.seen ?? 0, seenClicked: row?.seen_clicked ?? 0 }, condition).toEqual({
        seen: clickThrough.seen,
        seenClicked: clickThrough.seenClicked,
      });
      const computed = of("seen_by_rank", condition).map((r) => ({
        rank: r.rank,
        seen: r.seen,
        seenClicked: r.seen_clicked,
        seenClickRate: rate(r.seen_click_rate),
      }));
      const expected = clickThrough.byDisplayedRank
        .filter((r) => r.seen > 0)
        .map((r) => ({
          rank: r.rank,
          seen: r.seen,
          seenClicked: r.seenClicked,
          seenClickRate: rate(r.seenClickRate),
        }));
      expect(computed, condition).toEqual(expected);
    }
    // Rank 1 is in view in every summary, rank 3 never.
    expect(rows("seen_by_rank").some((r) => r.rank === 3)).toBe(false);
  });

  it("gets the monitor's scroll depth buckets", async () => {
    const conditions = await monitor<{
      scrollDepth: { participants: number; buckets: { from: number; to: number; participants: number }[] };
    }>("scrollDepth { participants buckets { from to participants } }");
    for (const { condition, scrollDepth } of conditions) {
      expect(Number(one("scrolled", condition)?.participants ?? 0), condition).toBe(scrollDepth.participants);
      const computed = of("scroll", condition).map((r) => ({
        tenths: Math.round(Number(r.bucket_from) * 10),
        participants: r.participants,
      }));
      const expected = scrollDepth.buckets
        .filter((b) => b.participants > 0)
        .map((b) => ({ tenths: Math.round(b.from * 10), participants: b.participants }));
      expect(computed, condition).toEqual(expected);
    }
    expect(sum("scrolled", "participants")).toBe(did.scrolled);
  });

  it("gets the monitor's conversions per label", async () => {
    const conditions = await monitor<{
      conversions: { label: string; events: number; participants: number }[];
    }>("conversions { label events participants }");
    for (const { condition, conversions } of conditions) {
      const computed = of("conversions", condition).map((r) => ({
        label: r.label,
        events: r.events,
        participants: r.participants,
      }));
      const byLabel = (a: { label: unknown }, b: { label: unknown }) =>
        String(a.label).localeCompare(String(b.label));
      expect(computed.sort(byLabel), condition).toEqual([...conversions].sort(byLabel));
    }
    expect(sum("conversions", "events")).toBe(did.conversions);
  });
});
