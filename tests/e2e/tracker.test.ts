/**
 * The browser tracker's scroll depth (on the latest answer) and its
 * delivery: the queue leaving with sendBeacon when the page hides, and
 * batches that were not confirmed surviving a reload in localStorage and
 * being stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerId,
  ask,
  BASE_URL,
  type EventRecord,
  eventsOf,
  exportRecords,
  launchBrowser,
  newParticipant,
  type Participant,
  type TestBrowser,
  turns,
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

/** An event's extraData, which the export types as any JSON. */
const extra = (event: EventRecord) => (event.extraData ?? {}) as Record<string, unknown>;
const depth = (event: EventRecord) => Number(extra(event).scrollDepth);

type Batch = { id: string; events: { eventId: string; eventType: string }[] };
const PENDING = "lsp:pending";
const BEACONS = "e2e:beacons";

/** Records every navigator.sendBeacon call in localStorage (it outlives the page that made it). */
async function recordBeacons(participant: Participant): Promise<void> {
  await participant.context.addInitScript((key) => {
    const original = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => {
      const queued = original(url, data);
      const log = JSON.parse(localStorage.getItem(key) ?? "[]") as unknown[];
      log.push({ path: new URL(String(url), location.href).pathname, queued });
      localStorage.setItem(key, JSON.stringify(log));
      return queued;
    };
  }, BEACONS);
}

async function beaconsSent(participant: Participant): Promise<unknown[]> {
  const state = await participant.context.storageState();
  const origin = state.origins.find((o) => o.origin === BASE_URL);
  return JSON.parse(origin?.localStorage.find((item) => item.name === BEACONS)?.value ?? "[]") as unknown[];
}

