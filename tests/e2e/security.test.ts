/**
 * The attacks of a stranger who knows a participant's panel id, run in
 * Chromium against the built Worker under `wrangler dev`, and what a
 * participant sees of the limits: each attack is refused, nothing is read,
 * written or deleted, and a participant's path keeps working.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import {
  applyMigrations,
  type DevServer,
  freePort,
  startDevServer,
  writeConfigWithLimits,
} from "../../scripts/dev-server";
import {
  ask,
  BASE_URL,
  byPanel,
  DEMO_STUDY_ID,
  enterStudy,
  eventsOf,
  exportRecords,
  launchBrowser,
  newParticipant,
  newVisitor,
  queriesOf,
  RESEARCHER_TOKEN,
  SCREENSHOTS,
  sessionOf,
  studyLink,
  studyPage,
  type TestBrowser,
  waitForExport,
  waitForHydration,
} from "./support";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const sessionCookie = async (context: { cookies(url: string): Promise<{ name: string; value: string }[]> }) =>
  (await context.cookies(BASE_URL)).find((c) => c.name.endsWith("lsp_session"))?.value ?? null;

describe("identity", () => {
  it("a link with someone else's PROLIFIC_PID does not change an existing session (no session fixation)", async () => {
    const visitor = newVisitor();
    const { page, context } = await newParticipant(browser);
    await enterStudy(page, visitor);
    const before = await sessionCookie(context);
    if (!before) throw new Error("no session cookie");
    // A link chosen by someone else, with a panel id they know.
    await page.goto(`/s/${DEMO_STUDY_ID}?PROLIFIC_PID=attacker-chosen&STUDY_ID=x&SESSION_ID=y`);
    await page.locator('[data-step="chat"]').waitFor();
    const after = await sessionCookie(context);
    expect(after).toBe(before);
    await waitForHydration(page);
    await ask(page, "typed after the attacker's link");
    // What the participant typed is stored under their own session and panel id, not the attacker's.
    const records = await exportRecords(byPanel(visitor));
    expect(queriesOf(records).map((q) => q.query)).toEqual(["typed after the attacker's link"]);
    expect(await exportRecords({ panelParticipantId: "attacker-chosen" })).toEqual([]);
  });

  it("the site's pages never carry the participant's condition", async () => {
    const visitor = newVisitor();
    const { page } = await newParticipant(browser);
    await enterStudy(page, visitor);
    const html = await page.content();
    for (const condition of ["sources-shown", "sources-hidden", "controlled-stimulus"]) {
      expect(html).not.toContain(condition);
    }
  });

  it("a tracker batch queued under one session and resent after the session changed is stored under the first", async () => {
    const { page, context, userId, allowConsoleError } = await newParticipant(browser);
    allowConsoleError(/status of 503/, (url) => new URL(url).pathname === "/t");
    await page.goto("/");
    await waitForHydration(page);
    const first = await userId();
    // The endpoint is down: the page view stays queued in localStorage.
    let refused = 0;
    await page.route("**/t", (route) => {
      refused++;
      return route.fulfill({ status: 503, body: "" });
    });
    // The tracker's timer sends the batch (fetch), which fails: it stays pending.
    await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForFunction(() => (localStorage.getItem("lsp:pending") ?? "[]") !== "[]");
    expect(eventsOf(await exportRecords(first))).toEqual([]);
    // Another session takes over the browser (its cookie replaced), then the page reloads with /t back up.
    await context.clearCookies();
    await page.unroute("**/t");
    await page.reload();
    await waitForHydration(page);
    const second = await userId();
    expect(second).not.toBe(first);
    const views = await waitForExport(
      first,
      (all) => (eventsOf(all, "BROWSE").length > 0 ? eventsOf(all, "BROWSE") : undefined),
      "the first session's queued page view, stored under it",
    );
    expect(views.every((v) => v.userId === first)).toBe(true);
  });
});

