/**
 * Participants: one fresh browser context each, that fails the test on a
 * console error or an uncaught exception.
 */
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { expect, onTestFinished } from "vitest";
import { externalPage, isLoopback, type TestBrowser } from "./browser";
import { BASE_URL } from "./env";

/** The ids in a session token (lsp1.<base64url JSON>.<signature>): what the server issued. */
export function sessionOf(token: string): { userId: string; sessionId: string } {
  const payload = token.split(".")[1] ?? "";
  const json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { u: string; s: string };
  return { userId: json.u, sessionId: json.s };
}

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
  /** The participant id the site issued this browser (in its session cookie's signed payload). */
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
      // The site's session, or else an embeddable study's own (MTurk's studies are framed by the HIT page).
      const cookies = await context.cookies(baseUrl);
      const cookie =
        cookies.find((c) => c.name.endsWith("lsp_session")) ??
        cookies.find((c) => c.name.endsWith("lsp_embed"));
      if (!cookie) throw new Error("the site set no session cookie");
      return sessionOf(cookie.value).userId;
    },
  };
}
