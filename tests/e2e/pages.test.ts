/**
 * Every participant page, as participants reach it, with JavaScript on and
 * off, at 320 and 390 px (phones) and 1280 px: each has exactly one h1 and
 * no skipped heading level, does not scroll sideways, and axe-core finds no
 * violation of WCAG 2.x A/AA nor of its heading best practices. The chat
 * header keeps its links and a long title inside its padding (the title cut
 * with an ellipsis) at every width, and inside a 600 px tall iframe.
 *
 * It runs on a Worker of its own: the demo study, a closed one, one that
 * takes nobody (a condition needs a key the Worker has not), and two more
 * that finish differently (a closing message and a redirect that waits, and
 * neither with a title too long for a phone's header). Page-level errors come
 * from a second Worker whose database has no tables. The pages do not depend
 * on the store, so the journeys run on D1 only (not in e2e-data-api).
 * Screenshots of every page and width go to SCREENSHOTS.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerStudyProblems } from "../../scripts/study-problems";
import {
  ask,
  DEMO,
  interceptProlific,
  launchBrowser,
  newParticipant,
  newVisitor,
  type Participant,
  RESEARCHER_TOKEN,
  SCREENSHOTS,
  STORE,
  studyLink,
  type TestBrowser,
  waitForHydration,
} from "./support";
import { axeViolations, chatHeaderShape, pageShape, skippedLevels } from "./support/page-checks";
import { type OwnWorker, startOwnWorker } from "./support/worker";

const WIDTHS = [
  { width: 320, height: 568 },
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

/** A study that ended: its link shows that it is closed. */
const CLOSED = { ...DEMO, id: "closed-study", title: "A study that has ended", active: false };
/** A study with a condition on the deployment's model, on a Worker with no OPENAI_API_KEY: it takes nobody. */
const NEEDS_KEY = {
  ...DEMO,
  id: "needs-key",
  conditions: [{ id: "model", llm: { provider: "default", model: "gpt-4o-mini" } }],
};
/** Finishing shows a closing message with a heading, and a redirect that leaves time to read. */
const KEPT = {
  ...DEMO,
  id: "closing-message",
  title: "Reading health advice",
  completion: {
    code: "KEPT2026",
    message:
      "## What happens next\n\nYour answers are kept **without your name**.\n\n### Questions\n\nWrite to us.",
    redirectUrl: "https://app.prolific.com/submissions/complete?cc=KEPT2026",
    redirectDelaySeconds: 600,
    minTurns: 1,
  },
};
/** Finishing takes the participant back soon. */
const SOON = {
  ...DEMO,
  id: "soon-back",
  completion: { ...DEMO.completion, code: "SOON2026", redirectDelaySeconds: 2 },
};
/** A title too long for a phone's chat header; finishing shows only the code. */
const LONG = {
  ...DEMO,
  id: "long-title",
  title: "How people weigh the sources an AI assistant cites when it answers questions about health and diet",
  completion: { code: "LONG2026" },
  // A survey page on the Worker's own origin frames it (the iframe check below).
  embedding: { frameAncestors: ["'self'"] },
};

let browser: TestBrowser;
let worker: OwnWorker;
let broken: OwnWorker;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  [worker, broken] = await Promise.all([
    startOwnWorker({
      studies: [DEMO, CLOSED, KEPT, LONG, SOON, NEEDS_KEY],
      vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN },
    }),
    startOwnWorker({ studies: [DEMO], migrate: false, store: "d1" }),
  ]);
});
afterAll(async () => {
  await Promise.all([worker?.stop(), broken?.stop()]);
  await browser?.close();
});

/** A participant on the test's Worker (or the broken one); 4xx/5xx pages are expected here. */
async function participant(javaScript: boolean, on = worker): Promise<Participant> {
  const p = await newParticipant(browser, { javaScriptEnabled: javaScript, baseURL: on.url });
  p.allowConsoleError(/the server responded with a status of (404|409|500)/);
  return p;
}

/**
 * Checks the page the participant is on at every width, and screenshots it:
 * one h1, no skipped level, no sideways scrolling, no axe violation; on a
 * chat page also the header.
 */
