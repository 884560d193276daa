/**
 * What the tracker says about the sources shown: which link a click was
 * (a citation marker, the source list, a link in the text) with its
 * displayed and original ranks, and each source's exposure (time in view,
 * hovers, clicks, time away after a click), one summary per answer.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerId,
  ask,
  COFFEE,
  type EventRecord,
  eventsOf,
  launchBrowser,
  newParticipant,
  type TestBrowser,
  waitForExport,
  waitForHydration,
} from "./support";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

type Exposure = {
  url: string;
  rank: number | null;
  originalRank: number | null;
  visibleMs: number;
  hovers: number;
  hoverMs: number;
  clicks: number;
  awayMs: number;
};
type Extra = { kind?: string; seq?: number; sources?: Exposure[] };
const extra = (event: EventRecord) => (event.extraData ?? {}) as Extra;

const firstSource = () => {
  const source = COFFEE.sources[0];
  if (!source) throw new Error("the coffee answer has no sources");
  return source;
};

/** The page as the browser reports it when the participant goes to another tab and comes back. */
const setVisibility = (page: Page, state: "hidden" | "visible") =>
  page.evaluate((state) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);

/** Clicks a link that opens a new tab; resolves once the tab has landed on the source, and closes it. */
async function openAndClose(page: Page, link: Locator, url: string, whileAway?: () => Promise<void>) {
  const [tab] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  await whileAway?.();
  await tab.waitForURL(url);
  await tab.close();
}

describe("sources: clicks and exposure", () => {
  it("a tracked click says which link it was (marker, source list, link in the text) and its displayed and original ranks", async () => {
    const { page, userId } = await newParticipant(browser);
    const sent: { eventType: string; targetUrl?: string; extraData?: Record<string, unknown> }[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname !== "/t") return;
      const body = JSON.parse(request.postData() ?? "{}") as { events?: typeof sent };
      sent.push(...(body.events ?? []).filter((e) => e.eventType === "CLICK"));
    });
    await page.goto("/");
    await waitForHydration(page);
    const turn = await ask(page, "Is coffee healthy?");
    const id = await answerId(turn);
    const { url } = firstSource();

    // The citation [1] in the text, then the first source of the list: the same source.
    await openAndClose(page, turn.locator(".answer a.cite", { hasText: "[1]" }).first(), url);
    await openAndClose(page, turn.locator("section.sources a").first(), url);
    // The answer's own link to the FDA page, which is also its second source.
    const fda = COFFEE.sources[1]?.url ?? "";
    await openAndClose(page, turn.locator('.answer a[data-element="answer-link"]').first(), fda);

    const expected = [
      { via: "tracker", element: "marker", rank: 1, originalRank: 1 },
      { via: "tracker", element: "source-list", rank: 1, originalRank: 1 },
      { via: "tracker", element: "answer-link", rank: 2, originalRank: 2 },
    ];
    await expect.poll(() => sent.length).toBe(3);
    expect(sent.map((e) => [e.targetUrl, e.extraData])).toEqual(
      expected.map((fields, i) => [i < 2 ? url : fda, expect.objectContaining(fields)]),
    );
    // Stored once each (by the tracker or by the click route, whichever came first), with the same fields.
    const clicks = await waitForExport(
      await userId(),
      (records) => {
        const clicks = eventsOf(records, "CLICK");
        return clicks.length === 3 ? clicks : undefined;
      },
      "the three clicks",
    );
    expect(clicks.map((c) => c.queryId)).toEqual([id, id, id]);
    expect(clicks.map((c) => c.extraData)).toEqual(
      expect.arrayContaining(expected.map(({ via: _, ...fields }) => expect.objectContaining(fields))),
    );
  });

  it("per source shown: time half in view, hovers of 300 ms or more, clicks and the time away; one summary per answer that changed", async () => {
    const started = Date.now();
    const { page, userId } = await newParticipant(browser, { viewport: { width: 1000, height: 600 } });
    await page.goto("/");
    await waitForHydration(page);
    const coffee = await ask(page, "Is coffee healthy?");
    const id = await answerId(coffee);
    await ask(page, "How much sleep do I need?"); // the chat moves on to this answer

    // Back to the coffee answer's first source: scrolled into view, the pointer resting on it, clicked.
    const item = coffee.locator("section.sources li").first();
    await item.scrollIntoViewIfNeeded();
    await item.hover();
    await page.waitForTimeout(400); // the participant rests the pointer on the source for 400 ms
    const source = firstSource();
    // The source's tab comes to the front (this page hidden); it is closed and this page is back.
    await openAndClose(page, item.locator("a"), source.url, () => setVisibility(page, "hidden"));
    await setVisibility(page, "visible");
    // Another tab again: the summary with the time away leaves; hidden once more, nothing changed.
    await setVisibility(page, "hidden");
    await setVisibility(page, "hidden");

    const uid = await userId();
    const summaries = await waitForExport(
      uid,
      (records) => {
        const found = eventsOf(records, "BROWSE")
          .filter((e) => e.queryId === id && extra(e).kind === "exposure")
          .sort((a, b) => (extra(a).seq ?? 0) - (extra(b).seq ?? 0));
        const latest = found.at(-1);
        return latest && extra(latest).sources?.[0]?.awayMs ? found : undefined;
      },
      "the coffee answer's exposure summary with the time away",
    );
    const wall = Date.now() - started;
    const last = extra(summaries.at(-1) as EventRecord).sources ?? [];
    // Every source shown, in the list's order.
    expect(last.map((s) => s.url)).toEqual(COFFEE.sources.map((s) => s.url));
    const [clicked, ...others] = last;
    expect(clicked).toMatchObject({ url: source.url, clicks: 1, hovers: 1 });
    expect(clicked?.visibleMs).toBeGreaterThan(0);
    expect(clicked?.visibleMs).toBeLessThan(wall);
    expect(clicked?.hoverMs).toBeGreaterThanOrEqual(300);
    expect(clicked?.hoverMs).toBeLessThan(wall);
    expect(clicked?.awayMs).toBeGreaterThan(0);
    expect(clicked?.awayMs).toBeLessThan(wall);
    for (const other of others) expect(other).toMatchObject({ clicks: 0, hovers: 0, hoverMs: 0, awayMs: 0 });

    // Not a flood: a summary only when something changed since the one before.
    const texts = summaries.map((s) => JSON.stringify(extra(s).sources));
    for (let i = 1; i < texts.length; i++) expect(texts[i], `summary ${i}`).not.toBe(texts[i - 1]);
    // At most: the answer leaving view when the next one came, and the two hides that changed it.
    expect(summaries.length).toBeLessThanOrEqual(3);
  });
});
