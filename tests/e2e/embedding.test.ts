/**
 * A study inside a survey's iframe (issue 12, docs/embedding.md): the chat in
 * a frame of a test page on another site (http://localhost:<port> framing the
 * Worker on http://127.0.0.1:<port>), in Chromium with third-party cookies
 * blocked. Two browsers:
 *
 * - third-party cookies blocked (the profile's setting, checked with a probe
 *   frame: an unpartitioned SameSite=None cookie is refused, a Partitioned
 *   one kept): the session lives in the study's Partitioned cookie;
 * - every cookie of the Worker blocked (a site exception in the profile, as a
 *   browser without CHIPS would behave): the session travels as the URL
 *   token, which is never stored in a pageUrl and stops acting at finish.
 *
 * In both, the participant consents, chats and finishes inside the frame and
 * the survey page receives ready, turn and finished; a framing page whose
 * origin may frame but is not a message origin receives nothing; a page
 * whose origin is not listed cannot frame the study at all.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import demo from "../../studies/demo.json";
import { CHROMIUM_ARGS, findChromium } from "../support/chromium";
import { RESEARCHER_TOKEN, SCREENSHOTS, STORE } from "./support/env";
import { eventsOf, exportRecords } from "./support/export";
import { sessionOf } from "./support/participant";
import { type OwnWorker, startOwnWorker } from "./support/worker";

/** The survey pages: one that hears the study, one that may only frame it, one that may not even frame it. */
const LISTENER = "http://localhost:47611";
const FRAMER = "http://localhost:47612";
const STRANGER = "http://localhost:47613";
const PROBE_PORT = 47614;

const STUDY = {
  ...demo,
  id: "embedded",
  embedding: { frameAncestors: [LISTENER, FRAMER], messageOrigins: [LISTENER] },
};
const CODE = demo.completion.code;

type Received = { origin: string; data: Record<string, unknown> };

/** A survey page: the study in a 600 px tall iframe, and every message it receives kept in window.received. */
const surveyPage = (src: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Survey</title>` +
  `<meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0">` +
  `<script>window.received = []; addEventListener("message", (e) => window.received.push({ origin: e.origin, data: e.data }));</script>` +
  `<iframe title="The study" src="${src}" style="display:block;width:100%;height:600px;border:0"></iframe></body></html>`;

let worker: OwnWorker;
const servers: Server[] = [];
const profiles: string[] = [];
/** Console errors and uncaught exceptions in the pages: each test must end with none it did not expect. */
let problems: string[] = [];

function listen(port: number, handler: Parameters<typeof createServer>[1]): Promise<void> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
}

/** The survey servers: /survey?src=<url> frames src. */
async function startSurveys() {
  for (const origin of [LISTENER, FRAMER, STRANGER]) {
    await listen(Number(new URL(origin).port), (request, response) => {
      const src = new URL(request.url ?? "/", origin).searchParams.get("src") ?? "";
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(surveyPage(src));
    });
  }
  // The probe: a page that asks for an unpartitioned and a Partitioned third-party cookie.
  await listen(PROBE_PORT, (_request, response) => {
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "set-cookie": [
        "unpartitioned=1; Path=/; Secure; SameSite=None",
        "partitioned=1; Path=/; Secure; SameSite=None; Partitioned",
      ],
    });
    response.end("<!doctype html><title>probe</title><p>probe</p>");
  });
}

/**
 * A Chromium profile that blocks third-party cookies (Chrome's setting
 * "Block third-party cookies", cookie_controls_mode 1); with `blockWorker`,
 * it also blocks every cookie of the Worker's origin (a site exception).
 */
