/**
 * Clicks on an answer's sources go through the click route /out, which logs
 * the click and redirects only to a URL that the stored answer contains.
 * With JS on, the tracker logs the same click under the same eventId: one
 * CLICK is stored either way.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerId,
  ask,
  BASE_URL,
  COFFEE,
  eventsOf,
  exportRecords,
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

const isOut = (url: string) => new URL(url).pathname === "/out";
const source = (i: number) => {
  const found = COFFEE.sources[i];
  if (!found) throw new Error(`the coffee answer has no source ${i + 1}`);
  return found;
};

describe("source clicks", () => {
  it("JS on: opens the source in a new tab through /out, marks the link opened, stores ONE click", async () => {
    const { page, context, userId } = await newParticipant(browser);
    await page.goto("/");
    await waitForHydration(page);
    const turn = await ask(page, "Is coffee healthy?");
    const id = await answerId(turn);
    const fda = source(1);
    const link = turn.locator("section.sources a").nth(1);
    expect(await link.getAttribute("data-opened")).toBeNull();

    const outRequest = context.waitForEvent("request", (r) => isOut(r.url()));
    const trackerBatch = page.waitForResponse(
      (r) => new URL(r.url()).pathname === "/t" && (r.request().postData() ?? "").includes('"CLICK"'),
    );
    const [tab] = await Promise.all([context.waitForEvent("page"), link.click()]);

    // The new tab went through the click route, with the tracker's eventId, and landed on the source.
    const out = await outRequest;
    const outUrl = new URL(out.url());
    expect(outUrl.searchParams.get("q")).toBe(id);
    expect(outUrl.searchParams.get("u")).toBe(fda.url);
    const eventId = outUrl.searchParams.get("e");
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    await tab.waitForURL(fda.url);
    expect(await tab.locator("[data-url]").textContent()).toBe(fda.url);
    const redirect = await out.response();
    expect(redirect?.status()).toBe(302);
    expect(redirect?.headers().location).toBe(fda.url);
    expect(browser.externalHits).toContain(fda.url);

    // The tracker sent the same click, under the same eventId, and the server took it.
    const batch = await trackerBatch;
    expect(batch.ok()).toBe(true);
    const sent = JSON.parse(batch.request().postData() ?? "{}") as {
      events: { eventId: string; eventType: string; targetUrl?: string; queryId?: string }[];
    };
    expect(sent.events.filter((e) => e.eventType === "CLICK")).toEqual([
      expect.objectContaining({ eventId, targetUrl: fda.url, queryId: id }),
    ]);

    // Marked as opened: the source and every other link of this answer to the same URL.
    expect(await link.getAttribute("data-opened")).toBe("");
    expect(await link.evaluate((a) => getComputedStyle(a, "::after").content)).toBe('"opened"');
    const sameUrl = turn.locator(`a[data-out="${fda.url}"]`);
    expect(await sameUrl.count()).toBe(4); // the source, two [2] citations, the inline link
    for (const other of await sameUrl.all()) expect(await other.getAttribute("data-opened")).toBe("");
    expect(await turn.locator(`a[data-out="${source(0).url}"][data-opened]`).count()).toBe(0);

    // Both the route and the tracker reported this click: it is stored once.
    const uid = await userId();
    const clicks = eventsOf(await exportRecords(uid), "CLICK");
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatchObject({ eventId, userId: uid, queryId: id, targetUrl: fda.url });
    // Whichever copy was stored, it says the same: the element, both ranks, the page view and number.
    expect(clicks[0]?.extraData).toMatchObject({
      element: "source-list",
      rank: 2,
      originalRank: 2,
      pageViewId: outUrl.searchParams.get("pv"),
      seq: Number(outUrl.searchParams.get("sq")),
    });

    // The mark survives a reload (the tracker keeps opened links in localStorage).
    await tab.close();
    await page.reload();
    await waitForHydration(page);
    await page.locator(`section.sources a[data-out="${fda.url}"][data-opened]`).waitFor();
  });

  it("JS off: opens the source through /out and stores one click", async () => {
    const { page, context, userId } = await newParticipant(browser, { javaScriptEnabled: false });
    await page.goto("/");
    const turn = await ask(page, "Is coffee healthy?");
    const id = await answerId(turn);
    const bmj = source(0);

    const outRequest = context.waitForEvent("request", (r) => isOut(r.url()));
    const [tab] = await Promise.all([
      context.waitForEvent("page"),
      turn.locator("section.sources a").first().click(),
    ]);
    const outUrl = new URL((await outRequest).url());
    expect(outUrl.searchParams.get("u")).toBe(bmj.url);
    expect(outUrl.searchParams.has("e")).toBe(false); // no tracker: the route makes the eventId
    await tab.waitForURL(bmj.url);
    expect(await tab.locator("[data-url]").textContent()).toBe(bmj.url);

    const uid = await userId();
    const clicks = eventsOf(await exportRecords(uid), "CLICK");
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatchObject({ userId: uid, queryId: id, targetUrl: bmj.url });
    expect(clicks[0]?.extraData).toEqual({
      via: "redirect",
      element: "source-list",
      rank: 1,
      originalRank: 1,
    });
    // The chat page is the click's page: /out gets it as the Referer (same-origin referrer policy)…
    expect(new URL(clicks[0]?.pageUrl ?? "about:blank").pathname).toBe("/");
    // …and the source's site gets no referrer at all.
    expect(await tab.evaluate(() => document.referrer)).toBe("");
  });

  it("JS off: a citation marker and a link in the text are each stored once, with their element and ranks", async () => {
    const { page, context, userId } = await newParticipant(browser, { javaScriptEnabled: false });
    await page.goto("/");
    const turn = await ask(page, "Is coffee healthy?");
    const id = await answerId(turn);
    const open = async (link: ReturnType<typeof turn.locator>) => {
      const [tab] = await Promise.all([context.waitForEvent("page"), link.click()]);
      await tab.waitForLoadState();
      await tab.close();
    };
    await open(turn.locator('.answer a[data-element="marker"]').first());
    await open(turn.locator('.answer a[data-element="answer-link"]').first());

    const uid = await userId();
    const clicks = await waitForExport(
      uid,
      (records) => {
        const found = eventsOf(records, "CLICK");
        return found.length >= 2 ? found : undefined;
      },
      "two clicks",
    );
    expect(clicks.map((c) => [c.targetUrl, c.extraData])).toEqual([
      [source(0).url, { via: "redirect", element: "marker", rank: 1, originalRank: 1 }],
      [source(1).url, { via: "redirect", element: "answer-link", rank: 2, originalRank: 2 }],
    ]);
    expect(clicks.every((c) => c.queryId === id)).toBe(true);
  });

  it("/out refuses a URL that is not in the answer: 400, no redirect, no click stored", async () => {
    const { page, context, userId, allowConsoleError } = await newParticipant(browser, {
      javaScriptEnabled: false,
    });
    await page.goto("/");
    const id = await answerId(await ask(page, "Is coffee healthy?"));
    const answered = source(0).url;
    // The link the page rendered for the source: with the signature the API gave it.
    const rendered = await page.locator(`.sources a[data-out="${answered}"]`).getAttribute("href");
    const signature = new URL(rendered ?? "", BASE_URL).searchParams.get("s") ?? "";
    expect(signature).not.toBe("");
    const out = (q: string, u?: string, s = signature) =>
      `/out?q=${encodeURIComponent(q)}${u === undefined ? "" : `&u=${encodeURIComponent(u)}`}&s=${encodeURIComponent(s)}`;

    // In the browser: the page stays on /out and says why.
    allowConsoleError(/status of 400/);
    const response = await page.goto(out(id, "https://evil.example/phish"));
    expect(response?.status()).toBe(400);
    expect(response?.request().redirectedFrom()).toBeNull();
    expect(new URL(page.url()).pathname).toBe("/out");
    expect(await page.locator("body").textContent()).toContain("not part of an answer");
    expect(browser.externalHits.filter((u) => u.includes("evil.example"))).toEqual([]);

    // Other ways to misuse it, without following redirects.
    for (const [why, path] of [
      ["another host", out(id, "https://evil.example/phish")],
      ["a look-alike host", out(id, answered.replace("www.bmj.com", "www.bmj.com.evil.example"))],
      ["a longer path", out(id, `${answered}/../../evil`)],
      ["a javascript: URL", out(id, "javascript:alert(1)")],
      ["an answer that does not exist", out(randomUUID(), answered)],
      ["no URL", out(id)],
      ["another URL with the source's signature", out(id, source(1).url)],
      ["a made-up signature", out(id, answered, "AAAA")],
    ] as const) {
      const refused = await context.request.get(path, { maxRedirects: 0 });
      expect(refused.status(), why).toBe(400);
      expect(refused.headers().location, why).toBeUndefined();
    }

    // Another participant (a stranger sent the link) is refused: it is not their answer.
    const stranger = await newParticipant(browser, { javaScriptEnabled: false });
    stranger.allowConsoleError(/status of 400/);
    await stranger.page.goto("/");
    const theirs = await stranger.context.request.get(out(id, answered), { maxRedirects: 0 });
    expect(theirs.status()).toBe(400);
    expect(theirs.headers().location).toBeUndefined();

    // A browser's prefetch of the link stores nothing and follows nothing.
    const prefetch = await context.request.get(out(id, answered), {
      maxRedirects: 0,
      headers: { "sec-purpose": "prefetch" },
    });
    expect(prefetch.status()).toBe(204);

    // The answer's own URL is still let through (the refusals are not a broken route).
    const allowed = await context.request.get(out(id, answered), { maxRedirects: 0 });
    expect(allowed.status()).toBe(302);
    expect(allowed.headers().location).toBe(answered);

    const clicks = eventsOf(await exportRecords(await userId()), "CLICK");
    expect(clicks.map((c) => c.targetUrl)).toEqual([answered]);
  });
});
