import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DataApiServer, startDataApiServer } from "../../../tests/support/data-api-server";
import { DuplicateKeyError, type MongoDatabase } from "./collection";
import { createDataApiDatabase, type DataApiAuth, DataApiError } from "./data-api";

const DB = "adapter_test";
const SECRET = "s3cret-data-api-key-0123";

function database(
  server: DataApiServer,
  auth: DataApiAuth,
  extra: { retries?: number; timeoutMs?: number } = {},
) {
  return createDataApiDatabase({
    url: server.url,
    dataSource: "mongodb-atlas",
    database: DB,
    auth,
    timeoutMs: extra.timeoutMs ?? 2000,
    retries: extra.retries ?? 2,
    backoffMs: 5,
  });
}

describe.each([
  ["atlas", { kind: "api-key", key: SECRET }],
  ["atlas", { kind: "bearer", token: SECRET }],
  ["ferretdb", { kind: "basic", user: "study", password: SECRET }],
] as const)("the Data API client (%s dialect, %o)", (dialect, auth) => {
  let server: DataApiServer;
  let db: MongoDatabase;

  beforeAll(async () => {
    server = await startDataApiServer({
      dialect,
      auth:
        auth.kind === "api-key"
          ? { apiKey: SECRET }
          : auth.kind === "bearer"
            ? { bearer: SECRET }
            : { basic: { user: "study", password: SECRET } },
    });
    db = database(server, auth);
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it("stores and finds documents, Dates and nested values intact (Canonical EJSON both ways)", async () => {
    const when = new Date("2026-11-25T16:28:52.123Z");
    const queries = db.collection("queries");
    await queries.insertOne({
      _id: "e1",
      received_at: when,
      extra_data: { depth: 0.5, list: [1, "two", null] },
    });
    await queries.insertMany([
      { _id: "e2", received_at: new Date(when.getTime() + 1) },
      { _id: "e3", received_at: new Date(when.getTime() + 2) },
    ]);
    const found = await queries.find(
      { received_at: { $gte: when } },
      { sort: { received_at: -1 }, limit: 2 },
    );
    expect(found.map((d) => d._id)).toEqual(["e3", "e2"]);
    const [first] = await queries.find({ _id: "e1" });
    expect(first?.received_at).toBeInstanceOf(Date);
    expect(first?.received_at instanceof Date ? first.received_at.toISOString() : null).toBe(
      when.toISOString(),
    );
    expect(first?.extra_data).toEqual({ depth: 0.5, list: [1, "two", null] });
    const request = server.requests.find((r) => r.action === "insertOne");
    expect(request?.headers["content-type"]).toBe("application/ejson");
    expect(request?.raw).toContain('"$date"');
  });

  it("aggregates, with $count answering [] when nothing matches", async () => {
    const queries = db.collection("queries");
    await queries.insertMany([
      { _id: "q1", n: 1 },
      { _id: "q2", n: 2 },
    ]);
    expect(await queries.aggregate([{ $match: { n: { $gt: 0 } } }, { $count: "n" }])).toEqual([{ n: 2 }]);
    expect(await queries.aggregate([{ $match: { n: 99 } }, { $count: "n" }])).toEqual([]);
  });

  it("reports a refused duplicate as DuplicateKeyError, and does not retry it", async () => {
    const queries = db.collection("queries");
    await queries.insertOne({ _id: "dup" });
    await expect(
      queries.insertMany([{ _id: "new-1" }, { _id: "dup" }, { _id: "new-2" }]),
    ).rejects.toBeInstanceOf(DuplicateKeyError);
    // Ordered, like MongoDB: the document before the duplicate was stored, the one after was not.
    expect(server.documents(DB, "queries").map((d) => d._id)).toEqual(["dup", "new-1"]);
    expect(server.requests.filter((r) => r.action === "insertMany")).toHaveLength(1);
  });

  it("pings", async () => {
    await expect(db.ping()).resolves.toBeUndefined();
  });
});

describe("the Data API client on failures", () => {
  let server: DataApiServer;
  const auth = { kind: "api-key", key: SECRET } as const;

  beforeAll(async () => {
    server = await startDataApiServer({ auth: { apiKey: SECRET } });
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  const insertCalls = () => server.requests.filter((r) => r.action === "insertOne").length;

  it("retries 5xx, 429 and resets with backoff, then succeeds", async () => {
    server.fail({ status: 503 }, { status: 429, retryAfter: 0 }, { reset: true });
    const db = database(server, auth, { retries: 3 });
    await db.collection("queries").insertOne({ _id: "after-faults" });
    expect(insertCalls()).toBe(4);
    expect(server.documents(DB, "queries")).toHaveLength(1);
  });

  it("gives up after the configured retries with an error that names the action and status", async () => {
    server.failNext(3, { status: 500 });
    const db = database(server, auth, { retries: 2 });
    const error = await db
      .collection("queries")
      .insertOne({ _id: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataApiError);
    expect((error as Error).message).toMatch(/insertOne failed with HTTP 500/);
    expect(insertCalls()).toBe(3);
    expect(server.documents(DB, "queries")).toHaveLength(0);
  });

  it("times out a request that does not answer, and retries it", async () => {
    server.failNext(1, { delayMs: 1500 });
    const db = database(server, auth, { retries: 1, timeoutMs: 300 });
    await db.collection("queries").insertOne({ _id: "slow" });
    expect(insertCalls()).toBe(2);
    server.failNext(2, { delayMs: 1500 });
    const error = await db
      .collection("queries")
      .insertOne({ _id: "never" })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/did not answer within 300 ms/);
  });

  it("does not retry a 4xx that is the caller's, and never shows the credentials", async () => {
    const wrong = database(server, { kind: "api-key", key: "wrong-key-but-long-enough" });
    const error = await wrong
      .collection("queries")
      .insertOne({ _id: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataApiError);
    expect((error as DataApiError).status).toBe(401);
    expect(insertCalls()).toBe(1);
    expect((error as Error).message).not.toContain("wrong-key-but-long-enough");
    expect((error as Error).message).not.toContain(SECRET);
  });

  it("refuses an answer that is not EJSON", async () => {
    server.failNext(1, { malformed: true, action: "find" });
    const db = database(server, auth);
    await expect(db.collection("queries").find({})).rejects.toThrow(/not EJSON/);
  });

  it("a write stored whose answer was lost meets its own _id on the retry (the store resolves that)", async () => {
    server.failNext(1, { status: 503, applied: true, action: "insertOne" });
    const db = database(server, auth, { retries: 1 });
    await expect(db.collection("queries").insertOne({ _id: "q-lost-answer" })).rejects.toBeInstanceOf(
      DuplicateKeyError,
    );
    expect(server.documents(DB, "queries")).toHaveLength(1);
  });
});
