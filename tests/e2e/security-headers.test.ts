/**
 * The participant site under its Content-Security-Policy
 * (web/security/headers.server.ts), with JavaScript on and off: the open
 * chat, the study from consent to the chat, the finish and withdraw pages
 * and an error page all work and cause no CSP violation in Chromium; every
 * page carries the policy with a nonce of its own, nosniff, a referrer
 * policy and X-Frame-Options, and the static assets the two baseline
 * headers (public/_headers). And the policy really is enforced: a script
 * injected into the page does not run.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ask,
  BASE_URL,
  enterStudy,
  launchBrowser,
  newParticipant,
  newVisitor,
  type Participant,
  studyPage,
  type TestBrowser,
  waitForHydration,
} from "./support";

const BASELINE = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};
const POLICY =
  /^default-src 'self'; script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'$/;
const isCspMessage = (text: string) => /Content Security Policy/i.test(text);
const NOT_FOUND = "/no-such-page";
/** What Workers Assets serves from build/client (the rest, resource routes among them, is the Worker's). */
const isStaticAsset = (path: string) =>
  path.startsWith("/assets/") || path.startsWith("/graphiql/") || path === "/favicon.svg";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A response as it arrived (its body is gone once the page navigates on, so it is read at once). */
type Arrived = { url: string; status: number; headers: Record<string, string>; body: Promise<string> };
type Seen = { documents: Arrived[]; assets: Arrived[]; violations: string[] };

/**
 * Everything a participant's pages show about the policy: the site's
 * documents and static assets as they arrived, and every CSP violation,
 * from the console and (with JavaScript on) from `securitypolicyviolation`.
 */
async function watch(p: Participant, javaScript: boolean): Promise<Seen> {
  const seen: Seen = { documents: [], assets: [], violations: [] };
  p.context.on("response", (response) => {
    if (!response.url().startsWith(BASE_URL)) return;
    const type = response.request().resourceType();
    const arrived = () => ({
      url: response.url(),
      status: response.status(),
      headers: response.headers(),
      body: response.text().catch(() => ""),
    });
    if (type === "document") seen.documents.push(arrived());
    else if (isStaticAsset(new URL(response.url()).pathname)) seen.assets.push(arrived());
  });
  p.context.on("console", (message) => {
    if (isCspMessage(message.text())) seen.violations.push(`console: ${message.text()}`);
  });
  if (javaScript) {
    await p.context.exposeBinding("reportCspViolation", (_source, violation: string) => {
      seen.violations.push(`event: ${violation}`);
    });
    await p.context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        const report = (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation;
        report(
          `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} on ${e.documentURI}: ${e.sample}`,
        );
      });
    });
  }
  return seen;
}

async function walkTheSite(page: Page, javaScript: boolean) {
  await page.goto("/");
  if (javaScript) await waitForHydration(page);
  await ask(page, "How much coffee is safe per day?");

  await enterStudy(page, newVisitor());
  if (javaScript) await waitForHydration(page);
  await ask(page, "Is coffee good for me?");

  for (const step of ["finish", "withdraw"]) {
    await page.goto(studyPage(step));
    await page.locator(".study[data-step]").waitFor();
  }
  const missing = await page.goto(NOT_FOUND);
  expect(missing?.status()).toBe(404);
  await page.locator("main.error-page").waitFor();
}

describe.each([
  { javaScript: true, label: "on" },
  { javaScript: false, label: "off" },
])("the participant site with JavaScript $label", ({ javaScript }) => {
  it("works under its policy, with no CSP violation, and every page and asset carries its headers", async () => {
    const p = await newParticipant(browser, { javaScriptEnabled: javaScript });
    p.allowConsoleError(/status of 404/, (url) => url.endsWith(NOT_FOUND));
    const seen = await watch(p, javaScript);

    await walkTheSite(p.page, javaScript);
    await p.page.waitForLoadState("networkidle");

    expect(seen.violations).toEqual([]);

    // Redirects render nothing; every page rendered has the headers and a nonce of its own. With
    // JS on: the chat, the consent page, the pages opened by URL and the error page; with JS off
    // also each form's answer.
    const pages = seen.documents.filter((d) => d.status < 300 || d.status >= 400);
    expect(pages.length).toBeGreaterThanOrEqual(javaScript ? 5 : 8);
    const nonces = new Set<string>();
    for (const { url, status, headers, body } of pages) {
      const where = `${status} ${url}`;
      expect(headers, where).toMatchObject({ ...BASELINE, "x-frame-options": "DENY" });
      const nonce = POLICY.exec(headers["content-security-policy"] ?? "")?.[1];
      expect(nonce, `${where}: ${headers["content-security-policy"]}`).toBeDefined();
      if (nonce) nonces.add(nonce);
      // Every script element of the page carries it (Remix's are all inline).
      const scripts = [...(await body).matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
      expect(scripts.length, where).toBeGreaterThan(0);
      for (const script of scripts) expect(script, where).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(pages.length);

    // Workers Assets serves these before the Worker runs: public/_headers gives them the baseline.
    expect(seen.assets.length).toBeGreaterThan(0);
    for (const { url, headers } of seen.assets) expect(headers, url).toMatchObject(BASELINE);
  });
});

describe("the policy", () => {
  it("is enforced: an inline script injected into a page does not run, and Chromium reports it", async () => {
    const p = await newParticipant(browser);
    p.allowConsoleError(/Content Security Policy/);
    const seen = await watch(p, true);
    await p.page.goto("/");
    await waitForHydration(p.page);
    const ran = await p.page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "document.documentElement.dataset.injected = 'ran'";
      document.body.appendChild(script);
      return document.documentElement.dataset.injected === "ran";
    });
    expect(ran).toBe(false);
    await expect.poll(() => seen.violations.some((v) => v.startsWith("event: script-src-elem"))).toBe(true);
    expect(seen.violations.some((v) => v.startsWith("console:"))).toBe(true);
  });
});
