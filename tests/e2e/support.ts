/**
 * Shared helpers of the browser journeys: Chromium with stand-ins for the
 * external sites that answers cite, one fresh browser context (so one fresh
 * participant) per test that fails the test on a console error or an
 * uncaught exception, the chat page's actions, and the researchers' export.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { expect, inject, onTestFinished } from "vitest";
import scriptedLlm from "../../config/scripted-llm.json";
import { CHROMIUM_ARGS, findChromium } from "../support/chromium";

export const BASE_URL = inject("baseUrl");
const RESEARCHER_TOKEN = inject("researcherToken");
/** The store the shared Worker runs on: "d1" (project e2e) or "mongodb-data-api" (project e2e-data-api). */
export const STORE = inject("store");
const DATA_API = inject("dataApi");

/** Where screenshots go for people to look at: outside the repository. */
export const SCREENSHOTS = "/tmp/screens";

/** The default scripted LLM's answer to a question about coffee: what the journeys expect to see. */
export const COFFEE = (() => {
  const rule = scriptedLlm.rules.find((r) => new RegExp(r.pattern, "i").test("coffee"));
  if (!rule) throw new Error("config/scripted-llm.json has no rule for coffee");
  return rule;
})();

// ---------------------------------------------------------------------------
// The external sites (bmj.com, fda.gov, ...), without the internet.
//
// Two ways in, because Playwright never routes the hop after a redirect
// (microsoft/playwright#3994, #33882): a direct navigation or request to an
// external URL is fulfilled by `context.route`; the hop that /out's 302
// leads to reaches Chromium's network stack, so `--host-resolver-rules` sends
// every external host to a local HTTPS server that answers with the same page.

export const isLoopback = (url: URL) => url.hostname === "127.0.0.1" || url.hostname === "localhost";