async function browserContext(blockWorker: boolean): Promise<BrowserContext> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("No Chromium found (see tests/support/chromium.ts).");
  const dir = mkdtempSync(join(tmpdir(), "lsp-e2e-profile-"));
  profiles.push(dir);
  mkdirSync(join(dir, "Default"));
  const exceptions = blockWorker ? { cookies: { [`${worker.url},*`]: { setting: 2 } } } : {};
  writeFileSync(
    join(dir, "Default", "Preferences"),
    JSON.stringify({ profile: { cookie_controls_mode: 1, content_settings: { exceptions } } }),
  );
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    args: CHROMIUM_ARGS.filter((a) => a !== "--headless"),
    headless: true,
  });
  context.setDefaultTimeout(15_000);
  context.on("console", (m) => {
    if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
  });
  context.on("weberror", (e) => problems.push(`uncaught: ${e.error().stack}`));
  return context;
}

/** The study's frame once it shows `step`. */
async function studyFrame(page: Page, step: string): Promise<Frame> {
  await page.frameLocator("iframe").locator(`[data-step="${step}"]`).first().waitFor();
  const frame = page.frames().find((f) => f !== page.mainFrame());
  if (!frame) throw new Error("the survey page has no frame");
  return frame;
}

const received = (page: Page) =>
  page.evaluate(() => (window as unknown as { received: Received[] }).received);

/** Consent, one question, finish: all inside the frame. Returns the frame's URL on the chat page. */
async function takePart(page: Page, survey: string, pid: string): Promise<{ chatUrl: string; code: string }> {
  const src = `${worker.url}/s/${STUDY.id}?PROLIFIC_PID=${pid}&STUDY_ID=st-emb&SESSION_ID=se-${pid}`;
  await page.goto(`${survey}/survey?src=${encodeURIComponent(src)}`);
  let frame = await studyFrame(page, "consent");
  await frame.getByRole("button", { name: "I agree to take part" }).click();
  frame = await studyFrame(page, "task");
  await frame.getByRole("link", { name: "Start" }).click();
  frame = await studyFrame(page, "chat");
  await frame.waitForFunction(() => {
    const form = document.querySelector("form.composer");
    return form !== null && Object.keys(form).some((key) => key.startsWith("__reactProps"));
  });
  await frame.getByLabel("Your message").fill("Is coffee good for me?");
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.locator("main article.turn[data-answer-id] .answer").waitFor();
  // The answer is stored and the page reloaded from the store: the turn message follows.
  await expect
    .poll(async () => (await received(page)).some((m) => m.data.type === "turn"))
    .toBe(survey === LISTENER);
  const chatUrl = frame.url();
  await frame.getByRole("link", { name: "Finish" }).click();
  frame = await studyFrame(page, "finish");
  await frame.getByRole("button", { name: "Finish and get my code" }).click();
  frame = await studyFrame(page, "completed");
  const code = (await frame.locator("[data-completion-code]").textContent()) ?? "";
  return { chatUrl, code };
}

/** What the survey page heard, checked: only from the Worker, each with the protocol's fields. */
async function messagesOf(page: Page) {
  const all = await received(page);
  for (const m of all) {
    expect(m.origin).toBe(worker.url);
    expect(m.data).toMatchObject({ protocol: "llm-study-platform", version: 1, studyId: STUDY.id });
  }
  return all.map((m) => m.data);
}

function expectJourneyMessages(messages: Record<string, unknown>[]) {
  const ready = messages.filter((m) => m.type === "ready").map((m) => m.step);
  expect(ready).toEqual(expect.arrayContaining(["consent", "task", "chat", "finish", "completed"]));
  expect(messages.filter((m) => m.type === "turn").map((m) => m.count)).toContain(1);
  expect(messages.filter((m) => m.type === "finished")).toEqual([
    expect.objectContaining({ type: "finished", outcome: "completed", code: CODE }),
  ]);
}

