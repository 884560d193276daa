import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import { handleDownload } from "../../api/export/http";
import type { NewEvent, NewQuery, Provenance, ShownSource } from "../../api/store/store";
import { csvObjects } from "../support/csv";
import { appWithStudies, uid } from "./helpers";
import { gql, RESEARCHER_TOKEN } from "./support";

/**
 * The monitor's click-through (ConditionMonitor.clickThrough) and the
 * `sources` download's `seen` and `visible_ms`, in workerd on real D1:
 * records stored through the real store, read as a researcher would, and
 * the monitor's rates computed again from the download alone.
 */
const studyId = `click-through-${uid().slice(0, 8)}`;
const condition = (id: string) => ({
  id,
  weight: 1,
  llm: { provider: "scripted" },
  script: { tokenDelayMs: 0, rules: [], fallback: { answer: "ok" } },
});
const app = appWithStudies([
  {
    file: `studies/${studyId}.json`,
    definition: {
      id: studyId,
      version: 1,
      title: "Click-through",
      consent: "Agree?",
      task: "Ask.",
      assignment: "balanced",
      conditions: [condition("shown"), condition("hidden")],
      completion: { code: "CT-1" },
    },
  },
]);

const MONITOR = `query($s: ID!) { studyMonitor(studyId: $s) { conditions { condition
  clickThrough { shown seen clicked seenClicked
    byDisplayedRank { rank shown seen clicked seenClicked clickRate seenClickRate }
    byOriginalRank { rank shown seen clicked seenClicked clickRate seenClickRate } } } } }`;

type Rank = {
  rank: number;
  shown: number;
  seen: number;
  clicked: number;
  seenClicked: number;
  clickRate: number | null;
  seenClickRate: number | null;
};
type Monitor = {
  studyMonitor: {
    conditions: {
      condition: string;
      clickThrough: {
        shown: number;
        seen: number;
        clicked: number;
        seenClicked: number;
        byDisplayedRank: Rank[];
        byOriginalRank: Rank[];
      };
    }[];
  };
};

const A = "https://a.example/";
const B = "https://b.example/";
const I = "https://study.example/injected";
const source = (rank: number, url: string, originalRank: number | null): ShownSource => ({
  rank,
  title: url,
  url,
  content: null,
  originalRank,
  injected: originalRank === null,
});

const provenance = (sourcesShown: boolean): Provenance => ({
  provider: "scripted",
  endpoint: null,
  requestedModel: "scripted-model",
  systemPromptHash: null,
  parameters: { temperature: null },
  sourcesShown,
  order: "reversed",
  permutation: null,
  rotation: null,
  limit: null,
  inject: { position: 2, url: I },
  citations: "numbered",
  markers: "linked",
  answerLinks: "links",
  studyHash: null,
});

function answer(userId: string, cond: string, sources: ShownSource[], shown: boolean): NewQuery {
  return {
    id: uid(),
    conversationId: uid(),
    userId,
    sessionId: `${userId}-session`,
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    studyId,
    condition: cond,
    studyVersion: 1,
    query: "Is coffee bad for sleep?",
    response: "It can be [1].",
    displayedResponse: "It can be [1].",
    sources,
    modelSources: [],
    provenance: provenance(shown),
    model: "scripted-model",
    latencyMs: 10,
    ttftMs: null,
    stopped: false,
    historyTurns: 0,
    error: null,
    clientTime: null,
    usage: null,
  };
}

function event(q: NewQuery, fields: Partial<NewEvent>): NewEvent {
  return {
    eventId: uid(),
    userId: q.userId,
    sessionId: q.sessionId,
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    studyId,
    condition: q.condition,
    studyVersion: 1,
    eventType: "BROWSE",
    query: null,
    queryId: q.id,
    targetUrl: null,
    pageUrl: null,
    extraData: null,
    clientTime: null,
    ...fields,
  };
}

const exposure = (q: NewQuery, pageViewId: string, visible: [string, number, number][]) =>
  event(q, {
    extraData: {
      kind: "exposure",
      pageViewId,
      seq: 1,
      sources: visible.map(([url, rank, visibleMs]) => ({ url, rank, visibleMs })),
    },
  });