export const externalPage = (url: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>External page (test stand-in)</title></head>` +
  `<body><h1>External page</h1><p data-url>${url.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p></body></html>`;

type ExternalSites = { port: number; hits: string[]; close(): Promise<void> };

async function startExternalSites(): Promise<ExternalSites> {
  const dir = mkdtempSync(join(tmpdir(), "lsp-e2e-tls-"));
  let key: Buffer;
  let cert: Buffer;
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=external sites of the e2e tests",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    key = readFileSync(join(dir, "key.pem"));
    cert = readFileSync(join(dir, "cert.pem"));
  } catch (error) {
    throw new Error(`The e2e tests need the openssl command for a throwaway TLS certificate: ${error}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const hits: string[] = [];
  const server = createServer({ key, cert }, (request, response) => {
    const url = `https://${request.headers.host?.replace(/:\d+$/, "")}${request.url}`;
    hits.push(url);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(externalPage(url));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestBrowser = {
  browser: Browser;
  /** External URLs that Chromium reached through a redirect (the local HTTPS stand-in). */
  externalHits: string[];
  close(): Promise<void>;
};

/** Launches Debian's Chromium, headless and offline; external hosts resolve to the local stand-in. */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = findChromium();
  if (!executablePath)
    throw new Error("No Chromium found: install it or set CHROMIUM_PATH (see global-setup.ts).");
  const external = await startExternalSites();
  try {
    const browser = await chromium.launch({
      executablePath,
      args: [
        ...CHROMIUM_ARGS,
        `--host-resolver-rules=MAP * 127.0.0.1:${external.port}, EXCLUDE 127.0.0.1, EXCLUDE localhost`,
      ],
    });
    return {
      browser,
      externalHits: external.hits,
      close: async () => {
        await browser.close();
        await external.close();
      },
    };
  } catch (error) {
    await external.close();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Participants: one browser context each.

export type Participant = {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions so far, from every page of the context. */
  problems: string[];
  /**
   * Console errors matching this pattern are expected in the current test;
   * with `from`, only those whose source URL (for "Failed to load resource",
   * the resource's) passes it.
   */
  allowConsoleError(pattern: RegExp, from?: (url: string) => boolean): void;
  /** The participant id the site gave this browser (its lsp_pid cookie). */
  userId(): Promise<string>;
};

/**
 * A new participant: a fresh browser context (cookies, storage) with one page
 * on BASE_URL, or on `options.baseURL` (another Worker under test). It is
 * closed when the test finishes, and the test fails if any page of it logged
 * an unexpected console error or threw.
 */
export async function newParticipant(
  testBrowser: TestBrowser,
  options: BrowserContextOptions = {},
): Promise<Participant> {
  const baseUrl = options.baseURL ?? BASE_URL;
  const context = await testBrowser.browser.newContext({
    baseURL: BASE_URL,
    ignoreHTTPSErrors: true, // the external stand-in's certificate is self-signed
    ...options,
  });
  context.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const allowed: { pattern: RegExp; from?: (url: string) => boolean }[] = [];
  context.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    const where = message.location().url;
    if (allowed.some(({ pattern, from }) => pattern.test(text) && (!from || from(where)))) return;
    problems.push(`console.error on ${message.page()?.url() ?? "?"}: ${text}${where ? ` (${where})` : ""}`);
  });
  context.on("weberror", (error) => {
    problems.push(
      `uncaught on ${error.page()?.url() ?? "?"}: ${error.error().stack ?? error.error().message}`,
    );
  });
  await context.route(
    (url) => !isLoopback(url),
    (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: externalPage(route.request().url()),
      }),
  );
  const page = await context.newPage();

  onTestFinished(async () => {
    await context.close();
    expect(problems, "console errors or uncaught exceptions in the page").toEqual([]);
  });

  return {
    context,
    page,
    problems,
    allowConsoleError: (pattern, from) => allowed.push({ pattern, from }),
    userId: async () => {
      const cookie = (await context.cookies(baseUrl)).find((c) => c.name === "lsp_pid");
      if (!cookie) throw new Error("the site set no lsp_pid cookie");
      return decodeURIComponent(cookie.value);
    },
  };
}

// ---------------------------------------------------------------------------
// The chat page.

/** The answered turns on the page (the pending one has no data-answer-id yet). */
export const turns = (page: Page) => page.locator("main article.turn[data-answer-id]");

/** Waits until React has hydrated the chat form, so a submit goes through Remix, not a full page load. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const form = document.querySelector("form.composer");
    return form !== null && Object.keys(form).some((key) => key.startsWith("__reactProps"));
  });
}

/** Types a question and sends it; resolves with the new answered turn. Works with JS on and off. */
export async function ask(page: Page, question: string): Promise<Locator> {
  const before = await turns(page).count();
  await page.getByLabel("Your message").fill(question);
  await page.getByRole("button", { name: "Send" }).click();
  const turn = turns(page).nth(before);
  await turn.locator(".answer").waitFor();
  expect(await turn.locator(".question").textContent()).toBe(question);
  return turn;
}

/** The stored id of an answered turn (QueryRecord.id; events about it carry it as queryId). */
export async function answerId(turn: Locator): Promise<string> {
  const id = await turn.getAttribute("data-answer-id");
  if (!id) throw new Error("the turn has no data-answer-id");
  return id;
}

// ---------------------------------------------------------------------------
// The researchers' export.

type RecordBase = {
  id: string;
  userId: string;
  sessionId: string;
  prolificStudyId: string | null;
  receivedAt: string;
  clientTime: string | null;
};
export type QueryRecord = RecordBase & {
  __typename: "QueryRecord";
  conversationId: string;
  query: string;
  response: string | null;
  error: string | null;
  model: string;
  latencyMs: number | null;
  sources: { rank: number; title: string; url: string; content: string | null }[];
};
export type EventRecord = RecordBase & {
  __typename: "EventRecord";
  eventId: string;
  eventType: "BROWSE" | "CLICK" | "SCROLL" | "CONVERSION";
  queryId: string | null;
  targetUrl: string | null;
  pageUrl: string | null;
  extraData: Record<string, unknown> | null;
};
export type ExportedRecord = QueryRecord | EventRecord;

const EXPORT = /* GraphQL */ `
  query Export($after: String, $first: Int!, $userIds: [ID!]) {
    export(first: $first, after: $after, filter: { userIds: $userIds }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          __typename id userId sessionId prolificStudyId receivedAt clientTime
          ... on QueryRecord {
            conversationId query response error model latencyMs sources { rank title url content }
          }
          ... on EventRecord { eventId eventType queryId targetUrl pageUrl extraData }
        }
      }
    }
  }
`;

type ExportPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: ExportedRecord }[];
};

