/**
 * Outcomes and time gates in Chromium (issue 12), on a Worker of the
 * test's own with three studies: one that only finishes (its completed
 * code, the copy button, a returning participant), one with a 5 s time
 * limit (completion.maxSeconds: the chat ends with the timed-out code, with
 * JavaScript off and on), and one with a 10 s minimum (completion.minSeconds:
 * the time left on the finish page, counting down under Playwright's clock,
 * and the server refusing to finish until the real time has passed). The
 * server's gates run on real, short durations; the browser's countdown runs
 * on page.clock. D1 only: the outcomes in the stores are the store
 * contract's.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newParticipant, RESEARCHER_TOKEN, STORE, type TestBrowser } from "./support";
import { axeViolations } from "./support/page-checks";
import { type OwnWorker, startOwnWorker } from "./support/worker";

const MAX_SECONDS = 5;
const MIN_SECONDS = 10;

function study(id: string, completion: Record<string, unknown>, outcomes?: Record<string, unknown>) {
  return {
    id,
    version: 1,
    title: `Outcomes: ${id}`,
    consent: "Do you agree to take part?",
    task: "Ask anything.",
    conditions: [
      {
        id: "only",
        llm: { provider: "scripted" },
        script: { tokenDelayMs: 0, rules: [], fallback: { answer: "An answer to {{query}}." } },
      },
    ],
    completion,
    ...(outcomes ? { outcomes } : {}),
  };
}

const PLAIN = study("finish-plain", { code: "PLAIN-2026" });
const TIMED = study(
  "time-limit",
  { code: "IN-TIME-1", maxSeconds: MAX_SECONDS },
  {
    "timed-out": {
      code: "TIMEUP-3",
      message: "Your **time** is up.",
      redirectUrl: "https://app.prolific.com/submissions/complete?cc=TIMEUP-3",
      redirectDelaySeconds: 600,
    },
  },
);
const WAIT = study("wait-first", { code: "WAITED-10", minSeconds: MIN_SECONDS });

let browser: TestBrowser;
let worker: OwnWorker;

/** Consent, task, chat: the participant is in the study's chat. */
async function enter(page: Page, studyId: string): Promise<void> {
  await page.goto(`/s/${studyId}`);
  await page.getByRole("button", { name: "I agree to take part" }).click();
  await page.locator('.study[data-step="task"]').waitFor();
  await page.getByRole("link", { name: "Start" }).click();
  await page.locator('[data-step="chat"] form.composer').waitFor();
}

/** The participant's stored outcome, as a researcher reads it. */
async function storedOutcome(studyId: string, userId: string): Promise<string | null> {
  const response = await fetch(`${worker.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${RESEARCHER_TOKEN}` },
    body: JSON.stringify({
      query: "query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { outcome } }",
      variables: { s: studyId, u: userId },
    }),
  });
  const body = (await response.json()) as { data: { assignment: { outcome: string | null } } };
  return body.data.assignment.outcome;
}

const code = (page: Page) => page.locator("[data-completion-code]");

