/**
 * STORE=mongodb in workerd: the official driver is bundled into the Worker
 * and imported lazily. No MongoDB server can run here, so the Worker points
 * at a closed port. What it proves: the driver loads and runs in workerd,
 * `status` reports the store unreachable (naming the database, no secret),
 * writes answer STORE_UNAVAILABLE, and a participant still gets the chat
 * page, and whose message could not be stored keeps it in the box, with a
 * message saying to try again.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type DevServer, freePort, startDevServer } from "../../scripts/dev-server";
import { launchBrowser, newParticipant, type TestBrowser, waitForHydration } from "./support";

const PASSWORD = "drv-s3cret-password";
const ACTION_503 =
  /^Failed to load resource: the server responded with a status of 503 \(Service Unavailable\)$/;

let browser: TestBrowser;
let worker: DevServer;

async function graphql(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${worker.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as {
    data: Record<string, unknown> | null;
    errors?: { message: string; extensions: { code: string } }[];
  };
}

beforeAll(async () => {
  // A port nothing listens on: taken, then released.
  const closed = await freePort();
  worker = await startDevServer({
    port: await freePort(),
    vars: {
      STORE: "mongodb",
      MONGODB_URI: `mongodb://study:${PASSWORD}@127.0.0.1:${closed}/?directConnection=true`,
      MONGODB_DATABASE: "llm_study_driver_e2e",
      MONGODB_TIMEOUT_MS: "1000",
      SESSION_SECRETS: inject("sessionSecret"),
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

describe("STORE=mongodb with the database unreachable", () => {
  it("status names the adapter and database, says it is not reachable, and shows no secret", async () => {
    const result = await graphql("{ status { ok store { name ok latencyMs detail } } }");
    expect(result.errors).toBeUndefined();
    expect(result.data?.status).toEqual({
      ok: false,
      store: {
        name: "mongodb",
        ok: false,
        latencyMs: null,
        detail: "database llm_study_driver_e2e is not reachable (MongoServerSelectionError)",
      },
    });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it("a write answers STORE_UNAVAILABLE", async () => {
    // Starting a session needs no database (the credential is signed, not stored).
    const started = await graphql("mutation { startSession { token userId sessionId } }");
    const session = started.data?.startSession as { token: string; userId: string; sessionId: string };
    expect(session.token).toMatch(/^lsp1\./);
    const result = await graphql(
      `mutation { logEvent(input: {eventId: "e-1", userId: "${session.userId}", sessionId: "${session.sessionId}", eventType: BROWSE}) { duplicate } }`,
      { "x-participant-token": session.token },
    );
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions.code).toBe("STORE_UNAVAILABLE");
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it("a participant whose message could not be stored keeps it, with a message to try again", async () => {
    const p = await newParticipant(browser, { baseURL: worker.url });
    // The tracker's batches cannot be stored either: /t answers 503 (and they stay queued).
    p.allowConsoleError(ACTION_503, (url) => URL.canParse(url) && new URL(url).pathname === "/t");
    const { page } = p;
    // The chat opens (without the list of conversations, which needs the database).
    await page.goto("/");
    await waitForHydration(page);
    expect(await page.locator("nav.history").count()).toBe(0);
    await page.getByLabel("Your message").fill("Is coffee healthy?");
    const streamed = page.waitForResponse((r) => new URL(r.url()).pathname === "/stream");
    await page.getByRole("button", { name: "Send" }).click();
    expect((await streamed).status()).toBe(200); // the error comes at the end of the stream
    await expect
      .poll(() => page.getByRole("alert").textContent(), { timeout: 15_000 })
      .toMatch(/database is unavailable.*try again/i);
    expect(await page.getByLabel("Your message").inputValue()).toBe("Is coffee healthy?");
    expect(await page.locator("main article.turn.pending").count()).toBe(0);
  });
});
