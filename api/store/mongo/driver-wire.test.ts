/**
 * What the store on the official driver (driver.ts) does when the MongoDB
 * server misbehaves, shown against the wire-protocol test server over real
 * TCP: a connection reset mid-command, an answer slower than
 * MONGODB_TIMEOUT_MS, and a write applied whose answer is lost, on a
 * standalone (no retryable writes) and on a replica-set primary (retryable
 * writes). Every failure the app sees is StoreUnavailableError (the API's
 * STORE_UNAVAILABLE), and nothing waits longer than the timeout.
 */
import { MongoClient } from "mongodb";
import { afterEach, describe, expect, it } from "vitest";
import { newEvents, newQuery, uid } from "../../../tests/store-contract/shared";
import {
  type MongoWireServer,
  type MongoWireServerOptions,
  startMongoWireServer,
} from "../../../tests/support/mongo-wire-server";
import { type Store, StoreUnavailableError, withStoreErrors } from "../store";
import { closeDriverClients, createDriverDatabase } from "./driver";
import { createMongoStore } from "./store";

const DB = "faults";
const servers: MongoWireServer[] = [];

async function start(timeoutMs = 2000, options: MongoWireServerOptions = {}) {
  const server = await startMongoWireServer(options);
  servers.push(server);
  const store: Store = withStoreErrors(
    createMongoStore(createDriverDatabase({ uri: server.uri, database: DB, timeoutMs })),
  );
  // Connected and indexed before the fault, so the fault meets the command under test.
  await store.getQuery("warm-up");
  return { server, store };
}

afterEach(async () => {
  await closeDriverClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** How long `run` took, and what it threw (or undefined). */
async function timed(run: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ms: performance.now() - started, error };
}

const inserts = (server: MongoWireServer) => server.operations().filter((c) => c.name === "insert");

describe("a connection reset mid-command", () => {
  it("fails a write with StoreUnavailableError; the next write reconnects and is stored", async () => {
    const { server, store } = await start();
    const userId = uid("user");
    server.failNext(1, { command: "insert", reset: true });
    const { error } = await timed(() => store.recordEvents(newEvents(2, { userId })));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).cause).toMatchObject({ message: "read ECONNRESET" });
    expect(server.documents(DB, "events")).toEqual([]);
    const recorded = await store.recordEvents(newEvents(2, { userId }));
    expect(recorded.map((r) => r.duplicate)).toEqual([false, false]);
    expect(server.documents(DB, "events")).toHaveLength(2);
  });

  it("is retried once by the driver on a read (retryReads); two resets in a row fail it", async () => {
    const { server, store } = await start();
    const q = newQuery({ userId: uid("user") });
    await store.recordQuery(q);
    server.failNext(1, { command: "find", reset: true });
    expect((await store.getQuery(q.id))?.id).toBe(q.id);
    server.failNext(2, { command: "find", reset: true });
    await expect(store.getQuery(q.id)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe("an answer slower than MONGODB_TIMEOUT_MS", () => {
  it("a write gives up at the timeout with StoreUnavailableError, not when the server answers", async () => {
    const { server, store } = await start(400);
    server.failNext(1, { command: "insert", delayMs: 5000 });
    const { ms, error } = await timed(() => store.recordQuery(newQuery({ userId: uid("user") })));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).cause).toMatchObject({ name: "MongoOperationTimeoutError" });
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(1500);
  });

  it("a read retried by the driver still ends within one timeout in all, and ping says so", async () => {
    const { server, store } = await start(400);
    server.failNext(2, { command: "find", delayMs: 5000 });
    const { ms, error } = await timed(() => store.getQuery("q-slow"));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    // One 400 ms deadline for both attempts (each alone would wait 5 s), with room for a loaded machine.
    expect(ms).toBeLessThan(1500);
    server.failNext(1, { command: "ping", delayMs: 5000 });
    const health = await store.ping();
    expect(health).toMatchObject({ ok: false, latencyMs: null });
    expect(health.detail).toBe(`database ${DB} is not reachable (MongoOperationTimeoutError)`);
  });

  it("(why not the driver's timeoutMS: driver 7.9 ignores it and waits for the slow answer)", async () => {
    const server = await startMongoWireServer();
    servers.push(server);
    const client = await new MongoClient(server.uri, { timeoutMS: 200 }).connect();
    try {
      server.failNext(1, { command: "find", delayMs: 1200 });
      const { ms, error } = await timed(() => client.db(DB).collection("q").find({}).toArray());
      expect(error).toBeUndefined();
      expect(ms).toBeGreaterThanOrEqual(1100);
    } finally {
      await client.close();
    }
  });
});

describe("a write applied whose answer is lost (the connection resets after the server stored it)", () => {
  it("standalone: no retryable writes, so the caller sees StoreUnavailableError; a resend is stored once", async () => {
    const { server, store } = await start();
    const events = newEvents(3, { userId: uid("user") });
    server.failNext(1, { command: "insert", applied: true, reset: true });
    await expect(store.recordEvents(events)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(server.documents(DB, "events")).toHaveLength(3);
    expect(inserts(server).map((c) => c.body.txnNumber)).toEqual([undefined]);
    // The tracker keeps the batch and sends it again: each event is already there, stored once.
    const again = await store.recordEvents(events);
    expect(again.map((r) => r.duplicate)).toEqual([true, true, true]);
    expect(server.documents(DB, "events")).toHaveLength(3);
    // A query whose answer was lost and that is sent again (same id) answers the stored record.
    const q = newQuery({ userId: uid("user") });
    server.failNext(1, { command: "insert", applied: true, reset: true });
    await expect(store.recordQuery(q)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.recordQuery(q)).id).toBe(q.id);
    expect(server.documents(DB, "queries").filter((d) => d._id === q.id)).toHaveLength(1);
  });

  it("standalone: a budget use whose answer was lost stays counted (it errs on the safe side)", async () => {
    const { server, store } = await start();
    const key = uid("budget");
    expect(await store.takeBudget(key, 5)).toBe(true);
    server.failNext(1, { command: "update", applied: true, reset: true });
    await expect(store.takeBudget(key, 5)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(server.documents(DB, "budgets")).toEqual([{ _id: key, used: 2 }]);
  });

  it("replica-set primary: the driver retries the write with the same txnNumber and the server answers it once", async () => {
    const { server, store } = await start(2000, { replicaSet: "rs0" });
    const events = newEvents(3, { userId: uid("user") });
    server.failNext(1, { command: "insert", applied: true, reset: true });
    const recorded = await store.recordEvents(events);
    expect(recorded.map((r) => r.duplicate)).toEqual([false, false, false]);
    expect(server.documents(DB, "events")).toHaveLength(3);
    const [first, retry] = inserts(server);
    expect(first?.body.txnNumber).toBeDefined();
    expect(retry?.body.txnNumber).toEqual(first?.body.txnNumber);
    expect(retry?.body.lsid).toEqual(first?.body.lsid);
    expect(retry?.replayed).toBe(true);
    expect(retry?.connection).not.toBe(first?.connection);
    // $inc too: the retried update is not applied twice.
    const key = uid("budget");
    expect(await store.takeBudget(key, 5)).toBe(true);
    server.failNext(1, { command: "update", applied: true, reset: true });
    expect(await store.takeBudget(key, 5)).toBe(true);
    expect(server.documents(DB, "budgets")).toEqual([{ _id: key, used: 2 }]);
  });
});
