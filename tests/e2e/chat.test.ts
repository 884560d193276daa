/**
 * The chat page: a question and its answer with numbered sources, with
 * JavaScript on (streamed with fetch, no page load) and off (the form posts
 * and the page redirects), on a phone, and the "This answer helped" conversion.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerId,
  ask,
  BASE_URL,
  COFFEE,
  dataApiFind,
  eventsOf,
  exportRecords,
  launchBrowser,
  newParticipant,
  queriesOf,
  SCREENSHOTS,
  STORE,
  storeStatus,
  type TestBrowser,
  turns,
  waitForExport,
  waitForHydration,
} from "./support";

const QUESTION = "Is coffee healthy?";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** The answer's numbered source list shows the scripted sources, each through the click route. */
async function expectCoffeeSources(turn: Locator, queryId: string) {
  const items = turn.locator("section.sources li");
  expect(await items.count()).toBe(COFFEE.sources.length);
  for (const [i, source] of COFFEE.sources.entries()) {
    const item = items.nth(i);
    expect(await item.getAttribute("value")).toBe(String(i + 1));
    const link = item.locator("a");
    expect(await link.textContent()).toBe(source.title);
    expect(await link.getAttribute("data-out")).toBe(source.url);
    expect(await link.getAttribute("target")).toBe("_blank");
    const href = new URL((await link.getAttribute("href")) ?? "", BASE_URL);
    expect(href.pathname).toBe("/out");
    expect(href.searchParams.get("q")).toBe(queryId);
    expect(href.searchParams.get("u")).toBe(source.url);
  }
  // Citation markers like [1] link to their source.
  const firstCite = turn.locator(".answer a.cite").first();
  expect(await firstCite.textContent()).toBe("[1]");
  expect(await firstCite.getAttribute("data-out")).toBe(COFFEE.sources[0]?.url);
}