async function check(page: Page, name: string, javaScript: boolean, allowedRules: string[] = []) {
  const where = (width: number) => `${name} (${width} px, JavaScript ${javaScript ? "on" : "off"})`;
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    const shape = await pageShape(page);
    expect(
      shape.headings.filter((h) => h.startsWith("h1 ")),
      where(size.width),
    ).toHaveLength(1);
    expect(skippedLevels(shape.headings), `${where(size.width)}: ${shape.headings.join(" / ")}`).toEqual([]);
    expect(shape.overflowX, `${where(size.width)} scrolls sideways`).toBe(0);
    if ((await page.locator(".chat-header").count()) > 0) {
      const header = await chatHeaderShape(page);
      expect(header.outside, where(size.width)).toEqual([]);
      expect(Math.min(...header.padding), where(size.width)).toBeGreaterThanOrEqual(12);
      if (header.titleCut) expect(header.ellipsis, `${where(size.width)}: the cut title`).toBe(true);
    }
    const violations = await axeViolations(page, javaScript);
    expect(
      violations.filter((v) => !allowedRules.some((rule) => v.startsWith(`${rule} `))),
      where(size.width),
    ).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: join(SCREENSHOTS, `pages-${name}-${javaScript ? "js" : "nojs"}-${size.width}.png`),
      fullPage: true,
    });
  }
}

const submitted = async (page: Page, javaScript: boolean, form = "form.choices") => {
  if (javaScript) await waitForHydration(page, form);
};

const JAVASCRIPT = [
  { javaScript: true, label: "on" },
  { javaScript: false, label: "off" },
];