describe("tracker", () => {
  it("logs scroll depth on the latest answer: the fraction of it and its sources seen so far, not of the page", async () => {
    const { page, userId } = await newParticipant(browser, { viewport: { width: 900, height: 420 } });
    await page.goto("/");
    await waitForHydration(page);
    await ask(page, "Is coffee healthy?");
    await ask(page, "How much sleep do I need?");
    await ask(page, "Is coffee healthy?");
    // A new page view, from the top of the conversation: the latest answer is out of view.
    const url = new URL(page.url());
    await page.goto(`${url.pathname}${url.search}`);
    await waitForHydration(page);
    const latest = turns(page).last();
    const id = await answerId(latest);
    const box = () =>
      latest.evaluate((el) => {
        const { top, height } = el.getBoundingClientRect();
        return { top, height, viewport: window.innerHeight };
      });
    const before = await box();
    expect(before.top).toBeGreaterThan(before.viewport);

    // Scrolled until the top part of the answer is in view (the viewport's bottom inside it).
    const shown = Math.min(before.height / 2, before.viewport * 0.75);
    await page.evaluate((by) => window.scrollBy(0, by), before.top + shown - before.viewport);
    const part = shown / before.height;
    const uid = await userId();
    const first = await waitForExport(
      uid,
      (records) => eventsOf(records, "SCROLL").find((e) => e.queryId === id),
      "a SCROLL event with the part of the latest answer in view",
    );
    expect(Math.abs(depth(first) - part)).toBeLessThanOrEqual(0.02);
    expect(first.pageUrl).toBe(page.url());

    // Down to the end like a person (wheel turns shorter than the viewport, then a pause): all of it seen.
    await page.mouse.move(450, 200);
    while (
      !(await page.evaluate(
        () => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2,
      ))
    )
      await page.mouse.wheel(0, 150);
    const bottom = await waitForExport(
      uid,
      (records) => eventsOf(records, "SCROLL").find((e) => e.queryId === id && depth(e) === 1),
      "a SCROLL event with all of the latest answer seen",
    );
    expect(Date.parse(bottom.clientTime ?? "")).toBeGreaterThan(Date.parse(first.clientTime ?? ""));
    expect(typeof extra(bottom).sentAt).toBe("string");
    // Each SCROLL of this page view is about the latest answer, and the depth only grows.
    const depths = eventsOf(await exportRecords(uid), "SCROLL")
      .filter((e) => extra(e).pageViewId === extra(first).pageViewId)
      .sort((a, b) => Number(extra(a).seq) - Number(extra(b).seq));
    expect(depths.every((e) => e.queryId === id)).toBe(true);
    expect(depths.map(depth)).toEqual([...depths.map(depth)].sort((a, b) => a - b));
  });

  for (const [how, hide] of [
    ["navigates away", (participant: Participant) => participant.page.goto("about:blank")],
    [
      "closes the tab",
      // A closing tab fires pagehide, then goes. Headless Chromium closing a page from Playwright
      // does not always run that step (no beacon in about 2 runs of 5 here, with or without
      // runBeforeUnload), so the test fires it as the tab would, then closes the page: the beacon
      // must outlive the page that sent it.
      async (participant: Participant) => {
        // The beacon must have left before the tab goes: a page closed at the same instant can
        // take a request not yet started with it (about 1 run in 20 on a busy machine).
        const sent = participant.page.waitForRequest((r) => new URL(r.url()).pathname === "/t");
        await participant.page.evaluate(() =>
          window.dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false })),
        );
        await sent;
        await participant.page.close();
      },
    ],
    [
      "switches to another tab (visibilitychange: hidden)",
      (participant: Participant) =>
        participant.page.evaluate(() => {
          Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
          document.dispatchEvent(new Event("visibilitychange"));
        }),
    ],
  ] as const) {
    it(`sends the queued events with sendBeacon when the participant ${how}`, async () => {
      const participant = await newParticipant(browser);
      const { page } = participant;
      await recordBeacons(participant);
      // A paused clock: the tracker's 2 s flush timer never fires, so only hiding the page can send.
      await page.clock.install();
      await page.clock.pauseAt(Date.now() + 1000);
      // Not "load": under a paused clock Chromium sometimes holds the load event back
      // (about 1 run in 4 timed out); hydration is what the test needs, and it waits for that.
      await page.goto("/", { waitUntil: "domcontentloaded" });
      await waitForHydration(page);
      const turn = await ask(page, "Is coffee healthy?");
      const id = await answerId(turn);
      await turn.locator('[data-study-target="answer-feedback"]').click();

      const uid = await participant.userId();
      expect(eventsOf(await exportRecords(uid))).toEqual([]); // all still queued

      await hide(participant);
      const events = await waitForExport(
        uid,
        (records) => (eventsOf(records, "CONVERSION").length > 0 ? eventsOf(records) : undefined),
        "the queued events, sent on page hide",
      );
      expect(events.map((e) => e.eventType)).toEqual(expect.arrayContaining(["BROWSE", "CONVERSION"]));
      expect(events.find((e) => e.eventType === "CONVERSION")?.queryId).toBe(id);
      expect(new Set(events.map((e) => extra(e).sentAt)).size).toBe(1); // one batch
      expect(await beaconsSent(participant)).toEqual([{ path: "/t", queued: true }]);
    });
  }

  it("retries an unconfirmed batch while the page stays open, once the endpoint answers again", async () => {
    const participant = await newParticipant(browser);
    const { page } = participant;
    participant.allowConsoleError(/status of 503/);

    // The tracker endpoint is down (503): batches stay pending and are retried with backoff.
    let refused = 0;
    const down = (route: import("playwright-core").Route) => {
      refused++;
      return route.fulfill({
        status: 503,
        contentType: "application/json",
        body: '{"error":{"code":"STORE_UNAVAILABLE"}}',
      });
    };
    await page.route("**/t", down);
    await page.goto("/");
    await waitForHydration(page);
    const id = await answerId(await ask(page, "Is coffee healthy?"));
    await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThanOrEqual(2); // sent, then retried
    const uid = await participant.userId();
    expect(eventsOf(await exportRecords(uid))).toEqual([]);

    // The endpoint is back; no reload, no new event: the retry delivers what was pending.
    await page.unroute("**/t", down);
    const stored = await waitForExport(
      uid,
      (records) =>
        eventsOf(records).some((e) => e.eventType === "BROWSE" && e.queryId === id) ? records : undefined,
      "the pending events, retried without a reload",
      30_000,
    );
    const ids = eventsOf(stored).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    await expect
      .poll(() => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "[]") as Batch[], PENDING), {
        timeout: 15_000,
      })
      .toEqual([]);
  });

  it("resends a batch that was not confirmed after a reload, and it is stored once", async () => {
    const participant = await newParticipant(browser);
    const { page, context } = participant;
    participant.allowConsoleError(/Failed to load resource: net::ERR_FAILED/);

    // The tracker endpoint is unreachable: batches stay in localStorage.
    const lost: string[] = [];
    const unreachable = (route: import("playwright-core").Route) => {
      lost.push(route.request().postData() ?? "");
      return route.abort("failed");
    };
    await page.route("**/t", unreachable);
    await page.goto("/");
    await waitForHydration(page);
    const id = await answerId(await ask(page, "Is coffee healthy?"));
    const pendingNow = () =>
      page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "[]") as Batch[], PENDING);
    await expect
      .poll(
        async () =>
          (await pendingNow()).flatMap((b) => b.events).filter((e) => e.eventType === "BROWSE").length,
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThanOrEqual(2);
    const pending = await pendingNow();
    const pendingIds = pending.flatMap((b) => b.events.map((e) => e.eventId));
    expect(lost.length).toBeGreaterThanOrEqual(1);
    const uid = await participant.userId();
    expect(eventsOf(await exportRecords(uid))).toEqual([]);

    // Back online: the next page load sends the pending batches again, and they are confirmed.
    await page.unroute("**/t", unreachable);
    await page.reload();
    await waitForHydration(page);
    const stored = await waitForExport(
      uid,
      (records) => {
        const ids = new Set(eventsOf(records).map((e) => e.eventId));
        return pendingIds.every((e) => ids.has(e)) ? records : undefined;
      },
      "the pending events, after the reload",
    );
    await expect
      .poll(async () => {
        const left = new Set((await pendingNow()).map((b) => b.id));
        return pending.filter((b) => left.has(b.id)).length;
      })
      .toBe(0);
    expect(eventsOf(stored).find((e) => e.eventType === "BROWSE" && e.queryId === id)).toBeDefined();

    // The same batch sent once more (as a retry after a lost response would): nothing new is stored.
    const again = await context.request.post("/t", {
      data: lost[0] ?? "",
      headers: { "content-type": "text/plain" },
    });
    expect(again.status()).toBe(200);
    const firstBatch = pending[0];
    expect(await again.json()).toEqual({ accepted: 0, duplicates: firstBatch?.events.length });

    const records = await exportRecords(uid);
    const counts = new Map<string, number>();
    for (const e of eventsOf(records)) counts.set(e.eventId, (counts.get(e.eventId) ?? 0) + 1);
    for (const eventId of pendingIds) expect(counts.get(eventId), eventId).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
