/**
 * The real `openai` provider, end to end: a second Worker under `wrangler dev`
 * (its own port and D1) with LLM_PROVIDER=openai talks to an OpenAI-compatible
 * stub server. Answers with url_citation sources and the conversation's
 * history; a provider failure or timeout, with JS on and off (the participant
 * reads why and keeps their draft, the export keeps the failed query); the
 * provider's stream in the browser: first tokens shown while the stub holds
 * the rest, and a stream that breaks off (stored with what arrived and the
 * error); the token usage the provider reports (or does not), in GraphQL and
 * the answers download; and a misconfigured Worker, which answers 500 naming
 * the variable.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { applyMigrations, type DevServer, freePort, startDevServer } from "../../scripts/dev-server";
import { type OpenAiStub, startOpenAiStub } from "../support/openai-stub";
import {
  answerId,
  ask,
  type ExportSource,
  exportRecords,
  launchBrowser,
  newParticipant,
  type Participant,
  type QueryRecord,
  queriesOf,
  SCREENSHOTS,
  type TestBrowser,
  turns,
  waitForHydration,
} from "./support";

const API_KEY = "sk-e2e-provider-0123456789";
const RESEARCHER_TOKEN = `e2e_${randomBytes(24).toString("hex")}`;
const TIMEOUT_MS = 3_000;

const QUESTION = "Is green tea good for me?";
const ANSWER =
  "**Green tea** is a good choice for most adults [1].\n\n" +
  "- It has less caffeine than coffee [2].\n" +
  "- Up to three cups a day is typical [1].";
const SOURCES = [
  {
    url: "https://www.nejm.org/doi/full/10.1056/green-tea-review",
    title: "Green tea and cardiovascular health",
    content: "A review of cohort studies.",
  },
  { url: "https://www.who.int/news-room/fact-sheets/detail/caffeine", title: "WHO: caffeine" },
];
const FOLLOW_UP = "And how much caffeine is in a cup?";
const FOLLOW_UP_ANSWER = "About 30 mg in a typical cup.";

/**
 * What the participant reads whenever the provider fails (api/answers/turn.ts): a plain
 * message, never the provider's own text, which is stored with the record.
 */
const FAILED = "The assistant could not answer just now. Your message was saved; please try again.";
const HTTP_500 = FAILED;
const HTTP_500_STORED =
  "the provider answered with HTTP 500: The server had an error while processing your request.";
const TIMED_OUT = FAILED;
/**
 * With JS off, Chromium logs the chat action's 503 (LLM_UNAVAILABLE) as a
 * console error: expected in that failure journey, for the action's URL
 * (/?index) and nothing else. (With JS on the answer streams: the error
 * arrives inside a 200 response.)
 */
const ACTION_503 =
  /^Failed to load resource: the server responded with a status of 503 \(Service Unavailable\)$/;
const isChatAction = (url: string) => {
  if (!URL.canParse(url)) return false;
  const { pathname, searchParams } = new URL(url);
  return pathname === "/" && searchParams.has("index");
};

let browser: TestBrowser;
let stub: OpenAiStub;
let worker: DevServer;
let persistTo: string | undefined;
let exportFrom: ExportSource;

beforeAll(async () => {
  stub = await startOpenAiStub({ apiKey: API_KEY }); // a request without the key gets a 401
  persistTo = mkdtempSync(join(tmpdir(), "lsp-e2e-provider-d1-"));
  applyMigrations(persistTo);
  worker = await startDevServer({
    port: await freePort(),
    persistTo,
    vars: {
      LLM_PROVIDER: "openai",
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: stub.url,
      LLM_MODEL: "stub-model",
      LLM_MAX_RETRIES: "0",
      LLM_TIMEOUT_MS: String(TIMEOUT_MS),
      RESEARCHER_TOKENS: RESEARCHER_TOKEN,
      SESSION_SECRETS: inject("sessionSecret"),
    },
  });
  exportFrom = { url: worker.url, researcherToken: RESEARCHER_TOKEN };
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await stub?.close();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
});
beforeEach(() => stub.reset());

/** A participant of the openai Worker. */
const participant = (options: BrowserContextOptions = {}) =>
  newParticipant(browser, { baseURL: worker.url, ...options });

