/**
 * The demo study (studies/demo.json) as a participant from Prolific walks
 * it: the study link, consent, the task, the chat in the assigned condition
 * (sources shown or hidden), the finish step with the completion code and
 * the redirect to Prolific's completion URL, with JavaScript on and off; the
 * export then holds every record of the visit tagged with the study, its
 * version and the condition. Also: the same participant on another device
 * keeps their condition; declining stores nothing more and assigns nothing;
 * withdrawing deletes the participant's records; the history of
 * conversations survives a reload and shows in another tab, and no one else
 * sees it.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definitionHash } from "../../api/studies/definition-hash";
import {
  answerId,
  ask,
  byPanel,
  CONDITIONS,
  type ConditionId,
  conditionOf,
  DEMO,
  DEMO_STUDY_ID,
  type EventRecord,
  type ExportedRecord,
  enterStudy,
  eventsOf,
  exportRecords,
  interceptProlific,
  launchBrowser,
  newParticipant,
  newVisitor,
  openStudyChat,
  PROLIFIC_STUDY,
  type ProlificVisitor,
  queriesOf,
  SCREENSHOTS,
  SOURCES_ANSWER,
  STIMULUS,
  studyLink,
  studyPage,
  type TestBrowser,
  turns,
  visitorIn,
  waitForExport,
  waitForHydration,
} from "./support";

const QUESTION = "How much coffee is safe per day?";
const STUDY = { studyIds: [DEMO_STUDY_ID] };
/** The hash every record of the demo carries: of studies/demo.json as deployed. */
const DEMO_HASH = definitionHash(DEMO);
const REDIRECT_URL = DEMO.completion.redirectUrl;
const REDIRECT_DELAY_MS = DEMO.completion.redirectDelaySeconds * 1000;

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `study-${name}.png`), fullPage: true }).then(() => {});

const stepOfEvent = (e: EventRecord) => (e.extraData as { step?: string } | null)?.step;
const stepsOf = (records: ExportedRecord[]) => eventsOf(records, "STUDY_STEP").map(stepOfEvent);
const pathOf = (url: string | null) => (url ? new URL(url).pathname : null);

/** The answer to QUESTION in each condition: its text and how many sources the page lists. */
async function expectAnswerOf(turn: Locator, condition: ConditionId) {
  const answer = (await turn.locator(".answer").textContent()) ?? "";
  const sources = turn.locator("section.sources li");
  if (condition === "controlled-stimulus") {
    // The condition's own script, not the deployment's LLM.
    expect(answer).toContain("up to about 4 cups of coffee a day");
    expect(await sources.count()).toBe(STIMULUS.sources.length);
    expect(await sources.locator("a").allTextContents()).toEqual(STIMULUS.sources.map((s) => s.title));
  } else {
    // The conditions' own script (the same in both), not the deployment's LLM.
    expect(answer).toContain("3 to 4 cups a day");
    expect(await sources.count()).toBe(condition === "sources-hidden" ? 0 : SOURCES_ANSWER.sources.length);
  }
  // Hidden means hidden: no citation markers at all (hiddenMarkers "strip", the default), no links to sources.
  const cites = turn.locator(".answer a.cite");
  if (condition === "sources-hidden") {
    expect(await cites.count()).toBe(0);
    expect(answer).not.toMatch(/\[\d+\]/);
  } else {
    expect(await cites.count()).toBeGreaterThan(0);
  }
  expect(await turn.locator("section.sources").count()).toBe(condition === "sources-hidden" ? 0 : 1);
}