describe("chat page", () => {
  it("JS on: shows the message pending, streams the answer, then shows it with 3 numbered sources without a page load; the export has it", async () => {
    const { page, userId } = await newParticipant(browser);
    await page.goto("/");
    await waitForHydration(page);
    await page.evaluate(() => {
      (window as { e2eMarker?: string }).e2eMarker = "same document";
    });

    // Hold the streamed answer's request until the pending state has been seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const posts: string[] = [];
    await page.route(
      (url) => url.pathname === "/stream" || url.pathname === "/",
      async (route) => {
        if (route.request().method() === "POST") {
          posts.push(`${new URL(route.request().url()).pathname} ${route.request().resourceType()}`);
          await held;
        }
        await route.continue();
      },
    );

    await page.getByLabel("Your message").fill(QUESTION);
    await page.getByRole("button", { name: "Send" }).click();
    const pending = page.locator("main article.turn.pending");
    await pending.waitFor();
    expect(await pending.getAttribute("aria-busy")).toBe("true");
    expect(await pending.locator(".question").textContent()).toBe(QUESTION);
    expect(await pending.locator(".thinking").textContent()).toBe("Thinking…");
    // While the answer comes, Stop replaces Send; the box is emptied for the next message.
    expect(await page.locator("button.stop").textContent()).toBe("Stop");
    expect(await page.getByRole("button", { name: "Send" }).count()).toBe(0);
    expect(await page.getByLabel("Your message").inputValue()).toBe("");
    release();

    const turn = turns(page).first();
    await turn.locator(".answer").waitFor();
    await pending.waitFor({ state: "detached" });
    expect(posts).toEqual(["/stream fetch"]); // streamed with fetch: no form post, no page load
    expect(await page.evaluate(() => (window as { e2eMarker?: string }).e2eMarker)).toBe("same document");

    const id = await answerId(turn);
    expect(await turn.locator(".question").textContent()).toBe(QUESTION);
    expect(await turn.locator(".answer").textContent()).toContain("3 to 4 cups a day");
    await expectCoffeeSources(turn, id);
    const url = new URL(page.url());
    expect(url.hash).toBe(`#a-${id}`);
    expect(await page.getByLabel("Your message").inputValue()).toBe(""); // emptied for the next message
    expect(await page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, "chat-desktop.png") });

    const uid = await userId();
    const query = queriesOf(await exportRecords(uid)).find((q) => q.id === id);
    expect(query).toMatchObject({
      userId: uid,
      conversationId: url.searchParams.get("c"),
      query: QUESTION,
      response: COFFEE.answer,
      error: null,
      model: "scripted-demo",
      prolificStudyId: null,
    });
    expect(query?.sources).toEqual(
      COFFEE.sources.map((s, i) => ({
        rank: i + 1,
        originalRank: i + 1,
        injected: false,
        title: s.title,
        url: s.url,
        content: s.content,
      })),
    );
    // With JS on, the form carries the device's time of sending.
    expect(Date.parse(query?.clientTime ?? "")).toBeGreaterThan(0);
    // Streamed: the time to the first token, within the total; outside any study.
    expect(query?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(query?.timeToFirstTokenMs).toBeLessThanOrEqual(query?.latencyMs ?? -1);
    expect(query).toMatchObject({ stopped: false, studyId: null, condition: null, studyVersion: null });

    // The Worker runs on the store this project means, and on the Data API the
    // query really is in MongoDB's `queries` collection, as the export showed it.
    expect(await storeStatus()).toMatchObject({ name: STORE, ok: true });
    if (STORE === "mongodb-data-api") {
      expect(await dataApiFind("queries", { _id: id })).toEqual([
        expect.objectContaining({
          _id: id,
          user_id: uid,
          conversation_id: url.searchParams.get("c"),
          query: QUESTION,
          response: COFFEE.answer,
          received_at: query?.receivedAt,
          client_time: query?.clientTime,
        }),
      ]);
    }

    // Page views come from the tracker; the <noscript> image is never loaded.
    const views = await waitForExport(
      uid,
      (records) => {
        const found = eventsOf(records, "BROWSE").filter(
          (e) => e.extraData && (e.extraData as { kind?: string }).kind === "page",
        );
        return found.length >= 1 ? found : undefined;
      },
      "page views from the tracker",
    );
    expect(views.map((v) => (v.extraData as { via?: string }).via)).not.toContain("noscript");
    if (STORE === "mongodb-data-api") {
      // ...and so are the tracker's events, in `events`.
      const stored = await dataApiFind("events", { user_id: uid, event_type: "BROWSE" });
      expect(stored.map((e) => e._id)).toEqual(expect.arrayContaining(views.map((v) => v.id)));
    }
  });

  it("JS off: the form posts, the page redirects to the answer with its sources; the export has it", async () => {
    const { page, userId } = await newParticipant(browser, { javaScriptEnabled: false });
    await page.goto("/");

    const posted = page.waitForResponse((r) => r.request().method() === "POST");
    const turn = await ask(page, QUESTION);
    const response = await posted;
    expect(response.request().resourceType()).toBe("document"); // a real form post
    expect(response.status()).toBe(302);
    const id = await answerId(turn);
    const url = new URL(page.url());
    expect(response.headers().location).toBe(`${url.pathname}${url.search}${url.hash}`);
    expect(url.hash).toBe(`#a-${id}`);
    await expectCoffeeSources(turn, id);

    const uid = await userId();
    const query = queriesOf(await exportRecords(uid)).find((q) => q.id === id);
    expect(query).toMatchObject({
      userId: uid,
      conversationId: url.searchParams.get("c"),
      query: QUESTION,
      response: COFFEE.answer,
      clientTime: null, // no script filled it in
      timeToFirstTokenMs: null, // answered whole, not streamed
      stopped: false,
    });
    expect(query?.sources.map((s) => s.url)).toEqual(COFFEE.sources.map((s) => s.url));

    // A follow-up continues the same conversation.
    const next = await answerId(await ask(page, "And how much caffeine is too much?"));
    expect(new URL(page.url()).searchParams.get("c")).toBe(url.searchParams.get("c"));
    expect(await turns(page).count()).toBe(2);
    const followUp = queriesOf(await exportRecords(uid)).find((q) => q.id === next);
    expect(followUp?.conversationId).toBe(url.searchParams.get("c"));

    // Without the tracker, each page view is still logged, by the <noscript> image: the
    // first visit, and the page shown after each of the two answers.
    const views = eventsOf(await exportRecords(uid), "BROWSE");
    expect(views).toHaveLength(3);
    for (const view of views)
      expect(view.extraData).toEqual({
        kind: "page",
        via: "noscript",
        pageType: "open-chat",
        pageViewId: view.eventId,
        seq: 0,
      });
    expect(new URL(views[0]?.pageUrl ?? "about:blank").pathname).toBe("/");
    expect(new URL(views[2]?.pageUrl ?? "about:blank").searchParams.get("c")).toBe(url.searchParams.get("c"));
  });

  it("on a phone: the answer fits the screen's width", async () => {
    const { page } = await newParticipant(browser, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await page.goto("/");
    await waitForHydration(page);
    await ask(page, QUESTION);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, "chat-mobile.png") });
    await page.locator("section.sources").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "chat-mobile-sources.png") });
  });

  it('"This answer helped" stores a CONVERSION labelled answer-feedback, about that answer', async () => {
    const { page, userId } = await newParticipant(browser);
    await page.goto("/");
    await waitForHydration(page);
    await ask(page, "How much sleep do I need?");
    const turn = await ask(page, QUESTION);
    const id = await answerId(turn);
    await turn.locator('[data-study-target="answer-feedback"]').click();

    const uid = await userId();
    const conversions = await waitForExport(
      uid,
      (records) => {
        const found = eventsOf(records, "CONVERSION");
        return found.length > 0 ? found : undefined;
      },
      "a CONVERSION event",
    );
    expect(conversions).toHaveLength(1);
    expect(conversions[0]).toMatchObject({
      userId: uid,
      queryId: id,
      pageUrl: page.url(),
      extraData: { label: "answer-feedback" },
    });
  });
});
