/**
 * Page views as the export shows them: one per document load or new
 * pathname (a new answer's `?c=...#a-<id>` adds none), each with the
 * page's type; and every event the tracker sends numbered within its page
 * view, so a participant's events can be put in the order they happened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ask,
  byPanel,
  DEMO_STUDY_ID,
  type EventRecord,
  enterStudy,
  eventsOf,
  launchBrowser,
  newParticipant,
  newVisitor,
  studyPage,
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

const STUDY = { studyIds: [DEMO_STUDY_ID] };
type Extra = { kind?: string; pageType?: string; pageViewId?: string; seq?: number; via?: string };
const extra = (event: EventRecord) => (event.extraData ?? {}) as Extra;
const pathOf = (url: string | null) => new URL(url ?? "about:blank").pathname;
const pageViews = (events: EventRecord[]) => events.filter((e) => extra(e).kind === "page");

describe("page views", () => {
  it("one per document load or new pathname, with the page's type; every event numbered in its page view", async () => {
    const { page } = await newParticipant(browser);
    const visitor = newVisitor();
    // Consent (not tracked), the task, the chat: client-side navigations to new pathnames.
    await enterStudy(page, visitor);
    await waitForHydration(page);
    // Two answers: the URL gets ?c=... then a new #a-<id> each time, on the same pathname.
    await ask(page, "Is coffee healthy?");
    await ask(page, "And how much caffeine is too much?");
    expect(new URL(page.url()).hash).toMatch(/^#a-/);
    // A new conversation: only the search changes.
    await page.getByRole("link", { name: "New conversation" }).click();
    await page.waitForURL((url) => url.search === "" && url.pathname === studyPage("chat"));
    // A reload is a document load: a page view of its own.
    await page.reload();
    await waitForHydration(page);
    await page.getByRole("link", { name: "Finish" }).click();
    await page.locator('.study[data-step="finish"]').waitFor();

    const events = await waitForExport(
      byPanel(visitor),
      (records) => {
        const events = eventsOf(records).filter((e) => e.eventType !== "STUDY_STEP");
        return pageViews(events).some((v) => extra(v).pageType === "finish") ? events : undefined;
      },
      "the page view of the finish page",
      20_000,
      STUDY,
    );
    const views = pageViews(events).sort((a, b) => (a.clientTime ?? "").localeCompare(b.clientTime ?? ""));
    expect(views.map((v) => [extra(v).pageType, pathOf(v.pageUrl)])).toEqual([
      ["task", studyPage("task")],
      ["chat", studyPage("chat")],
      ["chat", studyPage("chat")], // the reload
      ["finish", studyPage("finish")],
    ]);
    // A page view's id is its own eventId, and it is the first event of its page view.
    for (const view of views) expect(extra(view)).toMatchObject({ pageViewId: view.eventId, seq: 0 });

    // Every event belongs to one of these page views and has its number there: 0, 1, 2, ...
    // in the order the device's clock saw them.
    const ids = new Set(views.map((v) => v.eventId));
    expect(events.length).toBeGreaterThan(views.length); // answers seen, scroll depth
    for (const event of events) expect(ids.has(extra(event).pageViewId ?? ""), event.eventId).toBe(true);
    for (const view of views) {
      const own = events
        .filter((e) => extra(e).pageViewId === view.eventId)
        .sort((a, b) => (extra(a).seq ?? -1) - (extra(b).seq ?? -1));
      expect(own.map((e) => extra(e).seq)).toEqual(own.map((_, i) => i));
      const times = own.map((e) => Date.parse(e.clientTime ?? ""));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it("the open chat is `open-chat`", async () => {
    const { page, userId } = await newParticipant(browser);
    await page.goto("/");
    await waitForHydration(page);
    await ask(page, "Is coffee healthy?");
    const uid = await userId();
    const answered = await waitForExport(
      uid,
      (records) => {
        const events = eventsOf(records);
        return events.some((e) => extra(e).kind === "answer") ? events : undefined;
      },
      "the answer seen",
    );
    expect(pageViews(answered).map((v) => [extra(v).pageType, pathOf(v.pageUrl)])).toEqual([
      ["open-chat", "/"],
    ]);
  });

  it("the endpoints refuse a page type, element or number out of the lists: 400, nothing stored", async () => {
    const { page, context, userId } = await newParticipant(browser);
    await page.goto("/");
    await waitForHydration(page);
    const event = (extraData: Record<string, unknown>) => ({
      events: [{ eventId: crypto.randomUUID(), eventType: "BROWSE", pageUrl: page.url(), extraData }],
    });
    for (const [extraData, path] of [
      [{ kind: "page", pageType: "survey" }, "events.0.extraData.pageType"],
      [{ via: "tracker", element: "button" }, "events.0.extraData.element"],
      [{ kind: "page", seq: -1 }, "events.0.extraData.seq"],
    ] as const) {
      const response = await context.request.post("/t", {
        data: JSON.stringify(event(extraData)),
        headers: { "content-type": "text/plain" },
      });
      expect(response.status()).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("BAD_USER_INPUT");
      expect(body.error.message.startsWith(`${path}:`), body.error.message).toBe(true);
    }
    const pixel = await context.request.get(`/t/noscript?e=${crypto.randomUUID()}&p=survey`);
    expect(pixel.status()).toBe(400);
    // Only the page's own page view, from the tracker.
    const uid = await userId();
    const views = await waitForExport(
      uid,
      (records) => {
        const views = pageViews(eventsOf(records));
        return views.length > 0 ? views : undefined;
      },
      "the page view",
    );
    expect(views.map((v) => extra(v).pageType)).toEqual(["open-chat"]);
  });
});