async function sourcesCsv(on: App): Promise<Record<string, string>[]> {
  const response = await handleDownload(
    new Request(`http://test/export/sources.csv?studyIds=${studyId}`, {
      headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` },
    }),
    { ...on, version: "test" },
  );
  expect(response.status).toBe(200);
  return csvObjects(await response.text());
}

describe("click-through", () => {
  it("counts per condition and rank in the monitor, and the sources download gives the same rates", async () => {
    const [u1, u2] = [uid(), uid()];
    await app.store.assign({
      studyId,
      userId: u1,
      studyVersion: 1,
      panelParticipantId: null,
      choose: () => "shown",
    });
    await app.store.assign({
      studyId,
      userId: u2,
      studyVersion: 1,
      panelParticipantId: null,
      choose: () => "hidden",
    });
    const q1 = answer(u1, "shown", [source(1, B, 2), source(2, I, null), source(3, A, 1)], true);
    const q2 = answer(u2, "hidden", [source(1, A, 1)], false);
    await app.store.recordQuery(q1);
    await app.store.recordQuery(q2);
    await app.store.recordEvents([
      event(q1, { eventType: "CLICK", targetUrl: B, extraData: { via: "tracker" } }),
      exposure(q1, "pv1", [
        [B, 1, 300],
        [I, 2, 0],
        [A, 3, 0],
      ]),
      exposure(q1, "pv2", [
        [B, 1, 200],
        [I, 2, 150],
        [A, 3, 0],
      ]),
      event(q2, { eventType: "CLICK", targetUrl: A, extraData: { via: "redirect" } }),
    ]);

    const result = await gql<Monitor>(app, MONITOR, { s: studyId }, { token: RESEARCHER_TOKEN });
    expect(result.errors).toBeUndefined();
    const rank = (r: number, shown: number, seen: number, clicked: number, seenClicked: number): Rank => ({
      rank: r,
      shown,
      seen,
      clicked,
      seenClicked,
      clickRate: shown === 0 ? null : clicked / shown,
      seenClickRate: seen === 0 ? null : seenClicked / seen,
    });
    expect(result.data?.studyMonitor.conditions).toEqual([
      {
        condition: "shown",
        clickThrough: {
          shown: 3,
          seen: 2,
          clicked: 1,
          seenClicked: 1,
          byDisplayedRank: [rank(1, 1, 1, 1, 1), rank(2, 1, 1, 0, 0), rank(3, 1, 0, 0, 0)],
          byOriginalRank: [rank(1, 1, 0, 0, 0), rank(2, 1, 1, 1, 1)],
        },
      },
      {
        condition: "hidden",
        clickThrough: {
          shown: 0,
          seen: 0,
          clicked: 0,
          seenClicked: 0,
          byDisplayedRank: [],
          byOriginalRank: [],
        },
      },
    ]);
    expect(
      result.data?.studyMonitor.conditions[0]?.clickThrough.byDisplayedRank[2]?.seenClickRate,
    ).toBeNull();

    const rows = await sourcesCsv(app);
    expect(rows.map((r) => [r.query_id, r.rank, r.sources_shown, r.clicked, r.seen, r.visible_ms])).toEqual([
      [q1.id, "1", "true", "true", "true", "500"],
      [q1.id, "2", "true", "false", "true", "150"],
      [q1.id, "3", "true", "false", "false", "0"],
      [q2.id, "1", "false", "true", "false", ""],
    ]);
    // The monitor's rates by displayed rank, from the download alone.
    const shown = rows.filter((r) => r.condition === "shown" && r.sources_shown !== "false");
    const mean = (list: Record<string, string>[]) =>
      list.length === 0 ? null : list.filter((r) => r.clicked === "true").length / list.length;
    const fromCsv = [1, 2, 3].map((r) => {
      const at = shown.filter((s) => s.rank === String(r));
      return { clickRate: mean(at), seenClickRate: mean(at.filter((s) => s.seen === "true")) };
    });
    expect(fromCsv).toEqual(
      result.data?.studyMonitor.conditions[0]?.clickThrough.byDisplayedRank.map(
        ({ clickRate, seenClickRate }) => ({ clickRate, seenClickRate }),
      ),
    );
  });
});