/** Finish: the confirmation, the code, then (after the study's delay) Prolific's completion page. */
async function finishAndReturnToProlific(page: Page, prolificHits: string[], name: string) {
  await page.getByRole("link", { name: "Finish" }).click();
  await page.locator('.study[data-step="finish"]').waitFor();
  await shot(page, `${name}-finish-confirm`);
  await page.getByRole("button", { name: "Finish and get my code" }).click();
  const code = page.locator("[data-completion-code]");
  await code.waitFor();
  const shownAt = Date.now();
  expect(await code.textContent()).toBe(DEMO.completion.code);
  expect(await page.locator("[data-completion-link]").getAttribute("href")).toBe(REDIRECT_URL);
  // With JavaScript off a meta refresh takes the browser back; with it on a countdown, which the participant can stop.
  const refresh = page.locator('meta[http-equiv="refresh"]');
  if (name === "nojs") {
    expect(await refresh.getAttribute("content", { timeout: 1_000 })).toBe(
      `${DEMO.completion.redirectDelaySeconds};url=${REDIRECT_URL}`,
    );
  } else {
    await page.getByRole("button", { name: "Stay on this page" }).waitFor();
    expect(await refresh.count()).toBe(0);
  }
  await shot(page, `${name}-finish-code`);

  // The browser goes to Prolific by itself, after the delay.
  expect(prolificHits).toEqual([]);
  await page.waitForURL(REDIRECT_URL, { timeout: REDIRECT_DELAY_MS + 10_000 });
  expect(Date.now() - shownAt).toBeGreaterThan(REDIRECT_DELAY_MS - 1_500);
  await page.locator("[data-prolific]").waitFor();
  expect(prolificHits[0]).toBe(REDIRECT_URL);
}

/**
 * The export of the visit, filtered by study and participant: every record
 * carries the participant's Prolific ids, the study, its version and the
 * condition (null only on consent_shown, before the assignment).
 */
function expectTagged(records: ExportedRecord[], visitor: ProlificVisitor, condition: ConditionId) {
  expect(records.length).toBeGreaterThan(0);
  for (const record of records) {
    const label = `${record.__typename} ${record.__typename === "EventRecord" ? `${record.eventType} ${JSON.stringify(record.extraData)}` : record.query}`;
    const beforeAssignment = record.__typename === "EventRecord" && stepOfEvent(record) === "consent_shown";
    expect(
      {
        panelParticipantId: record.panelParticipantId,
        panelSessionId: record.panelSessionId,
        prolificStudyId: record.prolificStudyId,
        studyId: record.studyId,
        studyVersion: record.studyVersion,
        condition: record.condition,
      },
      label,
    ).toEqual({
      panelParticipantId: visitor.pid,
      panelSessionId: visitor.session,
      prolificStudyId: PROLIFIC_STUDY,
      studyId: DEMO_STUDY_ID,
      studyVersion: DEMO.version,
      condition: beforeAssignment ? null : condition,
    });
  }
}

