/**
 * What participants see is exactly what their condition says (issue 10):
 * each source setting (order model, reversed, random, fixed, latin-square;
 * limit; inject; citations list-only; sources hidden with markers stripped
 * or kept as text; text links as text), the condition's own texts and
 * feedback button. For every answer, the page's source list is in the order
 * of the stored displayed ranks, each marker shows the displayed rank of the
 * source it links to, and the record's provenance says which settings
 * produced it.
 *
 * One study per setting, each with one condition, on a Worker of the test's
 * own (D1; the provenance on the MongoDB stores is in study.test.ts, which
 * runs in every e2e project, and in the store contract).
 */
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerId,
  ask,
  exportRecords,
  launchBrowser,
  newParticipant,
  STORE,
  type TestBrowser,
} from "./support";
import { RESEARCHER_TOKEN } from "./support/env";
import type { QueryRecord } from "./support/export";
import { type OwnWorker, startOwnWorker } from "./support/worker";

const SOURCES = [1, 2, 3, 4].map((n) => ({
  title: `Source number ${n}`,
  url: `https://source${n}.example/page`,
  content: `What source ${n} says.`,
}));
const ANSWER =
  "First fact [1]. Second fact [2]. Third fact [3]. Fourth fact [4]. See [the guide](https://guide.example/) too.";
const INJECTED = { title: "The study's own source", url: "https://injected.example/", content: "Ours." };

/** A study with one condition: the scripted answer above, with the condition's settings. */
function study(id: string, settings: Record<string, unknown>) {
  return {
    id,
    version: 1,
    title: `Presentation ${id}`,
    consent: "Do you agree?",
    task: "Ask anything.",
    conditions: [
      {
        id: "only",
        llm: { provider: "scripted" },
        script: {
          model: "script-4",
          tokenDelayMs: 0,
          rules: [],
          fallback: { answer: ANSWER, sources: SOURCES },
        },
        ...settings,
      },
    ],
    completion: { code: "DONE" },
  };
}

const STUDIES = {
  model: study("order-model", {}),
  reversed: study("order-reversed", { sources: { order: "reversed" } }),
  random: study("order-random", { sources: { order: "random" } }),
  fixed: study("order-fixed", { sources: { order: "fixed", permutation: [3, 1, 4, 2] } }),
  latin: study("order-latin", { sources: { order: "latin-square" } }),
  limitInject: study("limit-inject", {
    sources: { order: "reversed", limit: 2, inject: { position: 2, ...INJECTED } },
  }),
  listOnly: study("list-only", {
    citations: "list-only",
    feedback: { label: "Was this useful?" },
    texts: { emptyChat: "Ask the assistant anything about the topic." },
  }),
  hidden: study("hidden-strip", { showSources: false }),
  hiddenText: study("hidden-text", { showSources: false, hiddenMarkers: "text", answerLinks: "text" }),
};

let browser: TestBrowser;
let worker: OwnWorker;

type Shown = { page: Awaited<ReturnType<typeof newParticipant>>["page"]; turn: Locator; record: QueryRecord };

/** A new participant consents, asks one question (JS on or off) and reads the answer; with its stored record. */
async function answerIn(studyId: string, javaScriptEnabled = false): Promise<Shown> {
  const participant = await newParticipant(browser, { javaScriptEnabled, baseURL: worker.url });
  const { page } = participant;
  await page.goto(`/s/${studyId}`);
  await page.getByRole("button", { name: "I agree to take part" }).click();
  await page.getByRole("link", { name: "Start" }).click();
  await page.locator("form.composer").waitFor();
  const turn = await ask(page, "Tell me the facts.");
  const id = await answerId(turn);
  const records = await exportRecords(await participant.userId(), {
    from: { url: worker.url, researcherToken: RESEARCHER_TOKEN },
  });
  const record = records.find((r): r is QueryRecord => r.__typename === "QueryRecord" && r.id === id);
  if (!record) throw new Error(`the answer ${id} is not in the export`);
  return { page, turn, record };
}