describe.skipIf(STORE !== "d1")("participant pages", () => {
  describe.each(JAVASCRIPT)("with JavaScript $label", ({ javaScript }) => {
    const js = javaScript;

    it("the open chat, empty and with an answer", async () => {
      const { page } = await participant(js);
      await page.goto("/");
      if (js) await waitForHydration(page);
      await check(page, "open-chat", js);
      await ask(page, "How much coffee is safe per day?");
      await check(page, "open-chat-answer", js);
    });

    it("the demo study from consent to withdrawal", async () => {
      const { page } = await participant(js);
      await page.goto(studyLink(newVisitor()));
      await page.locator('.study[data-step="consent"]').waitFor();
      await check(page, "consent", js);
      expect(await page.locator("h1").textContent()).toBe(DEMO.title);
      expect(await page.locator(".study-text h2").first().textContent()).toBe("Consent to take part");

      await submitted(page, js);
      await page.getByRole("button", { name: "I agree to take part" }).click();
      await page.locator('.study[data-step="task"]').waitFor();
      await check(page, "task", js);
      expect(await page.locator(".study-text h2").first().textContent()).toBe("Your task");

      await page.getByRole("link", { name: "Start" }).click();
      await page.locator('[data-step="chat"] form.composer').waitFor();
      if (js) await waitForHydration(page);
      await check(page, "study-chat", js);

      await page.getByRole("link", { name: "Finish" }).click();
      await page.locator('.study[data-step="finish"]').waitFor();
      await check(page, "finish", js);
      await submitted(page, js);
      await page.getByRole("button", { name: "Finish and get my code" }).click();
      await page.locator('.study[data-step="finish"] [role="alert"]').waitFor();
      await check(page, "finish-refused", js);

      await page.getByRole("link", { name: "Back to the chat" }).click();
      await page.locator('[data-step="chat"] form.composer').waitFor();
      if (js) await waitForHydration(page);
      await ask(page, "Is coffee good for me?");
      await check(page, "study-chat-answer", js);

      await page.getByRole("link", { name: "Withdraw" }).click();
      await page.locator('.study[data-step="withdraw"]').waitFor();
      await check(page, "withdraw", js);
      await submitted(page, js);
      await page.getByRole("button", { name: "Yes, delete my records" }).click();
      await page.getByRole("heading", { name: "You have withdrawn" }).waitFor();
      await check(page, "withdrawn", js);

      // Back on the study's link: told at once that they withdrew.
      await page.goto(`/s/${DEMO.id}`);
      await page.locator('.study[data-step="consent"] [role="alert"]').waitFor();
      expect(await page.locator("h1").textContent()).toBe("You have withdrawn");
      await check(page, "consent-after-withdrawal", js);
    });

    it("declining, and the withdrawal page of someone not taking part", async () => {
      const { page } = await participant(js);
      await page.goto(studyLink(newVisitor()));
      await page.locator('.study[data-step="consent"]').waitFor();
      await submitted(page, js);
      await page.getByRole("button", { name: "I do not agree" }).click();
      await page.locator('.study[data-step="declined"]').waitFor();
      await check(page, "declined", js);

      await page.goto(`/s/${DEMO.id}/withdraw`);
      await page.getByRole("heading", { name: "Nothing to withdraw" }).waitFor();
      await check(page, "withdraw-not-enrolled", js);
    });

    it("finishing with a closing message, and a redirect that waits", async () => {
      const { page } = await participant(js);
      await finish(page, js, KEPT.id);
      // With JavaScript off only a meta refresh can take the participant back, and nothing can
      // stop it (WCAG 2.2.1; axe's meta-refresh): the researcher's delay is what they get.
      await check(page, "completion-message", js, js ? [] : ["meta-refresh"]);
      expect(await page.locator(".study-text h2").textContent()).toBe("What happens next");
    });

    it("finishing without a closing message, in a study whose title is too long for a phone", async () => {
      const { page } = await participant(js);
      await page.goto(`/s/${LONG.id}`);
      await page.locator('.study[data-step="consent"]').waitFor();
      await check(page, "consent-long-title", js);
      await submitted(page, js);
      await page.getByRole("button", { name: "I agree to take part" }).click();
      await page.getByRole("link", { name: "Start" }).click();
      await page.locator('[data-step="chat"] form.composer').waitFor();
      if (js) await waitForHydration(page);
      await check(page, "study-chat-long-title", js);
      // The phone's header cuts the title (the h1 still has all of it, for screen readers).
      await page.setViewportSize(WIDTHS[1] ?? { width: 390, height: 844 });
      expect((await chatHeaderShape(page)).titleCut).toBe(true);
      expect(await page.locator(".chat-header h1").textContent()).toBe(LONG.title);

      await page.getByRole("link", { name: "Finish" }).click();
      await submitted(page, js);
      await page.getByRole("button", { name: "Finish and get my code" }).click();
      await page.locator("[data-completion-code]").waitFor();
      await check(page, "completion", js);
    });

    it("a closed study, an unknown study, an unknown page", async () => {
      const { page } = await participant(js);
      await page.goto(`/s/${CLOSED.id}`);
      await page.getByRole("heading", { name: "This study is closed" }).waitFor();
      await check(page, "closed", js);

      expect((await page.goto("/s/no-such-study"))?.status()).toBe(404);
      await check(page, "unknown-study", js);
      expect((await page.goto("/no-such-page"))?.status()).toBe(404);
      await check(page, "unknown-page", js);
      // Remix's own message for a URL without a route is for developers, not for participants.
      expect(await page.locator("main").textContent()).not.toContain("No route matches");
    });

    it("a study that takes nobody (a condition needs a key that is not set): nothing stored, npm start's check names it", async () => {
      const { page } = await participant(js);
      await page.goto(`/s/${NEEDS_KEY.id}?PROLIFIC_PID=p-${js}`);
      await page.getByRole("heading", { name: "This study is unavailable" }).waitFor();
      expect(await page.locator("main").textContent()).toContain("it takes no new participants");
      expect(await page.getByRole("button", { name: "I agree to take part" }).count()).toBe(0);
      await check(page, "unavailable", js);
      // Not even consent_shown: the study has no record at all.
      const response = await fetch(`${worker.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${RESEARCHER_TOKEN}` },
        body: JSON.stringify({
          query: `{ export(first: 1, filter: { studyIds: ["${NEEDS_KEY.id}"] }) { totalCount } }`,
        }),
      });
      expect(await response.json()).toEqual({ data: { export: { totalCount: 0 } } });
      // What npm start asks the Worker once it runs, and prints before it exits 1.
      expect(await workerStudyProblems(worker.url)).toEqual([
        expect.stringContaining(
          `study "needs-key", condition "model" (conditions[0]): llm.provider is "default"`,
        ),
      ]);
    });

    it("a page-level error (the database is down)", async () => {
      const { page } = await participant(js, broken);
      expect((await page.goto(`/s/${DEMO.id}`))?.status()).toBe(500);
      await page.getByRole("heading", { name: "Something went wrong" }).waitFor();
      await check(page, "error", js);
    });
  });
});