/** The participant's stored queries on the openai Worker, oldest first. */
async function storedQueries(p: Participant): Promise<QueryRecord[]> {
  return queriesOf(await exportRecords(await p.userId(), { from: exportFrom }));
}

/**
 * Types a message and sends it, expecting it to fail with LLM_UNAVAILABLE:
 * with JS on, the streamed answer (POST /stream, 200) ends with the error;
 * with JS off, the chat's action answers 503.
 */
async function sendFailing(page: Page, message: string, { js }: { js: boolean }) {
  const path = js ? "/stream" : "/";
  const posted = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname === path, // not the tracker's /t
  );
  await page.getByLabel("Your message").fill(message);
  await page.getByRole("button", { name: "Send" }).click();
  const response = await posted;
  expect(response.status()).toBe(js ? 200 : 503);
  await page.getByRole("alert").waitFor();
  return response;
}

/** The page after a failed send: the error is shown and the draft is still in the box, ready to send again. */
async function expectFailureShown(page: Page, message: string, error: string) {
  const alert = page.getByRole("alert");
  expect(await alert.count()).toBe(1);
  expect(await alert.textContent()).toBe(error);
  expect(await page.getByLabel("Your message").inputValue()).toBe(message);
  expect(await page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
}

/** Sends what is in the box again; resolves with the answered turn (after the failed one, now on the page too). */
async function sendAgain(page: Page) {
  await page.getByRole("button", { name: "Send" }).click();
  const answered = turns(page).filter({ has: page.locator(".answer") });
  await answered.last().waitFor();
  expect(await answered.count()).toBe(1);
  return answered.first();
}

describe("the openai provider", () => {
  it("answers through the provider with its url_citation sources, sends the history on a follow-up; the export has both", async () => {
    const p = await participant();
    const { page } = p;
    stub.respondWith({ text: ANSWER, annotations: SOURCES, delayMs: 200 });
    await page.goto("/");
    expect(await page.locator(".badge").count()).toBe(0); // no "Scripted demo answers"
    await waitForHydration(page);

    const turn = await ask(page, QUESTION);
    const id = await answerId(turn);
    const conversationId = new URL(page.url()).searchParams.get("c");
    expect(conversationId).toBeTruthy();

    // The Markdown is rendered, with citation markers linking to their sources.
    const answer = turn.locator(".answer");
    expect(await answer.locator("strong").textContent()).toBe("Green tea");
    expect(await answer.locator("ul > li").count()).toBe(2);
    const cites = answer.locator("a.cite");
    expect(await cites.allTextContents()).toEqual(["[1]", "[2]", "[1]"]);
    expect(await cites.nth(1).getAttribute("data-out")).toBe(SOURCES[1]?.url);

    // The source list: both sources, in order, each through the click route.
    const items = turn.locator("section.sources li");
    expect(await items.count()).toBe(SOURCES.length);
    for (const [i, source] of SOURCES.entries()) {
      const item = items.nth(i);
      expect(await item.getAttribute("value")).toBe(String(i + 1));
      const link = item.locator("a");
      expect(await link.textContent()).toBe(source.title);
      expect(await link.getAttribute("data-out")).toBe(source.url);
      const href = new URL((await link.getAttribute("href")) ?? "", worker.url);
      expect(href.pathname).toBe("/out");
      expect(href.searchParams.get("q")).toBe(id);
      expect(href.searchParams.get("u")).toBe(source.url);
    }

    // The stub was asked the question, with the configured model and key.
    const [first] = stub.chatRequests();
    expect(stub.chatRequests()).toHaveLength(1);
    expect(first?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first?.body?.model).toBe("stub-model");
    expect(first?.body?.messages).toEqual([{ role: "user", content: QUESTION }]);

    // A follow-up in the same conversation sends the earlier turn as history.
    stub.respondWith({ text: FOLLOW_UP_ANSWER });
    const next = await ask(page, FOLLOW_UP);
    expect(await next.locator(".answer").textContent()).toBe(FOLLOW_UP_ANSWER);
    expect(await next.locator("section.sources").count()).toBe(0);
    expect(new URL(page.url()).searchParams.get("c")).toBe(conversationId);
    expect(stub.chatRequests()).toHaveLength(2);
    expect(stub.chatRequests()[1]?.body?.messages).toEqual([
      { role: "user", content: QUESTION },
      { role: "assistant", content: ANSWER },
      { role: "user", content: FOLLOW_UP },
    ]);

    const queries = await storedQueries(p);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({
      id,
      conversationId,
      query: QUESTION,
      response: ANSWER,
      error: null,
      model: "stub-model",
    });
    expect(queries[0]?.sources).toEqual(
      // The open chat shows them as the model ranked them.
      SOURCES.map((s, i) => ({
        rank: i + 1,
        originalRank: i + 1,
        injected: false,
        title: s.title,
        url: s.url,
        content: s.content ?? null,
      })),
    );
    // The stub took 200 ms to answer: the latency is the provider's.
    expect(queries[0]?.latencyMs).toBeGreaterThanOrEqual(150);
    expect(queries[0]?.latencyMs).toBeLessThan(TIMEOUT_MS);
    expect(queries[1]).toMatchObject({
      id: await answerId(next),
      conversationId,
      query: FOLLOW_UP,
      response: FOLLOW_UP_ANSWER,
      error: null,
      model: "stub-model",
      sources: [],
    });
    expect(queries[1]?.latencyMs).toEqual(expect.any(Number));
  });

  it("JS on: an HTTP 500 from the provider shows a readable error and keeps the draft; the failure is stored; sending again works", async () => {
    const p = await participant();
    const { page } = p;
    stub.respondWith({ status: 500 });
    await page.goto("/");
    await waitForHydration(page);

    const response = await sendFailing(page, QUESTION, { js: true });
    expect(response.request().resourceType()).toBe("fetch"); // streamed, no page load
    expect(await page.locator("main article.turn.pending").count()).toBe(0);
    await expectFailureShown(page, QUESTION, HTTP_500);
    expect(stub.chatRequests()).toHaveLength(1); // LLM_MAX_RETRIES=0

    const [failed] = await storedQueries(p);
    expect(failed).toMatchObject({ query: QUESTION, response: null, model: "stub-model", sources: [] });
    expect(failed?.error).toBe(HTTP_500_STORED);

    // The provider recovers: sending the kept draft again answers, in the same conversation.
    stub.respondWith({ text: ANSWER, annotations: SOURCES });
    const turn = await sendAgain(page);
    expect(await turn.locator(".question").textContent()).toBe(QUESTION);
    expect(await turn.locator("section.sources li").count()).toBe(SOURCES.length);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await page.getByLabel("Your message").inputValue()).toBe("");
    // The failed attempt stays visible as a turn without an answer.
    const failedTurn = turns(page).first();
    expect(await answerId(failedTurn)).toBe(failed?.id);
    expect(await failedTurn.locator(".error").textContent()).toBe(
      "No answer: the assistant could not answer. Your message was saved; send it again to retry.",
    );
    // A failed turn is not sent to the model as history.
    expect(stub.chatRequests()[0]?.body?.messages).toEqual([{ role: "user", content: QUESTION }]);

    const queries = await storedQueries(p);
    expect(queries).toHaveLength(2);
    expect(queries[1]).toMatchObject({
      id: await answerId(turn),
      conversationId: failed?.conversationId,
      response: ANSWER,
      error: null,
    });
    expect(new URL(page.url()).searchParams.get("c")).toBe(failed?.conversationId);
  });

  it("JS off: an HTTP 500 from the provider shows the error on the posted page with the draft kept; sending again works", async () => {
    const p = await participant({ javaScriptEnabled: false });
    const { page } = p;
    p.allowConsoleError(ACTION_503, isChatAction);
    stub.respondWith({ status: 500 });
    await page.goto("/");

    const response = await sendFailing(page, QUESTION, { js: false });
    expect(response.request().resourceType()).toBe("document"); // a real form post
    await expectFailureShown(page, QUESTION, HTTP_500);

    const [failed] = await storedQueries(p);
    expect(failed).toMatchObject({ query: QUESTION, response: null, clientTime: null });
    expect(failed?.error).toBe(HTTP_500_STORED);

    stub.respondWith({ text: ANSWER, annotations: SOURCES });
    const turn = await sendAgain(page);
    expect(await turn.locator(".question").textContent()).toBe(QUESTION);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(new URL(page.url()).searchParams.get("c")).toBe(failed?.conversationId);
  });

  it("a provider slower than LLM_TIMEOUT_MS: the participant reads that it did not answer in time, draft kept", async () => {
    const p = await participant();
    const { page } = p;
    stub.respondWith({ text: ANSWER, delayMs: TIMEOUT_MS + 5_000 });
    await page.goto("/");
    await waitForHydration(page);

    const started = Date.now();
    await sendFailing(page, QUESTION, { js: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 4_000);
    await expectFailureShown(page, QUESTION, TIMED_OUT);
    expect(stub.chatRequests()).toHaveLength(1);

    const [failed] = await storedQueries(p);
    expect(failed).toMatchObject({
      query: QUESTION,
      response: null,
      error: "the provider did not answer in time",
    });
    expect(failed?.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
  });
});

/** ANSWER as the stub streams it: one content chunk per word (with the space after it). */
const CHUNKS = ANSWER.split(/(?<=\s)/);
const BROKE_OFF = {
  close: "the provider's answer broke off: the connection closed before the end",
  error:
    "the provider's answer broke off: it sent an error: The server had an error while processing your request.",
  malformed: "the provider's answer broke off: it sent a chunk that is not valid JSON",
} as const;

describe("the provider's stream in the browser (JS on)", () => {
  it("shows the first tokens while the provider still holds the rest; then the whole answer with its sources; ttft and total time stored", async () => {
    const p = await participant();
    const { page } = p;
    let releaseRest = () => {};
    const rest = new Promise<void>((resolve) => {
      releaseRest = resolve;
    });
    const HELD_AT = 4; // the stub sends 4 chunks, then waits
    stub.respondWith({
      text: ANSWER,
      annotations: SOURCES,
      beforeChunk: (i) => (i === HELD_AT ? rest : undefined),
    });
    await page.goto("/");
    await waitForHydration(page);

    await page.getByLabel("Your message").fill(QUESTION);
    await page.getByRole("button", { name: "Send" }).click();
    const firstWords = CHUNKS.slice(0, HELD_AT).join("");
    const live = page.locator("main article.turn.pending[data-streaming] p.streamed");
    await expect.poll(() => live.textContent()).toBe(firstWords);
    const heldFrom = Date.now();
    expect(stub.chatRequests()[0]?.chunksSent).toBe(HELD_AT);
    expect(stub.chatRequests()[0]?.body?.stream).toBe(true);
    expect(await page.locator("button.stop").isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "provider-streaming-held.png") });
    // Still held (after the screenshot): nothing more arrived, the answer is not done.
    expect(stub.chatRequests()[0]?.chunksSent).toBe(HELD_AT);
    expect(await live.textContent()).toBe(firstWords);
    const heldMs = Date.now() - heldFrom;
    releaseRest();

    const turn = turns(page).first();
    await turn.locator(".answer").waitFor();
    await page.locator("main article.turn.pending").waitFor({ state: "detached" });
    expect(await turn.locator(".answer strong").textContent()).toBe("Green tea");
    expect(await turn.locator("section.sources li").count()).toBe(SOURCES.length);
    expect(await stub.chatRequests()[0]?.closed).toBe("finished");

    const [query] = await storedQueries(p);
    expect(query).toMatchObject({
      id: await answerId(turn),
      query: QUESTION,
      response: ANSWER,
      model: "stub-model",
      stopped: false,
      error: null,
    });
    expect(query?.sources.map((s) => s.url)).toEqual(SOURCES.map((s) => s.url));
    const ttft = query?.timeToFirstTokenMs ?? -1;
    expect(ttft).toBeGreaterThanOrEqual(0);
    // The first token came before the hold; the total includes it.
    expect((query?.latencyMs ?? 0) - ttft).toBeGreaterThanOrEqual(heldMs - 50);
  });

  it("Stop while the provider holds the rest: the provider's request is closed, the turn stored once as stopped with the first words", async () => {
    const p = await participant();
    const { page } = p;
    const HELD_AT = 2;
    stub.respondWith({
      text: ANSWER,
      beforeChunk: (i) => (i === HELD_AT ? new Promise(() => {}) : undefined),
    });
    await page.goto("/");
    await waitForHydration(page);

    await page.getByLabel("Your message").fill(QUESTION);
    await page.getByRole("button", { name: "Send" }).click();
    const firstWords = CHUNKS.slice(0, HELD_AT).join("");
    await expect
      .poll(() => page.locator("main article.turn.pending[data-streaming] p.streamed").textContent())
      .toBe(firstWords);
    await page.locator("button.stop").click();

    // The Worker stops reading and closes the provider's stream: no tokens paid for nothing.
    expect(await stub.chatRequests()[0]?.closed).toBe("closed early");
    const turn = turns(page).first();
    await turn.locator(".stopped-note").waitFor();
    expect((await turn.locator(".answer").textContent())?.trim()).toBe(
      firstWords.replace(/\*\*/g, "").trim(),
    );
    const queries = await storedQueries(p);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ query: QUESTION, response: firstWords, stopped: true, error: null });
    // Stopped before the provider's last chunk: it had reported no usage.
    expect(queries[0]?.usage).toBeNull();
  });

  it.each(["close", "error", "malformed"] as const)(
    "a stream that breaks off (%s) after a few chunks: the page shows the error and keeps the draft; the export has the partial answer and the error",
    async (how) => {
      const p = await participant();
      const { page } = p;
      const AFTER = 3;
      stub.respondWith({ text: ANSWER, annotations: SOURCES, breakStream: { afterChunks: AFTER, how } });
      await page.goto("/");
      await waitForHydration(page);

      await sendFailing(page, QUESTION, { js: true });
      await expectFailureShown(page, QUESTION, FAILED);
      expect(await page.locator("main article.turn.pending").count()).toBe(0);
      expect(stub.chatRequests()).toHaveLength(1);
      expect(stub.chatRequests()[0]?.chunksSent).toBe(AFTER);
      if (how === "close") await page.screenshot({ path: join(SCREENSHOTS, "provider-stream-broken.png") });

      const [broken] = await storedQueries(p);
      expect(broken).toMatchObject({
        query: QUESTION,
        response: CHUNKS.slice(0, AFTER).join(""),
        error: BROKE_OFF[how],
        stopped: false,
        sources: [],
        model: "stub-model",
      });
      expect(broken?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
      expect(broken?.usage).toBeNull(); // the usage chunk would have come last
      expect(await storedQueries(p)).toHaveLength(1); // stored once

      // Sending the kept draft again continues the same conversation.
      stub.respondWith({ text: FOLLOW_UP_ANSWER });
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => turns(page).count()).toBe(2);
      expect(new URL(page.url()).searchParams.get("c")).toBe(broken?.conversationId);
      expect(await turns(page).nth(1).locator(".answer").textContent()).toBe(FOLLOW_UP_ANSWER);
      if (how === "close")
        await page.screenshot({ path: join(SCREENSHOTS, "provider-stream-broken-then-resent.png") });
    },
  );
});