/** The API's answer to `me` with this token: the participant it acts as, or null. */
async function meWith(token: string): Promise<string | null> {
  const response = await fetch(`${worker.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-participant-token": token },
    body: JSON.stringify({ query: "{ me { userId } }" }),
  });
  const body = (await response.json()) as { data: { me: { userId: string } | null } };
  return body.data.me?.userId ?? null;
}

describe.skipIf(STORE !== "d1")("a study inside a survey's iframe", () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await startSurveys();
    worker = await startOwnWorker({ studies: [STUDY], vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN } });
  }, 120_000);
  afterEach(() => {
    const found = problems;
    problems = [];
    expect(found, "console errors or uncaught exceptions in the pages").toEqual([]);
  });
  afterAll(async () => {
    await worker?.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  });

  it("sends frame-ancestors with the study's origins on its pages only, no X-Frame-Options, no Referer elsewhere", async () => {
    const study = await fetch(`${worker.url}/s/${STUDY.id}`);
    const policy = study.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/; frame-ancestors http:\/\/localhost:47611 http:\/\/localhost:47612$/);
    expect(study.headers.get("x-frame-options")).toBeNull();
    // No Referer to other origins: the page's address may carry the URL token.
    expect(study.headers.get("referrer-policy")).toBe("same-origin");
    // Every other page is never framed.
    const other = await fetch(`${worker.url}/`);
    expect(other.headers.get("content-security-policy")).toMatch(/; frame-ancestors 'none'$/);
    expect(other.headers.get("x-frame-options")).toBe("DENY");
  });

  describe("with third-party cookies blocked", () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await browserContext(false);
    });
    afterAll(() => context?.close());

    it("really blocks them: a frame's unpartitioned SameSite=None cookie is refused, a Partitioned one kept", async () => {
      const page = await context.newPage();
      await page.goto(`${LISTENER}/survey?src=${encodeURIComponent(`http://127.0.0.1:${PROBE_PORT}/`)}`);
      await page.frameLocator("iframe").locator("p").waitFor();
      const names = (await context.cookies(`http://127.0.0.1:${PROBE_PORT}`)).map((c) => c.name);
      expect(names).toContain("partitioned");
      expect(names).not.toContain("unpartitioned");
      await page.close();
    });

    it("keeps the session in the study's Partitioned cookie; the survey hears ready, turn and finished", async () => {
      const page = await context.newPage();
      const { chatUrl, code } = await takePart(page, LISTENER, "pid-chips");
      expect(code).toBe(CODE);
      // The cookie carried the session after the first page: the chat's address has no token.
      expect(chatUrl).not.toContain("lsp_token");
      const cookie = (await context.cookies()).find((c) => c.name === "lsp_embed");
      expect(cookie?.partitionKey).toBeDefined();
      expectJourneyMessages(await messagesOf(page));
      await page.close();
    });

    it("tells nothing to a framing page that is not a message origin", async () => {
      // A browser of its own: the two survey pages are one site, so they share the cookie's partition.
      const other = await browserContext(false);
      try {
        const page = await other.newPage();
        const { code } = await takePart(page, FRAMER, "pid-framer");
        expect(code).toBe(CODE);
        expect(await received(page)).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it("cannot be framed by a page whose origin the study does not list", async () => {
      const page = await context.newPage();
      const refused = page.waitForEvent("console", (m) => /frame-ancestors/.test(m.text()));
      await page.goto(`${STRANGER}/survey?src=${encodeURIComponent(`${worker.url}/s/${STUDY.id}`)}`);
      expect((await refused).text()).toMatch(/violates the following Content Security Policy directive/);
      // Chromium shows its own error page in the frame instead of the study.
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame?.url()).toMatch(/^chrome-error:/);
      expect(await frame?.locator(".study").count()).toBe(0);
      expect(await received(page)).toEqual([]);
      // The refusal is Chromium's one expected console error.
      problems = problems.filter((p) => !/frame-ancestors/.test(p));
      await page.close();
    });
  });

  describe("with every cookie of the study blocked", () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await browserContext(true);
    });
    afterAll(() => context?.close());

    it("carries the URL token, never stores it in a pageUrl, and ends it at finish", async () => {
      const page = await context.newPage();
      const { chatUrl, code } = await takePart(page, LISTENER, "pid-url");
      expect(code).toBe(CODE);
      expect(await context.cookies(worker.url)).toEqual([]);
      const token = new URL(chatUrl).searchParams.get("lsp_token");
      if (!token) throw new Error(`the chat's address carries no token: ${chatUrl}`);
      expectJourneyMessages(await messagesOf(page));
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({ path: join(SCREENSHOTS, "embedding-completed-1280.png") });

      // Every stored page address of the participant, the server's steps and the tracker's events, lacks it.
      const { userId } = sessionOf(token);
      const events = eventsOf(
        await exportRecords(userId, { from: { url: worker.url, researcherToken: RESEARCHER_TOKEN } }),
      );
      const pageUrls = events.map((e) => e.pageUrl).filter((u): u is string => typeof u === "string");
      expect(pageUrls.some((u) => u.includes(`/s/${STUDY.id}`))).toBe(true);
      expect(pageUrls.filter((u) => u.includes("lsp_token"))).toEqual([]);
      expect(events.filter((e) => e.eventType === "STUDY_STEP").length).toBeGreaterThan(0);

      // Finished: the token no longer acts, in the API or on the study's pages.
      expect(await meWith(token)).toBeNull();
      const stranger = await context.newPage();
      await stranger.goto(`${worker.url}/s/${STUDY.id}/finish?lsp_token=${encodeURIComponent(token)}`);
      await stranger.locator('[data-step="consent"]').waitFor();
      await stranger.close();
      await page.close();
    });

    it("acts as its participant until then, in the study only", async () => {
      const page = await context.newPage();
      const src = `${worker.url}/s/${STUDY.id}?PROLIFIC_PID=pid-before`;
      await page.goto(`${LISTENER}/survey?src=${encodeURIComponent(src)}`);
      const frame = await studyFrame(page, "consent");
      await frame.getByRole("button", { name: "I agree to take part" }).click();
      await studyFrame(page, "task");
      const token = new URL(frame.url()).searchParams.get("lsp_token");
      if (!token) throw new Error(`the task's address carries no token: ${frame.url()}`);
      expect(await meWith(token)).toBe(sessionOf(token).userId);
      expect(JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString())).toMatchObject({
        st: STUDY.id,
        pp: "pid-before",
        cr: "url",
      });
      await page.close();
    });
  });

  it("fits a 600 px tall iframe at desktop and phone widths, the composer in view", async () => {
    const context = await browserContext(true);
    try {
      const page = await context.newPage();
      const src = `${worker.url}/s/${STUDY.id}?PROLIFIC_PID=pid-sizes`;
      await page.goto(`${LISTENER}/survey?src=${encodeURIComponent(src)}`);
      let frame = await studyFrame(page, "consent");
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 800 });
        await page.screenshot({ path: join(SCREENSHOTS, `embedding-consent-${width}.png`) });
      }
      await frame.getByRole("button", { name: "I agree to take part" }).click();
      frame = await studyFrame(page, "task");
      await frame.getByRole("link", { name: "Start" }).click();
      frame = await studyFrame(page, "chat");
      await frame.getByLabel("Your message").fill("Is coffee good for me?");
      await frame.getByRole("button", { name: "Send" }).click();
      await frame.locator("main article.turn[data-answer-id] .answer").waitFor();
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 800 });
        const shape = await frame.evaluate(() => ({
          height: window.innerHeight,
          composerBottom: document.querySelector("form.composer")?.getBoundingClientRect().bottom ?? null,
          overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        }));
        expect(shape.height, `${width} px`).toBe(600);
        expect(shape.composerBottom, `${width} px`).not.toBeNull();
        expect(shape.composerBottom ?? 601, `${width} px`).toBeLessThanOrEqual(600);
        expect(shape.overflowX, `${width} px`).toBe(0);
        await page.screenshot({ path: join(SCREENSHOTS, `embedding-chat-${width}.png`) });
      }
    } finally {
      await context.close();
    }
  });
});