/** A Worker to export from: its URL and a researcher token it accepts. */
export type ExportSource = { url: string; researcherToken: string };
const SHARED_WORKER: ExportSource = { url: BASE_URL, researcherToken: RESEARCHER_TOKEN };

/**
 * Every stored record of one participant, oldest first, paging through the
 * export with its cursors. From the shared Worker unless `from` names another.
 */
export async function exportRecords(
  userId: string,
  { pageSize = 100, from = SHARED_WORKER }: { pageSize?: number; from?: ExportSource } = {},
): Promise<ExportedRecord[]> {
  const records: ExportedRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await fetch(`${from.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${from.researcherToken}` },
      body: JSON.stringify({ query: EXPORT, variables: { after, first: pageSize, userIds: [userId] } }),
    });
    const body = (await response.json()) as { data?: { export: ExportPage }; errors?: unknown[] };
    if (!response.ok || body.errors || !body.data)
      throw new Error(`export failed (${response.status}): ${JSON.stringify(body)}`);
    const page: ExportPage = body.data.export;
    records.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) {
      expect(records).toHaveLength(page.totalCount);
      return records;
    }
    after = page.pageInfo.endCursor;
  }
}

export const queriesOf = (records: ExportedRecord[]) =>
  records.filter((r): r is QueryRecord => r.__typename === "QueryRecord");

export const eventsOf = (records: ExportedRecord[], type?: EventRecord["eventType"]) =>
  records.filter((r): r is EventRecord => r.__typename === "EventRecord" && (!type || r.eventType === type));

/**
 * Polls the participant's export until `select` returns something (not
 * undefined), and returns it: the tracker sends its batches every 2 s.
 */
export async function waitForExport<T>(
  userId: string,
  select: (records: ExportedRecord[]) => T | undefined,
  message: string,
  timeout = 15_000,
): Promise<T> {
  let found: T | undefined;
  // On a timeout the failure shows what the export had instead.
  await expect
    .poll(
      async () => {
        const records = await exportRecords(userId);
        found = select(records);
        return found !== undefined ? "found" : summary(records);
      },
      { timeout, interval: 250, message },
    )
    .toBe("found");
  return found as T;
}

const summary = (records: ExportedRecord[]) =>
  records
    .map((r) =>
      r.__typename === "QueryRecord"
        ? `QUERY(${r.query})`
        : `${r.eventType}(${r.targetUrl ?? JSON.stringify(r.extraData ?? {})})`,
    )
    .join(", ") || "nothing";

// ---------------------------------------------------------------------------
// The store behind the shared Worker.

/** What the shared Worker's `status` says about its store. */
export async function storeStatus(): Promise<{ name: string; ok: boolean; detail: string | null }> {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ status { store { name ok detail } } }" }),
  });
  const body = (await response.json()) as {
    data?: { status: { store: { name: string; ok: boolean; detail: string | null } } };
  };
  if (!response.ok || !body.data)
    throw new Error(`status failed (${response.status}): ${JSON.stringify(body)}`);
  return body.data.status.store;
}

/**
 * On the Data API (project e2e-data-api): the documents of one collection that
 * match `filter`, read straight from the Data API server the Worker stores in
 * (plain JSON: dates come back as ISO strings).
 */
export async function dataApiFind(
  collection: "queries" | "events",
  filter: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  if (!DATA_API) throw new Error(`the Worker runs on ${STORE}, not on the Data API`);
  const response = await fetch(`${DATA_API.url}/action/find`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      authorization: `Basic ${btoa(`${DATA_API.user}:${DATA_API.password}`)}`,
    },
    body: JSON.stringify({ database: DATA_API.database, collection, filter }),
  });
  const body = (await response.json()) as { documents?: Record<string, unknown>[] };
  if (!response.ok || !body.documents)
    throw new Error(`Data API find failed (${response.status}): ${JSON.stringify(body)}`);
  return body.documents;
}