describe("cross-site requests", () => {
  it("a form on another site that posts to the withdrawal (or the chat) is refused; nothing is deleted or asked", async () => {
    const visitor = newVisitor();
    // JavaScript on: the other site's page submits its forms by script.
    const { page, allowConsoleError } = await newParticipant(browser);
    allowConsoleError(/status of 403/);
    await enterStudy(page, visitor);
    await waitForHydration(page);
    await ask(page, "still here afterwards");
    // A page elsewhere, in the same browser, submits forms to the study's withdrawal and chat.
    for (const [action, field] of [
      [`${BASE_URL}${studyPage("withdraw")}`, '<input name="confirm" value="yes">'],
      [`${BASE_URL}${studyPage("chat")}`, '<input name="query" value="sent by another site">'],
    ] as const) {
      await page.route("https://evil.example/**", (route) =>
        route.fulfill({
          contentType: "text/html",
          body: `<!doctype html><form method="post" action="${action}">${field}</form><script>document.forms[0].submit()</script>`,
        }),
      );
      const refused = page.waitForResponse((r) => r.url() === action && r.request().method() === "POST");
      await page.goto("https://evil.example/attack");
      const response = await refused;
      expect(response.status(), action).toBe(403);
      await page.unroute("https://evil.example/**");
    }
    const records = await exportRecords(byPanel(visitor));
    expect(queriesOf(records).map((q) => q.query)).toEqual(["still here afterwards"]);
  });
});

describe("completion and withdrawal on the site", () => {
  it("finishing before the first message says what is missing and gives no code; afterwards no more answers", async () => {
    const visitor = newVisitor();
    const { page, allowConsoleError } = await newParticipant(browser, { javaScriptEnabled: false });
    allowConsoleError(/status of 409/);
    await enterStudy(page, visitor);
    await page.goto(studyPage("finish"));
    await page.getByRole("button", { name: "Finish and get my code" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/at least 1 message/);
    await page.screenshot({ path: join(SCREENSHOTS, "security-finish-too-early.png"), fullPage: true });
    expect(await page.content()).not.toContain("DEMO2026");

    await page.goto(studyPage("chat"));
    await ask(page, "Is coffee healthy?");
    await page.goto(studyPage("finish"));
    await page.getByRole("button", { name: "Finish and get my code" }).click();
    await page.locator("[data-completion-code]").waitFor();
    // Back to the chat: the study is over for this participant.
    await page.goto(studyPage("chat"));
    expect(new URL(page.url()).pathname).toBe(studyPage("finish"));
    expect(await page.locator("[data-completion-code]").textContent()).toBe("DEMO2026");
    const steps = eventsOf(await exportRecords(byPanel(visitor)), "STUDY_STEP").map(
      (e) => (e.extraData as { step: string }).step,
    );
    expect(steps.filter((s) => s === "completed")).toHaveLength(1);
  });

  it("withdrawal leaves an audit entry without content; the same PROLIFIC_PID on a new device is refused with a clear page", async () => {
    const visitor = newVisitor();
    const { page } = await newParticipant(browser, { javaScriptEnabled: false });
    await enterStudy(page, visitor);
    await ask(page, "something personal 51c");
    await page.goto(studyPage("withdraw"));
    await page.getByRole("button", { name: "Yes, delete my records" }).click();
    await page.getByRole("heading", { name: "You have withdrawn" }).waitFor();
    expect(await exportRecords(byPanel(visitor))).toEqual([]);

    const response = await fetch(`${BASE_URL}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${RESEARCHER_TOKEN}` },
      body: JSON.stringify({
        query: "query($s: ID) { withdrawals(studyId: $s) { condition deletedQueries deletedEvents by } }",
        variables: { s: DEMO_STUDY_ID },
      }),
    });
    const audit = JSON.stringify(await response.json());
    expect(audit).toContain('"deletedQueries":1');
    expect(audit).not.toContain("51c");
    expect(audit).not.toContain(visitor.pid);

    const again = await newParticipant(browser, { javaScriptEnabled: false });
    // Told at once, before any consent form, and nothing of the new session is stored (no consent_shown).
    await again.page.goto(studyLink(visitor));
    await again.page.getByRole("alert").waitFor();
    expect(await again.page.getByRole("alert").textContent()).toMatch(/withdrew from this study/);
    expect(await exportRecords(byPanel(visitor))).toEqual([]);
    await again.page.screenshot({
      path: join(SCREENSHOTS, "security-withdrawn-returning.png"),
      fullPage: true,
    });
    expect(await again.page.getByRole("button", { name: "I agree to take part" }).count()).toBe(0);
  });
});

