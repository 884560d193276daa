/**
 * STORE=mongodb in workerd: the official driver is bundled into the Worker
 * and imported lazily. Two Workers:
 * - one pointing at a closed port: `status` reports the store unreachable
 *   (naming the database, no secret), writes answer STORE_UNAVAILABLE, and a
 *   participant still gets the chat page, and whose message could not be
 *   stored keeps it in the box, with a message saying to try again;
 * - one on the MongoDB wire-protocol test server (run here, over loopback
 *   TCP): requests one after another and at once each get connections of
 *   their own, closed after them (a socket of one request cannot serve
 *   another in workerd: docs/decisions/011-mongodb-connections.md), and a
 *   server that answers too late makes a request fail at MONGODB_TIMEOUT_MS
 *   instead of hanging.
 * The browser journeys on this store run in the e2e-mongodb project.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type DevServer, freePort, startDevServer } from "../../scripts/dev-server";
import { type MongoWireServer, startMongoWireServer } from "../support/mongo-wire-server";
import { launchBrowser, newParticipant, type TestBrowser, waitForHydration } from "./support";

const PASSWORD = "drv-s3cret-password";
const ACTION_503 =
  /^Failed to load resource: the server responded with a status of 503 \(Service Unavailable\)$/;

let browser: TestBrowser;
let worker: DevServer;
let wire: MongoWireServer;
let wired: DevServer;
const WIRE_TIMEOUT_MS = 1000;

async function graphql(query: string, headers: Record<string, string> = {}, on: DevServer = worker) {
  const response = await fetch(`${on.url}/graphql`, {
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
  wire = await startMongoWireServer();
  wired = await startDevServer({
    port: await freePort(),
    vars: {
      STORE: "mongodb",
      MONGODB_URI: wire.uri,
      MONGODB_DATABASE: "llm_study_driver_e2e",
      MONGODB_TIMEOUT_MS: String(WIRE_TIMEOUT_MS),
      SESSION_SECRETS: inject("sessionSecret"),
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await wired?.stop();
  await wire?.close();
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

describe("STORE=mongodb on the wire-protocol test server", () => {
  type Session = { token: string; userId: string; sessionId: string };
  const startSession = async (): Promise<Session> =>
    (await graphql("mutation { startSession { token userId sessionId } }", {}, wired)).data
      ?.startSession as Session;
  const logEvent = (s: Session, eventId: string) =>
    graphql(
      `mutation { logEvent(input: {eventId: "${eventId}", userId: "${s.userId}", sessionId: "${s.sessionId}", eventType: BROWSE}) { duplicate } }`,
      { "x-participant-token": s.token },
      wired,
    );
  const stored = (eventId: string) =>
    wire.documents("llm_study_driver_e2e", "events").filter((d) => d._id === eventId);
  /** Waits until every connection the Worker opened is closed again. */
  const allClosed = () => expect.poll(() => wire.connections().open, { timeout: 5000 }).toBe(0);

  it("requests one after another each connect, store, and close their connections after them", async () => {
    const session = await startSession();
    for (let i = 0; i < 3; i++) {
      const before = wire.connections().opened;
      const id = `seq-${i}-${crypto.randomUUID()}`;
      const result = await logEvent(session, id);
      expect(result).toEqual({ data: { logEvent: { duplicate: false } } });
      expect(stored(id)).toHaveLength(1);
      expect(wire.connections().opened).toBeGreaterThan(before);
      await allClosed();
    }
    const status = await graphql("{ status { store { name ok detail } } }", {}, wired);
    expect(status.data?.status).toEqual({
      store: { name: "mongodb", ok: true, detail: "database llm_study_driver_e2e" },
    });
  });

  it("eight requests at once all succeed, each on its own connections", async () => {
    const session = await startSession();
    const ids = Array.from({ length: 8 }, (_, i) => `con-${i}-${crypto.randomUUID()}`);
    const before = wire.connections().opened;
    const results = await Promise.all(ids.map((id) => logEvent(session, id)));
    for (const result of results) expect(result).toEqual({ data: { logEvent: { duplicate: false } } });
    for (const id of ids) expect(stored(id)).toHaveLength(1);
    expect(wire.connections().opened - before).toBeGreaterThanOrEqual(ids.length);
    await allClosed();
  });

  it("an answer slower than MONGODB_TIMEOUT_MS fails the request with STORE_UNAVAILABLE, without hanging", async () => {
    const session = await startSession();
    const id = `slow-${crypto.randomUUID()}`;
    wire.failNext(1, { command: "insert", delayMs: 20_000 });
    const started = performance.now();
    const result = await logEvent(session, id);
    const ms = performance.now() - started;
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions.code).toBe("STORE_UNAVAILABLE");
    expect(ms).toBeLessThan(WIRE_TIMEOUT_MS + 2000);
    // The next request is served normally.
    expect(await logEvent(session, id)).toEqual({ data: { logEvent: { duplicate: false } } });
  });
});