describe.skipIf(STORE !== "d1")("the way back to the recruiting platform", () => {
  it("waits while the participant reads, when they ask to stay", async () => {
    const { page } = await participant(true);
    const prolific = await interceptProlific(page);
    await finish(page, true, SOON.id);
    await page.getByRole("button", { name: "Stay on this page" }).click();
    expect(await page.locator(".redirect").textContent()).toContain("You stay on this page.");
    await page.waitForTimeout((SOON.completion.redirectDelaySeconds + 1.5) * 1000);
    expect(new URL(page.url()).pathname).toBe(`/s/${SOON.id}/finish`);
    expect(prolific).toEqual([]);
    // The link still goes.
    await page.getByRole("link", { name: "Go now" }).click();
    await page.waitForURL(SOON.completion.redirectUrl);
  });
});

/** Consent, the task, one message, Finish: the completion page. */
async function finish(page: Page, javaScript: boolean, studyId: string) {
  await page.goto(`/s/${studyId}`);
  await submitted(page, javaScript);
  await page.getByRole("button", { name: "I agree to take part" }).click();
  await page.getByRole("link", { name: "Start" }).click();
  await page.locator('[data-step="chat"] form.composer').waitFor();
  if (javaScript) await waitForHydration(page);
  await ask(page, "Is coffee good for me?");
  await page.getByRole("link", { name: "Finish" }).click();
  await submitted(page, javaScript);
  await page.getByRole("button", { name: "Finish and get my code" }).click();
  await page.locator("[data-completion-code]").waitFor();
}

describe.skipIf(STORE !== "d1")("the chat in a survey's iframe, 600 px tall", () => {
  it.each(JAVASCRIPT)(
    "keeps its header, its padding and the composer in view, JavaScript $label",
    async ({ javaScript }) => {
      const { page } = await participant(javaScript);
      // A survey page on the Worker's own origin (the study's frameAncestors 'self' lets it frame the chat).
      const survey = `${worker.url}/__survey`;
      await page.route(survey, (route) =>
        route.fulfill({
          contentType: "text/html; charset=utf-8",
          body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Survey</title><meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0"><iframe title="The study" src="/s/${LONG.id}" style="display:block;width:100%;height:600px;border:0"></iframe></body></html>`,
        }),
      );
      await page.goto(survey);
      const frame = page.frameLocator("iframe");
      await frame.locator('.study[data-step="consent"]').waitFor();
      await frame.getByRole("button", { name: "I agree to take part" }).click();
      await frame.getByRole("link", { name: "Start" }).click();
      await frame.locator('[data-step="chat"] form.composer').waitFor();
      const chat = page.frames().find((f) => f.url().includes("/chat"));
      if (!chat) throw new Error("the iframe did not open the chat");
      for (const size of WIDTHS) {
        await page.setViewportSize(size);
        const header = await chatHeaderShape(chat);
        const where = `${size.width} px`;
        expect(header.viewportHeight, where).toBe(600);
        expect(header.outside, where).toEqual([]);
        expect(header.titleCut && !header.ellipsis, where).toBe(false);
        expect(header.headerTop, where).toBe(0);
        expect(header.composerBottom, where).not.toBeNull();
        expect(header.composerBottom ?? 0, where).toBeLessThanOrEqual(600);
        expect((await pageShape(chat)).overflowX, where).toBe(0);
        await page.screenshot({
          path: join(SCREENSHOTS, `pages-iframe-${javaScript ? "js" : "nojs"}-${size.width}.png`),
        });
      }
    },
  );
});