/** The source list as the page shows it: each entry's URL and its link's ranks. */
async function listed(turn: Locator) {
  return turn.locator("section.sources li a").evaluateAll((links) =>
    links.map((a) => ({
      url: a.getAttribute("data-out"),
      rank: Number(a.getAttribute("data-rank")),
      originalRank: a.hasAttribute("data-original-rank")
        ? Number(a.getAttribute("data-original-rank"))
        : null,
    })),
  );
}

/** Each marker of the text: the number it shows, the URL it opens, its ranks. */
async function markers(turn: Locator) {
  return turn.locator('.answer a[data-element="marker"]').evaluateAll((links) =>
    links.map((a) => ({
      text: a.textContent,
      url: a.getAttribute("data-out"),
      rank: Number(a.getAttribute("data-rank")),
    })),
  );
}

/**
 * The page shows the stored presentation exactly: the list in the order of
 * the stored displayed ranks, and every marker is "[k]" for the k-th source
 * shown and links to it.
 */
async function expectPageMatchesRecord({ turn, record }: Shown) {
  const stored = record.sources.map((s) => ({ url: s.url, rank: s.rank, originalRank: s.originalRank }));
  expect(stored.map((s) => s.rank)).toEqual(stored.map((_, i) => i + 1));
  expect(await listed(turn)).toEqual(stored);
  for (const marker of await markers(turn)) {
    expect(marker.text).toBe(`[${marker.rank}]`);
    expect(marker.url).toBe(stored[marker.rank - 1]?.url);
  }
  expect(record.modelSources?.map((s) => s.url)).toEqual(SOURCES.map((s) => s.url));
  expect(record.response).toBe(ANSWER);
}

const originalOrder = (record: QueryRecord) => record.sources.map((s) => s.originalRank);