describe("the demo study from Prolific's link", () => {
  it("JS on: consent, task, chat in the assigned condition, finish with code DEMO2026 and the redirect to Prolific; the export holds the visit, tagged", async () => {
    const { page, userId } = await newParticipant(browser);
    const visitor = newVisitor();
    const prolific = await interceptProlific(page);

    const condition = await enterStudy(page, visitor, (step) => shot(page, `js-${step}`));
    expect(await userId()).not.toBe(visitor.pid); // the server issues the participant id
    await waitForHydration(page);
    const turn = await ask(page, QUESTION);
    const queryId = await answerId(turn);
    await expectAnswerOf(turn, condition);
    await shot(page, `js-chat-${condition}`);

    await finishAndReturnToProlific(page, prolific, "js");

    const records = await waitForExport(
      byPanel(visitor),
      (all) => {
        const pages = new Set(
          eventsOf(all, "BROWSE")
            .filter((e) => (e.extraData as { kind?: string } | null)?.kind === "page")
            .map((e) => pathOf(e.pageUrl)),
        );
        const complete =
          stepsOf(all).includes("completed") &&
          ["task", "chat", "finish"].every((step) => pages.has(studyPage(step)));
        return complete ? all : undefined;
      },
      "the visit's steps, query and page views (task, chat, finish)",
      20_000,
      STUDY,
    );
    expect(stepsOf(records)).toEqual([
      "consent_shown",
      "consent_given",
      "task_shown",
      "chat_shown",
      "completed",
    ]);
    const queries = queriesOf(records);
    expect(queries.map((q) => q.id)).toEqual([queryId]);
    expect(queries[0]).toMatchObject({ query: QUESTION, condition, error: null, stopped: false });
    if (condition === "controlled-stimulus") expect(queries[0]?.response).toBe(STIMULUS.answer);
    else expect(queries[0]?.response).toBe(SOURCES_ANSWER.answer);
    // Streamed: the time to the first token is known and within the total.
    expect(queries[0]?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(queries[0]?.timeToFirstTokenMs).toBeLessThanOrEqual(queries[0]?.latencyMs ?? -1);
    // From the consent page, only the server's consent_shown: the browser tracks nothing there.
    expect(
      eventsOf(records).filter((e) => e.eventType !== "STUDY_STEP" && pathOf(e.pageUrl) === studyPage()),
    ).toEqual([]);
    expectTagged(records, visitor, condition);
  });

  it("JS off: the same path with form posts, the code, and the meta refresh to Prolific; the export holds the visit, tagged", async () => {
    const { page } = await newParticipant(browser, { javaScriptEnabled: false });
    const visitor = newVisitor();
    const prolific = await interceptProlific(page);

    const condition = await enterStudy(page, visitor, (step) => shot(page, `nojs-${step}`));
    const posted = page.waitForResponse((r) => r.request().method() === "POST");
    const turn = await ask(page, QUESTION);
    const response = await posted;
    expect(response.request().resourceType()).toBe("document"); // a real form post
    expect(response.status()).toBe(302);
    const queryId = await answerId(turn);
    await expectAnswerOf(turn, condition);
    await shot(page, `nojs-chat-${condition}`);

    await finishAndReturnToProlific(page, prolific, "nojs");

    const records = await exportRecords(byPanel(visitor), STUDY);
    expect(stepsOf(records)).toEqual([
      "consent_shown",
      "consent_given",
      "task_shown",
      "chat_shown",
      "completed",
    ]);
    const queries = queriesOf(records);
    expect(queries.map((q) => q.id)).toEqual([queryId]);
    // The whole answer at once: not streamed, so no time to first token.
    expect(queries[0]).toMatchObject({
      query: QUESTION,
      condition,
      timeToFirstTokenMs: null,
      stopped: false,
    });
    // The chat's page views, logged by the <noscript> image: the first view and the one after the answer.
    const views = eventsOf(records, "BROWSE");
    expect(views.map((v) => v.extraData)).toEqual(
      views.map((v) => ({ kind: "page", via: "noscript", pageType: "chat", pageViewId: v.eventId, seq: 0 })),
    );
    expect(views.map((v) => pathOf(v.pageUrl))).toEqual([studyPage("chat"), studyPage("chat")]);
    expectTagged(records, visitor, condition);
  });

  it("the same PROLIFIC_PID on another device is a participant of its own in the same condition, seeing nothing of the first", async () => {
    const visitor = newVisitor();
    const first = await newParticipant(browser);
    const condition = await enterStudy(first.page, visitor);
    await waitForHydration(first.page);
    await ask(first.page, "first device's private question");

    // Another device: no cookies, the same link from Prolific: its own session, consent, same condition.
    const second = await newParticipant(browser, { viewport: { width: 390, height: 844 }, isMobile: true });
    expect(await enterStudy(second.page, visitor)).toBe(condition);
    expect(await second.page.content()).not.toContain("first device's private question");
    expect(await second.userId()).not.toBe(await first.userId());
    await shot(second.page, `chat-${condition}-second-device`);

    // The first device, back on the link, goes straight to its chat, with its history.
    await first.page.goto(studyLink(visitor));
    await first.page.locator('[data-step="chat"]').waitFor();
    expect(await conditionOf(first.page)).toBe(condition);
    const records = await exportRecords(byPanel(visitor), STUDY);
    const steps = stepsOf(records);
    expect(steps.filter((s) => s === "consent_given")).toHaveLength(2);
    expect(new Set(records.map((r) => r.userId)).size).toBe(2);
  });

  it("declining: a polite page, only consent_shown and consent_declined stored, no assignment (the next visit asks again)", async () => {
    const { page } = await newParticipant(browser);
    const visitor = newVisitor();
    await page.goto(studyLink(visitor));
    await page.locator('.study[data-step="consent"]').waitFor();
    await waitForHydration(page, "form.choices");
    await page.getByRole("button", { name: "I do not agree" }).click();
    await page.locator('.study[data-step="declined"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(studyPage("declined"));
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Thank you");
    expect(await page.locator(".study-body").textContent()).toContain(
      "Nothing more about you will be recorded",
    );
    await shot(page, "declined");

    // The browser queued nothing either (consent and declined pages are not tracked).
    expect(await page.evaluate(() => localStorage.getItem("lsp:pending") ?? "[]")).toBe("[]");
    const records = await exportRecords(byPanel(visitor));
    expect(records.map((r) => (r.__typename === "EventRecord" ? stepOfEvent(r) : r.__typename))).toEqual([
      "consent_shown",
      "consent_declined",
    ]);
    for (const record of records) expect(record).toMatchObject({ studyId: DEMO_STUDY_ID, condition: null });

    // Not assigned: the chat sends them back to consent, and the link asks again.
    await page.goto(studyPage("chat"));
    await page.locator('.study[data-step="consent"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(studyPage());
    expect(await page.getByRole("button", { name: "I agree to take part" }).count()).toBe(1);
  });

  it("withdrawing after a question: confirm, 'You have withdrawn', and the export for the participant and study is empty", async () => {
    const { page } = await newParticipant(browser);
    const visitor = newVisitor();
    await enterStudy(page, visitor);
    await waitForHydration(page);
    await ask(page, QUESTION);
    // The answer and its page views are stored before the participant withdraws.
    await waitForExport(
      byPanel(visitor),
      (all) => (eventsOf(all, "BROWSE").length > 0 && queriesOf(all).length === 1 ? all : undefined),
      "the query and a page view",
      15_000,
      STUDY,
    );

    await page.getByRole("link", { name: "Withdraw" }).click();
    await page.locator('.study[data-step="withdraw"]').waitFor();
    await shot(page, "withdraw-confirm");
    // The tracker sends what it queued (the page views of the chat and of this page) within
    // its 2 s batching delay: after the participant confirms, as people click at once.
    const trackerBatch = page
      .waitForResponse((r) => new URL(r.url()).pathname === "/t", { timeout: 6_000 })
      .catch(() => null);
    await page.getByRole("button", { name: "Yes, delete my records" }).click();
    await page.getByRole("heading", { name: "You have withdrawn" }).waitFor();
    expect(Number(await page.locator("[data-deleted]").getAttribute("data-deleted"))).toBeGreaterThan(0);
    await shot(page, "withdrawn");

    await expect
      .poll(async () => (await exportRecords(byPanel(visitor), STUDY)).length, {
        timeout: 5_000,
        message: "the participant's records in the study, after withdrawing",
      })
      .toBe(0);
    // What the browser still had queued when they withdrew is not stored after the deletion:
    // once that batch has been answered, the export is still empty, in the study and outside it
    // (this participant was only ever in this study).
    const batch = await trackerBatch;
    expect(batch, "the tracker's batch sent after the withdrawal").not.toBeNull();
    const after = await exportRecords(byPanel(visitor));
    expect(
      after.map((r) =>
        r.__typename === "EventRecord"
          ? `${r.eventType} ${JSON.stringify(r.extraData)} on ${pathOf(r.pageUrl)}, condition ${r.condition}`
          : r.query,
      ),
      "records stored after the withdrawal",
    ).toEqual([]);

    // No assignment any more: the link asks for consent again.
    await page.goto(studyLink(visitor));
    await page.locator('.study[data-step="consent"]').waitFor();
  });
});

describe("the conditions", () => {
  it.each(CONDITIONS)(
    "%s: the answer and sources the condition gives (JS off); the export's conditions filter finds its query",
    async (condition) => {
      const visitor = await visitorIn(condition);
      const { page } = await newParticipant(browser, { javaScriptEnabled: false });
      expect(await openStudyChat(page, visitor)).toBe(condition);
      const turn = await ask(page, QUESTION);
      await expectAnswerOf(turn, condition);
      await shot(page, `chat-${condition}`);

      const id = await answerId(turn);
      const byCondition = queriesOf(
        await exportRecords(byPanel(visitor), { ...STUDY, conditions: [condition] }),
      );
      expect(byCondition.map((q) => [q.id, q.condition])).toEqual([[id, condition]]);
      // What produced the answer and how it was shown, on the record (on every store).
      const [record] = byCondition;
      const hidden = condition === "sources-hidden";
      expect(record?.provenance).toMatchObject({
        provider: "scripted",
        sourcesShown: !hidden,
        order: "model",
        markers: hidden ? "REMOVED" : "LINKED",
        answerLinks: "LINKS",
        studyHash: DEMO_HASH,
      });
      expect(record?.displayedResponse).toBe(
        hidden ? record?.response?.replace(/[ \t]*\[\d+\]/g, "") : record?.response,
      );
      expect(record?.sources.map((s) => [s.rank, s.originalRank, s.injected])).toEqual(
        record?.modelSources?.map((s) => [s.rank, s.rank, false]),
      );
      const others = CONDITIONS.filter((c) => c !== condition);
      expect(await exportRecords(byPanel(visitor), { ...STUDY, conditions: others })).toEqual([]);
    },
  );
});

describe("conversation history in the study", () => {
  it("two conversations in the history list, after a reload and in a second tab; clicking one shows its turns; another participant sees none", async () => {
    const p = await newParticipant(browser);
    const { page } = p;
    await enterStudy(page, newVisitor());
    await waitForHydration(page);
    const history = page.locator("nav.history li");
    expect(await history.count()).toBe(0);

    const first = "Is decaf coffee healthy too?";
    await ask(page, first);
    const conversationA = new URL(page.url()).searchParams.get("c");
    expect(conversationA).toBeTruthy();
    await history.first().waitFor();
    expect(await history.count()).toBe(1);

    await page.getByRole("link", { name: "New conversation" }).click();
    await page.waitForURL((url) => url.pathname === studyPage("chat") && !url.searchParams.has("c"));
    await page.locator("main .empty").waitFor();
    expect(await turns(page).count()).toBe(0);
    const second = "How much caffeine is in green tea?";
    await ask(page, second);
    const conversationB = new URL(page.url()).searchParams.get("c");
    expect(conversationB).toBeTruthy();
    expect(conversationB).not.toBe(conversationA);
    expect(await turns(page).count()).toBe(1);

    /** The history list: newest first, each linking to its conversation. */
    const expectHistory = async (tab: Page) => {
      const items = tab.locator("nav.history li");
      await expect.poll(() => items.count()).toBe(2);
      expect(await items.locator("a").allTextContents()).toEqual([second, first]);
      const hrefs = await items.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      expect(hrefs.map((h) => new URL(h ?? "", "http://x").searchParams.get("c"))).toEqual([
        conversationB,
        conversationA,
      ]);
    };
    await expectHistory(page);
    await shot(page, "history");
    await page.reload();
    await waitForHydration(page);
    await expectHistory(page);
    expect(await turns(page).locator(".question").allTextContents()).toEqual([second]);

    // A second tab of the same browser.
    const tab = await p.context.newPage();
    await tab.goto(studyPage("chat"));
    await expectHistory(tab);
    await tab.locator("nav.history a", { hasText: first }).click();
    await tab.waitForURL((url) => url.searchParams.get("c") === conversationA);
    await expect.poll(() => turns(tab).locator(".question").allTextContents()).toEqual([first]);
    expect(await tab.locator("nav.history a", { hasText: first }).getAttribute("aria-current")).toBe("page");

    // Someone else, in the same study, sees none of it, and cannot open it by its id.
    const other = await newParticipant(browser);
    await enterStudy(other.page, newVisitor());
    expect(await other.page.locator("nav.history").count()).toBe(0);
    await other.page.goto(`${studyPage("chat")}?c=${conversationA}`);
    await other.page.locator('[data-step="chat"]').waitFor();
    expect(await turns(other.page).count()).toBe(0);
    expect(await other.page.locator("nav.history").count()).toBe(0);
  });
});
