/**
 * GraphiQL, served by the app itself at /graphql, works with no internet:
 * every request that does not go to the app is blocked.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopback, launchBrowser, newParticipant, SCREENSHOTS, type TestBrowser } from "./support";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

describe("GraphiQL", () => {
  it("renders offline from the app's own assets and runs { status { ok } }", async () => {
    const { page } = await newParticipant(browser);
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

    const response = await page.goto("/graphql", { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toContain("text/html");
    const editor = page.locator(".graphiql-query-editor .monaco-editor");
    await editor.waitFor();
    // The editor opens with the platform's example, whose first operation is the health check.
    const shown = async () =>
      ((await page.locator(".graphiql-query-editor").textContent()) ?? "").replace(/\s+/g, " ");
    await expect.poll(shown).toContain("{ status { ok version");
    await page.screenshot({ path: join(SCREENSHOTS, "graphiql-example.png") });

    // Replace it with the query to run, as a developer would, then run it with Ctrl-Enter.
    await editor.click();
    await page.keyboard.press("ControlOrMeta+KeyA");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText("{ status { ok } }");
    await page.keyboard.press("ControlOrMeta+Enter");
    // Monaco renders spaces as no-break spaces.
    const result = async () =>
      ((await page.locator(".graphiql-response").textContent()) ?? "").replace(/\u00a0/g, " ");
    await expect.poll(result, { timeout: 15_000 }).toMatch(/"ok":\s*true/);
    expect(JSON.parse(await result())).toEqual({ data: { status: { ok: true } } });

    // Monaco's workers came from the app too.
    expect(workers).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/graphiql\/monacoeditorwork\/editor\.worker/)]),
    );
    expect(blocked).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "graphiql.png") });
  });
});