describe.skipIf(STORE !== "d1")("outcomes and time gates", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    worker = await startOwnWorker({
      studies: [PLAIN, TIMED, WAIT],
      vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN },
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await browser?.close();
  });

  it("JS on: finishing shows the completed code; the copy button puts it on the clipboard; axe finds nothing", async () => {
    const { page, context, userId } = await newParticipant(browser, { baseURL: worker.url });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: worker.url });
    await enter(page, PLAIN.id);
    await page.getByRole("link", { name: "Finish", exact: true }).click();
    await page.getByRole("button", { name: "Finish and get my code" }).click();
    await page.locator('[data-outcome="completed"]').waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Study complete");
    expect(await code(page).textContent()).toBe("PLAIN-2026");
    expect(await page.locator("[data-returning]").count()).toBe(0);
    await page.getByRole("button", { name: "Copy code" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("PLAIN-2026");
    expect(await axeViolations(page, true)).toEqual([]);
    expect(await storedOutcome(PLAIN.id, await userId())).toBe("completed");
  });

  it("a returning finished participant sees the already-completed page with their code on every study page, and cannot chat or finish again", async () => {
    const { page, userId } = await newParticipant(browser, { baseURL: worker.url });
    await enter(page, PLAIN.id);
    await page.goto(`/s/${PLAIN.id}/finish`);
    await page.getByRole("button", { name: "Finish and get my code" }).click();
    await page.locator('[data-outcome="completed"]').waitFor();
    for (const step of ["", "/task", "/chat", "/finish"]) {
      await page.goto(`/s/${PLAIN.id}${step}`);
      expect(new URL(page.url()).pathname).toBe(`/s/${PLAIN.id}/finish`);
      await page.locator("[data-returning]").waitFor();
      expect(await page.locator(".already-ended").textContent()).toBe(
        "You have already completed this study, so you cannot take part again.",
      );
      expect(await code(page).textContent()).toBe("PLAIN-2026");
      expect(await page.locator("form.composer").count()).toBe(0);
    }
    // A message posted to the chat anyway is not answered: the post is sent to the end page.
    const posted = await page.request.post(`/s/${PLAIN.id}/chat`, {
      form: { query: "one more question" },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(302);
    expect(posted.headers().location).toBe(`/s/${PLAIN.id}/finish`);
    // Finishing again (an old page's form) shows the same code, and the outcome stays.
    const again = await page.request.post(`/s/${PLAIN.id}/finish`, {
      form: { finish: "1" },
      maxRedirects: 0,
    });
    expect(await again.text()).toContain("PLAIN-2026");
    expect(await storedOutcome(PLAIN.id, await userId())).toBe("completed");
  });

  it("JS off: the returning participant's code is plain selectable text, with no copy button; axe finds nothing", async () => {
    const { page } = await newParticipant(browser, { baseURL: worker.url, javaScriptEnabled: false });
    await enter(page, PLAIN.id);
    await page.goto(`/s/${PLAIN.id}/finish`);
    await page.getByRole("button", { name: "Finish and get my code" }).click();
    await page.locator('[data-outcome="completed"]').waitFor();
    await page.goto(`/s/${PLAIN.id}`);
    await page.locator("[data-returning]").waitFor();
    expect(await code(page).textContent()).toBe("PLAIN-2026");
    expect(await code(page).evaluate((e) => getComputedStyle(e).userSelect)).toBe("all");
    expect(await page.getByRole("button", { name: "Copy code" }).count()).toBe(0);
    expect(await axeViolations(page, false)).toEqual([]);
  });

  it("maxSeconds, JS off: once the time is up, the next message ends the chat on the timed-out code and its redirect", async () => {
    const { page, userId } = await newParticipant(browser, { baseURL: worker.url, javaScriptEnabled: false });
    await enter(page, TIMED.id);
    // The server's clock decides: wait past the limit (a real 5 s), then send a message.
    await page.waitForTimeout(MAX_SECONDS * 1000 + 500);
    await page.getByLabel("Your message").fill("Am I still in time?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator('[data-outcome="timed-out"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/s/${TIMED.id}/finish`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Time is up");
    expect(await code(page).textContent()).toBe("TIMEUP-3");
    expect(await page.locator(".study-text").textContent()).toContain("Your time is up.");
    expect(await page.locator("[data-completion-link]").getAttribute("href")).toBe(
      "https://app.prolific.com/submissions/complete?cc=TIMEUP-3",
    );
    expect(await storedOutcome(TIMED.id, await userId())).toBe("timed-out");
    // The chat stays closed, and finishing gives the timed-out code again.
    await page.goto(`/s/${TIMED.id}/chat`);
    expect(await code(page).textContent()).toBe("TIMEUP-3");
    expect(await page.locator("form.composer").count()).toBe(0);
    // With JavaScript off only a meta refresh takes the participant back, which nothing can stop
    // (axe's meta-refresh, as in pages.test.ts): the study's delay is what they get.
    expect(await axeViolations(page, false)).toEqual([
      'meta-refresh (critical): Delayed refresh under 20 hours must not be used at meta[http-equiv="refresh"]',
    ]);
  });

  it("maxSeconds, JS off: a page opened after the time is up ends the participant timed-out (the loader checks)", async () => {
    const { page, userId } = await newParticipant(browser, { baseURL: worker.url, javaScriptEnabled: false });
    await enter(page, TIMED.id);
    await page.waitForTimeout(MAX_SECONDS * 1000 + 500);
    await page.goto(`/s/${TIMED.id}/task`);
    await page.locator('[data-outcome="timed-out"]').waitFor();
    expect(await code(page).textContent()).toBe("TIMEUP-3");
    expect(await storedOutcome(TIMED.id, await userId())).toBe("timed-out");
  });

  it("maxSeconds, JS on: the chat page goes to the timed-out code by itself when the time is up", async () => {
    const { page, userId } = await newParticipant(browser, { baseURL: worker.url });
    await enter(page, TIMED.id);
    await page.locator('[data-outcome="timed-out"]').waitFor({ timeout: (MAX_SECONDS + 10) * 1000 });
    expect(new URL(page.url()).pathname).toBe(`/s/${TIMED.id}/finish`);
    expect(await code(page).textContent()).toBe("TIMEUP-3");
    expect(await axeViolations(page, true)).toEqual([]);
    expect(await storedOutcome(TIMED.id, await userId())).toBe("timed-out");
  });

  it("minSeconds, JS on: the finish page counts the time left down (page.clock); the server refuses to finish until the real time has passed", async () => {
    const participant = await newParticipant(browser, { baseURL: worker.url });
    const { page } = participant;
    // The refused finish answers 409, which Chromium reports as a failed resource.
    participant.allowConsoleError(/status of 409/);
    await page.clock.install();
    await page.goto(`/s/${WAIT.id}`);
    await page.getByRole("button", { name: "I agree to take part" }).click();
    await page.locator('.study[data-step="task"]').waitFor();
    await page.goto(`/s/${WAIT.id}/finish`);
    await page.locator('.study[data-step="finish"]').waitFor();
    const left = () => page.locator("[data-seconds-left]").getAttribute("data-seconds-left").then(Number);
    const first = await left();
    expect(first).toBeGreaterThan(2);
    expect(first).toBeLessThanOrEqual(MIN_SECONDS);
    expect(await page.locator(".time-left").textContent()).toBe(`You can finish in ${first} seconds.`);

    // The server's gate: finishing now is refused, with the time left.
    await page.getByRole("button", { name: "Finish and get my code" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(
      /^Please take part a little longer: you can finish in \d+ seconds?\.$/,
    );
    expect(await page.locator("[data-completion-code]").count()).toBe(0);

    // The browser's countdown, on Playwright's clock.
    const shown = await left();
    await page.clock.fastForward(2000);
    await expect.poll(left).toBeLessThanOrEqual(shown - 2);
    await page.clock.fastForward((MIN_SECONDS + 1) * 1000);
    await expect.poll(() => page.locator(".time-left").textContent()).toBe("You can finish now.");

    // Once the real time has passed on the server, finishing works.
    await page.waitForTimeout((first + 1) * 1000);
    await page.getByRole("button", { name: "Finish and get my code" }).click();
    await page.locator('[data-outcome="completed"]').waitFor();
    expect(await code(page).textContent()).toBe("WAITED-10");
  });

  it("minSeconds, JS off: the finish page shows the time left as a number", async () => {
    const { page } = await newParticipant(browser, { baseURL: worker.url, javaScriptEnabled: false });
    await page.goto(`/s/${WAIT.id}`);
    await page.getByRole("button", { name: "I agree to take part" }).click();
    await page.locator('.study[data-step="task"]').waitFor();
    await page.goto(`/s/${WAIT.id}/finish`);
    const text = await page.locator(".time-left").textContent();
    expect(text).toMatch(/^You can finish in \d+ seconds?\.$/);
    expect(await axeViolations(page, false)).toEqual([]);
  });
});