describe("rate limits on the site (a Worker with small limits)", () => {
  let worker: DevServer;
  let dir: string;
  // A Worker per try (not per file): the limits count per address, so a journey run again
  // (vitest's retry) needs counters of its own, as the first try had.
  beforeEach(async () => {
    // The shipped wrangler.toml with every limit set to 2 per minute, paths made absolute.
    dir = mkdtempSync(join(tmpdir(), "lsp-e2e-limits-"));
    const file = writeConfigWithLimits(dir, 2);
    applyMigrations(dir, file);
    worker = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config: file,
      vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN, SESSION_SECRETS: inject("sessionSecret") },
    });
  });
  afterEach(async () => {
    await worker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the message over the limit gets 429 with Retry-After; the page says so and keeps the draft (JS off)", async () => {
    const { page, allowConsoleError } = await newParticipant(browser, {
      baseURL: worker.url,
      javaScriptEnabled: false,
    });
    allowConsoleError(/status of 429/);
    await page.goto(`${worker.url}/`);
    await ask(page, "first");
    await ask(page, "second");
    await page.getByLabel("Your message").fill("third, over the limit");
    const posted = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Send" }).click();
    const response = await posted;
    expect(response.status()).toBe(429);
    expect(response.headers()["retry-after"]).toBe("60");
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/wait 60 seconds/);
    expect(await page.getByLabel("Your message").inputValue()).toBe("third, over the limit");
    await page.screenshot({ path: join(SCREENSHOTS, "security-rate-limited.png"), fullPage: true });
    const cookie = (await page.context().cookies(worker.url)).find((c) => c.name.endsWith("lsp_session"));
    const { userId } = sessionOf(cookie?.value ?? "");
    const stored = queriesOf(
      await exportRecords(userId, { from: { url: worker.url, researcherToken: RESEARCHER_TOKEN } }),
    );
    expect(stored.map((q) => q.query)).toEqual(["first", "second"]);
  });

  it("wrong researcher tokens at /research are refused with 429 after the limit; the right one still signs in (JS off)", async () => {
    const { page, allowConsoleError } = await newParticipant(browser, {
      baseURL: worker.url,
      javaScriptEnabled: false,
    });
    allowConsoleError(/status of (401|429)/);
    await page.goto(`${worker.url}/research`);
    const signIn = async (token: string) => {
      await page.getByLabel("Researcher token").fill(token);
      const posted = page.waitForResponse((r) => r.request().method() === "POST");
      await page.getByRole("button", { name: "Sign in" }).click();
      const response = await posted;
      await page.waitForLoadState();
      return response;
    };
    for (const attempt of [1, 2]) {
      const response = await signIn(`wrong-token-${attempt}`);
      expect(response.status(), `attempt ${attempt}`).toBe(401);
      expect(await page.getByRole("alert").textContent()).toContain("not a researcher token");
    }
    const refused = await signIn("wrong-token-3");
    expect(refused.status()).toBe(429);
    expect(refused.headers()["retry-after"]).toBe("60");
    expect(await page.getByRole("alert").textContent()).toMatch(
      /Too many failed researcher-token attempts from this address\. Please wait 60 seconds/,
    );
    const cookies = async () => (await page.context().cookies(worker.url)).map((c) => c.name);
    expect((await cookies()).some((name) => name.endsWith("lsp_research"))).toBe(false);
    await page.screenshot({
      path: join(SCREENSHOTS, "security-research-sign-in-limited.png"),
      fullPage: true,
    });
    // Only failures count, and a right token is never refused (api/limits/rate-limits.ts).
    await signIn(RESEARCHER_TOKEN);
    await page.getByRole("heading", { name: "Studies", level: 1 }).waitFor();
    expect((await cookies()).some((name) => name.endsWith("lsp_research"))).toBe(true);
  });
});
