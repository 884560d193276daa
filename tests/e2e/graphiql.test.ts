/**
 * GraphiQL, served by the app itself at /graphql, works with no internet:
 * every request that does not go to the app is blocked. It runs under a
 * Content-Security-Policy of its own (api/graphiql.ts) without violating it,
 * and a researcher token typed under "Headers" is never kept in the
 * browser's storage.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isLoopback,
  launchBrowser,
  newParticipant,
  type Participant,
  RESEARCHER_TOKEN,
  SCREENSHOTS,
  type TestBrowser,
} from "./support";

const POLICY =
  /^default-src 'self'; script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)'; style-src 'self' 'unsafe-inline'; worker-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/;

/** Every CSP violation in the context's pages: from the console, and as `securitypolicyviolation` events. */
async function cspViolations(p: Participant): Promise<string[]> {
  const violations: string[] = [];
  p.context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  await p.context.exposeBinding("reportCspViolation", (_source, violation: string) => {
    violations.push(`event: ${violation}`);
  });
  await p.context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}: ${e.sample}`);
    });
  });
  return violations;
}

/** Opens GraphiQL and waits for its query editor. */
async function openGraphiQL(page: Page) {
  const response = await page.goto("/graphql", { waitUntil: "load" });
  await page.locator(".graphiql-query-editor .monaco-editor").waitFor();
  return response;
}

/** Replaces the text of a Monaco editor, as a developer would. */
async function typeInto(page: Page, editor: string, text: string) {
  await page.locator(editor).click();
  await page.keyboard.press("ControlOrMeta+KeyA");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

const QUERY_EDITOR = ".graphiql-query-editor .monaco-editor";
const HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor";
/** Monaco renders spaces as no-break spaces. */
const resultOf = async (page: Page) =>
  ((await page.locator(".graphiql-response").textContent()) ?? "").replace(/\u00a0/g, " ");

/** Everything the page's origin keeps in localStorage, keys and values. */
const localStorageOf = (page: Page) => page.evaluate(() => JSON.stringify({ ...localStorage }));

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

describe("GraphiQL", () => {
  it("renders offline from the app's own assets, under its policy, and runs { status { ok } }", async () => {
    const p = await newParticipant(browser);
    const { page } = p;
    const violations = await cspViolations(p);
    const blocked: string[] = [];
    await page.route(
      (url) => !isLoopback(url),
      (route) => {
        blocked.push(route.request().url());
        return route.abort("blockedbyclient");
      },
    );
    const workers: string[] = [];
    page.on("worker", (worker) => workers.push(new URL(worker.url()).pathname));

    const response = await openGraphiQL(page);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers["content-type"]).toContain("text/html");
    expect(headers["content-security-policy"]).toMatch(POLICY);
    expect(headers).toMatchObject({
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    // The editor opens with the platform's example, whose first operation is the health check.
    const shown = async () =>
      ((await page.locator(".graphiql-query-editor").textContent()) ?? "").replace(/\s+/g, " ");
    await expect.poll(shown).toContain("{ status { ok version");
    await page.screenshot({ path: join(SCREENSHOTS, "graphiql-example.png") });

    // Replace it with the query to run, as a developer would, then run it with Ctrl-Enter.
    await typeInto(page, QUERY_EDITOR, "{ status { ok } }");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => resultOf(page), { timeout: 15_000 }).toMatch(/"ok":\s*true/);
    expect(JSON.parse(await resultOf(page))).toEqual({ data: { status: { ok: true } } });

    // Monaco's workers came from the app too.
    expect(workers).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/graphiql\/monacoeditorwork\/editor\.worker/)]),
    );
    expect(blocked).toEqual([]);
    expect(violations).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "graphiql.png") });
  });

  it("uses a researcher token typed under Headers, and keeps it nowhere once the page reloads", async () => {
    const p = await newParticipant(browser);
    const { page } = p;
    const violations = await cspViolations(p);
    await openGraphiQL(page);

    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    await typeInto(page, HEADERS_EDITOR, JSON.stringify({ Authorization: `Bearer ${RESEARCHER_TOKEN}` }));
    // A query only a researcher may run: the token was sent.
    await typeInto(page, QUERY_EDITOR, "{ export(first: 1) { totalCount } }");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => resultOf(page), { timeout: 15_000 }).toMatch(/"totalCount":\s*\d+/);
    await page.screenshot({ path: join(SCREENSHOTS, "graphiql-headers.png") });
    // GraphiQL writes its state (the tabs, the query) after a short delay: give it the chance.
    await page.waitForTimeout(1_000);
    expect(await localStorageOf(page)).not.toContain(RESEARCHER_TOKEN);

    await page.reload();
    await page.locator(QUERY_EDITOR).waitFor();
    expect(await localStorageOf(page)).not.toContain(RESEARCHER_TOKEN);
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).not.toContain(RESEARCHER_TOKEN);
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    expect(await page.locator(".graphiql-editor-tool").textContent()).not.toContain(RESEARCHER_TOKEN);
    expect(violations).toEqual([]);
  });

  it("removes a token that an earlier version kept in localStorage", async () => {
    const { page } = await newParticipant(browser);
    await openGraphiQL(page);
    const authorization = JSON.stringify({ Authorization: `Bearer ${RESEARCHER_TOKEN}` });
    await page.evaluate((headers) => {
      localStorage.setItem("graphiql:headers", headers);
      const tab = { id: "tab-1", hash: null, title: "old", query: "{ status { ok } }", headers };
      localStorage.setItem("graphiql:tabState", JSON.stringify({ tabs: [tab], activeTabIndex: 0 }));
    }, authorization);

    await page.reload();
    await page.locator(QUERY_EDITOR).waitFor();
    expect(await localStorageOf(page)).not.toContain(RESEARCHER_TOKEN);
  });
});