/** The participant's rows of the `answers` download (NDJSON), oldest first. */
async function answersDownload(p: Participant): Promise<Record<string, unknown>[]> {
  const response = await fetch(
    `${worker.url}/export/answers.ndjson?userIds=${encodeURIComponent(await p.userId())}`,
    { headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` } },
  );
  expect(response.status).toBe(200);
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const tokenColumns = (row: Record<string, unknown> | undefined) => ({
  prompt_tokens: row?.prompt_tokens,
  completion_tokens: row?.completion_tokens,
  total_tokens: row?.total_tokens,
});

describe("token usage", () => {
  const USAGE = { prompt_tokens: 1523, completion_tokens: 211, total_tokens: 1734 };

  it.each([
    ["on", true],
    ["off", false],
  ])(
    "JS %s: the usage the provider reports is stored, in GraphQL and the answers download",
    async (_, js) => {
      const p = await participant({ javaScriptEnabled: js });
      const { page } = p;
      stub.respondWith({ text: ANSWER, usage: USAGE });
      await page.goto("/");
      if (js) await waitForHydration(page);
      await ask(page, QUESTION);

      // Streamed (JS on) the request asks for usage, as OpenAI needs; JS off it is one completion.
      const [request] = stub.chatRequests();
      expect(request?.body?.stream ?? false).toBe(js);
      if (js) expect(request?.body?.stream_options).toEqual({ include_usage: true });
      const [stored] = await storedQueries(p);
      expect(stored?.usage).toEqual({ promptTokens: 1523, completionTokens: 211, totalTokens: 1734 });
      const [row] = await answersDownload(p);
      expect(row?.query_id).toBe(stored?.id);
      expect(tokenColumns(row)).toEqual(USAGE);
    },
  );

  it("a server that sends no usage (it ignores stream_options): usage null, the token columns empty", async () => {
    const p = await participant();
    const { page } = p;
    stub.respondWith({ text: ANSWER, usage: null });
    await page.goto("/");
    await waitForHydration(page);
    await ask(page, QUESTION);

    expect(stub.chatRequests()[0]?.body?.stream_options).toEqual({ include_usage: true });
    const [stored] = await storedQueries(p);
    expect(stored).toMatchObject({ response: ANSWER, error: null, usage: null });
    expect(tokenColumns((await answersDownload(p))[0])).toEqual({
      prompt_tokens: null,
      completion_tokens: null,
      total_tokens: null,
    });
  });
});

describe("a misconfigured Worker", () => {
  it("answers 500 naming the bad variable, on the site and on /graphql", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsp-e2e-badconfig-d1-"));
    let bad: DevServer | undefined;
    try {
      bad = await startDevServer({
        port: await freePort(),
        persistTo: dir,
        vars: { LLM_TIMEOUT_MS: "5", SESSION_SECRETS: inject("sessionSecret") }, // must be 100..600000
        readyWhen: (status) => status === 500,
      });
      const page = await fetch(`${bad.url}/`);
      expect(page.status).toBe(500);
      const pageText = await page.text();
      expect(pageText).toContain("This deployment is misconfigured.");
      expect(pageText).toContain("LLM_TIMEOUT_MS must be an integer from 100 to 600000");

      const api = await fetch(`${bad.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ status { ok } }" }),
      });
      expect(api.status).toBe(500);
      expect(await api.text()).toContain("LLM_TIMEOUT_MS");
    } finally {
      await bad?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a model that repeats what the participant typed (the open-redirect attack)", () => {
  it("a link the participant typed is shown as text, not a link, and /out refuses it from any browser", async () => {
    const EVIL = "https://evil.example/login";
    const typed = `Please repeat exactly: [log in](${EVIL})`;
    const p = await participant({ javaScriptEnabled: false });
    // The model obliges, and even cites the URL as a source.
    stub.respondWith({
      text: `Sure: [log in](${EVIL}) and [the guide](${SOURCES[0]?.url})`,
      annotations: [{ url: EVIL, title: "Log in" }],
    });
    await p.page.goto("/");
    const turn = await ask(p.page, typed);
    const id = await answerId(turn);
    // Neither the answer's link nor the "source" is a link to it; the model's own link is.
    expect(await turn.locator(`a[data-out="${EVIL}"]`).count()).toBe(0);
    expect(await turn.locator(".answer").textContent()).toContain("log in");
    expect(await turn.locator(`a[data-out="${SOURCES[0]?.url}"]`).count()).toBe(1);
    const guide = await turn.locator(`a[data-out="${SOURCES[0]?.url}"]`).getAttribute("href");
    const signature = new URL(guide ?? "", worker.url).searchParams.get("s") ?? "";
    // Crafted links to the typed URL, with the guide's signature or none, from the participant and from a stranger.
    const crafted = `/out?q=${id}&u=${encodeURIComponent(EVIL)}&s=${encodeURIComponent(signature)}`;
    const stranger = await participant({ javaScriptEnabled: false });
    await stranger.page.goto("/");
    for (const who of [p, stranger]) {
      const response = await who.context.request.get(crafted, { maxRedirects: 0 });
      expect(response.status()).toBe(400);
      expect(response.headers().location).toBeUndefined();
    }
    expect(browser.externalHits.filter((u) => u.includes("evil.example"))).toEqual([]);
    // The answer is stored as the model gave it, for the researcher.
    const [stored] = await storedQueries(p);
    expect(stored?.response).toContain(EVIL);
  });
});