describe.skipIf(STORE !== "d1")("presentation by condition", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    worker = await startOwnWorker({
      studies: Object.values(STUDIES),
      vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN },
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await browser?.close();
  });

  describe("source order", () => {
    it("model: as the model returned them; markers as written; provenance says so", async () => {
      const shown = await answerIn(STUDIES.model.id);
      await expectPageMatchesRecord(shown);
      expect(originalOrder(shown.record)).toEqual([1, 2, 3, 4]);
      expect(shown.record.displayedResponse).toBe(ANSWER);
      expect(shown.record.provenance).toMatchObject({
        provider: "scripted",
        requestedModel: "script-4",
        systemPromptHash: null,
        parameters: { tokenDelayMs: 0 },
        sourcesShown: true,
        order: "model",
        citations: "numbered",
        markers: "LINKED",
        answerLinks: "LINKS",
      });
      expect(shown.record.provenance?.studyHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("reversed (JS on): the list reversed, each marker renumbered to its source's new place", async () => {
      const shown = await answerIn(STUDIES.reversed.id, true);
      await expectPageMatchesRecord(shown);
      expect(originalOrder(shown.record)).toEqual([4, 3, 2, 1]);
      expect(await markers(shown.turn)).toEqual([
        { text: "[4]", url: SOURCES[0]?.url, rank: 4 },
        { text: "[3]", url: SOURCES[1]?.url, rank: 3 },
        { text: "[2]", url: SOURCES[2]?.url, rank: 2 },
        { text: "[1]", url: SOURCES[3]?.url, rank: 1 },
      ]);
    });

    it("fixed: the study's permutation", async () => {
      const shown = await answerIn(STUDIES.fixed.id);
      await expectPageMatchesRecord(shown);
      expect(originalOrder(shown.record)).toEqual([3, 1, 4, 2]);
      expect(shown.record.provenance?.permutation).toEqual([3, 1, 4, 2]);
    });

    it("random: a permutation per answer, as stored", async () => {
      const shown = await answerIn(STUDIES.random.id);
      await expectPageMatchesRecord(shown);
      expect([...originalOrder(shown.record)].sort()).toEqual([1, 2, 3, 4]);
      expect(shown.record.provenance?.order).toBe("random");
    });

    it("latin-square: four participants in a row see each source at each position once", async () => {
      const positions = SOURCES.map(() => new Set<number>());
      const rotations = new Set<number | null | undefined>();
      for (let i = 0; i < 4; i++) {
        const shown = await answerIn(STUDIES.latin.id);
        await expectPageMatchesRecord(shown);
        rotations.add(shown.record.provenance?.rotation);
        for (const s of shown.record.sources) positions[(s.originalRank ?? 0) - 1]?.add(s.rank);
      }
      expect([...rotations].sort()).toEqual([0, 1, 2, 3]);
      for (const at of positions) expect([...at].sort()).toEqual([1, 2, 3, 4]);
    });
  });

  describe("limit, inject, citations", () => {
    it("limit 2 of the reversed list with a source injected at 2: three shown, the others' markers gone", async () => {
      const shown = await answerIn(STUDIES.limitInject.id);
      await expectPageMatchesRecord(shown);
      expect(shown.record.sources.map((s) => [s.url, s.originalRank, s.injected])).toEqual([
        [SOURCES[3]?.url, 4, false],
        [INJECTED.url, null, true],
        [SOURCES[2]?.url, 3, false],
      ]);
      expect(shown.record.displayedResponse).toBe(
        "First fact. Second fact. Third fact [3]. Fourth fact [1]. See [the guide](https://guide.example/) too.",
      );
      expect(await shown.turn.locator(".sources li").nth(1).textContent()).toContain(INJECTED.title);
      expect(shown.record.provenance).toMatchObject({ limit: 2, inject: { position: 2, url: INJECTED.url } });
    });

    it("list-only: no markers, the list stays; the condition's own empty-chat text and feedback label", async () => {
      const participant = await newParticipant(browser, { baseURL: worker.url });
      const { page } = participant;
      await page.goto(`/s/${STUDIES.listOnly.id}`);
      await page.getByRole("button", { name: "I agree to take part" }).click();
      await page.getByRole("link", { name: "Start" }).click();
      expect(await page.locator(".turns .empty").textContent()).toBe(
        "Ask the assistant anything about the topic.",
      );
      const turn = await ask(page, "Tell me the facts.");
      expect(await turn.locator(".answer").textContent()).not.toMatch(/\[\d\]/);
      expect(await turn.locator("section.sources li").count()).toBe(4);
      expect(await turn.locator("button.helpful").textContent()).toBe("Was this useful?");
    });
  });

  describe("sources hidden", () => {
    it("stripped: no list, no markers, a text without [n]; the chat does not promise sources", async () => {
      const shown = await answerIn(STUDIES.hidden.id);
      expect(await shown.turn.locator("section.sources").count()).toBe(0);
      expect(await shown.turn.locator(".answer").textContent()).not.toMatch(/\[\d\]/);
      expect(await shown.turn.locator(".answer a.cite").count()).toBe(0);
      // The text's own link stays a link (answerLinks "links", the default), a click on it has no rank.
      expect(await shown.turn.locator('.answer a[data-element="answer-link"]').count()).toBe(1);
      expect(shown.record.provenance).toMatchObject({ sourcesShown: false, markers: "REMOVED" });
      expect(await shown.turn.locator("button.helpful").count()).toBe(0); // no feedback unless asked for
      await shown.page.getByRole("link", { name: "New conversation" }).click();
      expect(await shown.page.locator(".turns .empty").textContent()).toBe("Ask a question to start.");
    });

    it("markers kept as text and the text's links as text: nothing on the page links anywhere", async () => {
      const shown = await answerIn(STUDIES.hiddenText.id, true);
      const answer = shown.turn.locator(".answer");
      expect(await answer.textContent()).toContain("First fact [1]. Second fact [2].");
      expect(await answer.locator("a").count()).toBe(0);
      expect(await shown.turn.locator("section.sources").count()).toBe(0);
      expect(shown.record.displayedResponse).toBe(ANSWER);
      expect(shown.record.provenance).toMatchObject({
        sourcesShown: false,
        markers: "TEXT",
        answerLinks: "TEXT",
      });
    });
  });
});
