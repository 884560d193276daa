import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MEASURE_SQL } from "../../api/store/d1-measures";
import { appWithStudies, askOk, conditionOf, enrollOk, logEvents, uid } from "./helpers";
import { gql, RESEARCHER_TOKEN } from "./support";

/**
 * The monitor's participant measures through the API (studyMonitor's
 * conditions: timeOnTask, questionsPerParticipant, scrollDepth,
 * conversions), from a participant's own questions, events and finish, in
 * workerd on real D1.
 */
const studyId = `measures-${uid().slice(0, 8)}`;
const condition = (id: string) => ({
  id,
  weight: 1,
  llm: { provider: "scripted" },
  script: { tokenDelayMs: 0, rules: [], fallback: { answer: `${id} answers {{query}}` } },
});
const app = appWithStudies([
  {
    file: `studies/${studyId}.json`,
    definition: {
      id: studyId,
      version: 1,
      title: "Measures",
      consent: "Agree?",
      task: "Ask.",
      assignment: "balanced",
      conditions: [condition("alpha"), condition("beta"), condition("gamma")],
      completion: { code: "MEA-1" },
    },
  },
]);

const MONITOR = `query($s: ID!) { studyMonitor(studyId: $s) { conditions {
  condition consented
  timeOnTask { finished medianMs buckets { fromMs toMs participants } }
  questionsPerParticipant { questions atLeast participants }
  scrollDepth { participants buckets { from to participants } }
  conversions { label events participants } } } }`;

type Measures = {
  condition: string;
  consented: number;
  timeOnTask: {
    finished: number;
    medianMs: number | null;
    buckets: { toMs: number | null; participants: number }[];
  };
  questionsPerParticipant: { questions: number; atLeast: boolean; participants: number }[];
  scrollDepth: { participants: number; buckets: { from: number; to: number; participants: number }[] };
  conversions: { label: string; events: number; participants: number }[];
};

const FINISH = `mutation Finish($input: StudyParticipantInput!) { finishStudy(input: $input) { code } }`;

describe("studyMonitor's measures", () => {
  it("shows time on task, questions, deepest scroll and conversions per condition, and zeros where nobody is", async () => {
    const [p1, p2] = Array.from({ length: 2 }, () => ({ studyId, userId: uid(), sessionId: uid() })) as [
      { studyId: string; userId: string; sessionId: string },
      { studyId: string; userId: string; sessionId: string },
    ];
    await enrollOk(app, p1);
    await enrollOk(app, p2);
    await askOk(app, { ...p1, query: "Hello?" });
    await askOk(app, { ...p1, query: "And then?" });
    const event = (eventType: string, extraData: unknown) => ({
      ...p1,
      eventId: uid(),
      eventType,
      extraData,
    });
    const logged = await logEvents(app, [
      event("SCROLL", { scrollDepth: 0.35 }),
      event("SCROLL", { scrollDepth: 0.6 }),
      event("CONVERSION", { label: "signup" }),
      event("CONVERSION", { label: "signup" }),
    ]);
    expect(logged.data?.logEvents.accepted).toBe(4);
    const finished = await gql(app, FINISH, { input: p1 });
    expect(finished.errors).toBeUndefined();

    const result = await gql<{ studyMonitor: { conditions: Measures[] } }>(
      app,
      MONITOR,
      { s: studyId },
      { token: RESEARCHER_TOKEN },
    );
    expect(result.errors).toBeUndefined();
    const conditions = result.data?.studyMonitor.conditions ?? [];
    const [c1, c2] = [await conditionOf(app, studyId, p1.userId), await conditionOf(app, studyId, p2.userId)];
    const of = (id: string) => conditions.find((c) => c.condition === id);

    const first = of(c1);
    expect(first?.timeOnTask.finished).toBe(1);
    expect(first?.timeOnTask.medianMs).toBeGreaterThanOrEqual(0);
    expect(first?.timeOnTask.buckets).toHaveLength(13);
    expect(first?.timeOnTask.buckets[0]?.participants).toBe(1);
    expect(first?.timeOnTask.buckets.at(-1)?.toMs).toBeNull();
    expect(first?.questionsPerParticipant.filter((q) => q.participants > 0)).toEqual([
      { questions: 2, atLeast: false, participants: 1 },
    ]);
    expect(first?.questionsPerParticipant.at(-1)).toEqual({ questions: 10, atLeast: true, participants: 0 });
    expect(first?.scrollDepth.participants).toBe(1);
    expect(first?.scrollDepth.buckets[6]).toEqual({ from: 0.6, to: 0.7, participants: 1 });
    expect(first?.conversions).toEqual([{ label: "signup", events: 2, participants: 1 }]);

    const second = of(c2);
    expect(second?.timeOnTask).toMatchObject({ finished: 0, medianMs: null });
    expect(second?.questionsPerParticipant[0]).toEqual({ questions: 0, atLeast: false, participants: 1 });
    expect(second?.scrollDepth.participants).toBe(0);

    // The third condition has nobody: every bucket present, all 0.
    const empty = conditions.find((c) => c.condition !== c1 && c.condition !== c2);
    expect(empty?.consented).toBe(0);
    expect(empty?.questionsPerParticipant).toHaveLength(11);
    expect(empty?.questionsPerParticipant.every((q) => q.participants === 0)).toBe(true);
    expect(empty?.scrollDepth.buckets).toHaveLength(10);
    expect(empty?.conversions).toEqual([]);
  });
});

describe("studyMeasures on D1", () => {
  // Scales with participants, not events: the plans read no events but by the partial index, one seek each.
  it("reads the deepest scroll from events_scroll_depth and conversions from conversion_counts", async () => {
    const plan = async (sql: string) =>
      (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind("s").all<{ detail: string }>()).results
        .map((r) => r.detail)
        .join("\n");
    const depths = await plan(MEASURE_SQL.depths);
    expect(depths).toMatch(/SEARCH e USING INDEX events_scroll_depth \(study_id=\? AND user_id=\?\)/);
    // The index gives the order: no sort, and no scan of events.
    expect(depths).not.toMatch(/TEMP B-TREE FOR ORDER BY|SCAN e\b/);
    const conversions = await plan(MEASURE_SQL.conversions);
    // c is conversion_counts (WITHOUT ROWID: its primary key is the table).
    expect(conversions).toMatch(/SEARCH c USING PRIMARY KEY \(study_id=\?\)/);
    expect(conversions).not.toMatch(/\b(e|events)\b/);
  });
});
