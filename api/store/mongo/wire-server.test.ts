/**
 * The wire-protocol test server (tests/support/mongo-wire-server.ts) with
 * the real `mongodb` driver as its client over TCP, and, for what the driver
 * never sends (document sequences of our choosing, a checksum, a bad one), a
 * raw socket.
 */
import { connect } from "node:net";
import { type Document, Long } from "bson";
import { MongoClient, MongoServerError } from "mongodb";
import { afterEach, describe, expect, it } from "vitest";
import { decodeReply, encodeOpMsg } from "../../../tests/support/mongo-wire/protocol";
import { type MongoWireServer, startMongoWireServer } from "../../../tests/support/mongo-wire-server";

const servers: MongoWireServer[] = [];
const clients: MongoClient[] = [];

async function start(options: Parameters<typeof startMongoWireServer>[0] = {}) {
  const server = await startMongoWireServer(options);
  servers.push(server);
  const client = await new MongoClient(server.uri, { serverSelectionTimeoutMS: 2000 }).connect();
  clients.push(client);
  // Our documents' _id are strings and numbers, not the driver's default ObjectId.
  const db = client.db("wire");
  const collection = (name: string) => db.collection<{ _id: unknown } & Document>(name);
  return { server, client, db, collection };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Sends raw messages on one connection and collects one answer per message (or the close). */
async function raw(server: MongoWireServer, messages: Buffer[]): Promise<(Document | "closed")[]> {
  const socket = connect(server.port, "127.0.0.1");
  const answers: (Document | "closed")[] = [];
  let buffered = Buffer.alloc(0);
  await new Promise<void>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const length = buffered.readInt32LE(0);
        answers.push(decodeReply(buffered.subarray(0, length)).reply);
        buffered = buffered.subarray(length);
        if (answers.length === messages.length) resolve();
      }
    });
    socket.on("close", () => {
      while (answers.length < messages.length) answers.push("closed");
      resolve();
    });
    socket.on("error", () => {});
    for (const m of messages) socket.write(m);
  });
  socket.destroy();
  return answers;
}

describe("the MongoDB wire-protocol test server, through the real driver", () => {
  it("answers the legacy OP_QUERY handshake, then every command comes as OP_MSG with lsid and $db", async () => {
    const { server, db, collection } = await start();
    await collection("events").insertOne({ _id: "a" });
    const [first] = server.commands;
    expect(first).toMatchObject({ opCode: "OP_QUERY", db: "admin" });
    expect(["ismaster", "isMaster", "hello"]).toContain(first?.name);
    expect(first?.body.helloOk).toBe(true);
    const ops = server.operations();
    expect(ops.map((c) => c.name)).toEqual(["insert"]);
    for (const op of ops) {
      expect(op.opCode).toBe("OP_MSG");
      expect(op.db).toBe("wire");
      expect(op.body.lsid).toEqual({ id: expect.anything() });
    }
    // A standalone: no txnNumber (retryable writes need a replica set).
    expect(ops[0]?.body.txnNumber).toBeUndefined();
    expect(await db.command({ buildInfo: 1 })).toMatchObject({ version: "7.0.0", ok: 1 });
  });

  it("is told on close to end the sessions the commands used (endSessions with their lsid)", async () => {
    const { server, client, db } = await start();
    await db.command({ ping: 1 });
    const lsid = server.operations()[0]?.body.lsid;
    await client.close();
    await expect.poll(() => server.operations().map((c) => c.name)).toEqual(["ping", "endSessions"]);
    expect(server.operations()[1]?.body.endSessions).toEqual([lsid]);
  });

  it("refuses a duplicate of a unique index made by createIndexes with 11000, keyPattern and keyValue", async () => {
    const { server, db, collection } = await start();
    const events = collection("events");
    await events.createIndexes([{ key: { event_id: 1 }, name: "event_id_1", unique: true }]);
    expect(server.indexes("wire", "events")).toEqual([
      { key: { _id: 1 }, name: "_id_" },
      { key: { event_id: 1 }, name: "event_id_1", unique: true },
    ]);
    await events.insertOne({ _id: "a", event_id: "e1" });
    const error = await events.insertOne({ _id: "b", event_id: "e1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({
      code: 11000,
      keyPattern: { event_id: 1 },
      keyValue: { event_id: "e1" },
      message:
        'E11000 duplicate key error collection: wire.events index: event_id_1 dup key: { event_id: "e1" }',
    });
    // insertMany is ordered and sent as an OP_MSG document sequence: the ones before the duplicate stay.
    const many = await events
      .insertMany([
        { _id: "c", event_id: "e2" },
        { _id: "d", event_id: "e1" },
        { _id: "e", event_id: "e3" },
      ])
      .catch((e: unknown) => e);
    expect(many).toMatchObject({ code: 11000, insertedCount: 1 });
    expect(server.operations().at(-1)?.sequences).toEqual(["documents"]);
    expect(server.documents("wire", "events").map((d) => d._id)).toEqual(["a", "c"]);
    // An existing duplicate stops a unique index from being made.
    await db.collection("other").insertMany([{ k: 1 }, { k: 1 }]);
    await expect(
      db.collection("other").createIndexes([{ key: { k: 1 }, name: "k_1", unique: true }]),
    ).rejects.toMatchObject({ code: 11000 });
  });

  it("pages a cursor across getMore by batchSize, then closes it", async () => {
    const { server, db, collection } = await start();
    await collection("q").insertMany(Array.from({ length: 7 }, (_, i) => ({ _id: i })));
    const docs = await db.collection("q").find({}, { batchSize: 3 }).sort({ _id: -1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    const names = server.operations().map((c) => c.name);
    expect(names.filter((n) => n === "getMore")).toHaveLength(2);
    const find = server.operations().find((c) => c.name === "find");
    expect(find?.body).toMatchObject({ find: "q", batchSize: 3, sort: { _id: -1 } });
    expect(server.openCursors()).toBe(0);
    // An aggregate's cursor the same way, with $unionWith and $count over mingo.
    await collection("r").insertMany([{ _id: "x" }, { _id: "y" }]);
    const [counted] = await db
      .collection("q")
      .aggregate([{ $match: { _id: { $gte: 3 } } }, { $unionWith: { coll: "r" } }, { $count: "n" }])
      .toArray();
    expect(counted).toEqual({ n: 6 });
  });

  it("kills a cursor closed early (killCursors), and then knows it no more", async () => {
    const { server, db, collection } = await start();
    await collection("q").insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i })));
    const cursor = db.collection("q").find({}, { batchSize: 2 });
    expect(await cursor.next()).toEqual({ _id: 0 });
    expect(server.openCursors()).toBe(1);
    await cursor.close();
    const kill = server.operations().find((c) => c.name === "killCursors");
    expect(kill?.body).toMatchObject({ killCursors: "q", cursors: [expect.anything()] });
    expect(server.openCursors()).toBe(0);
    const [id] = (kill?.body.cursors ?? []) as unknown[];
    await expect(
      db.command({ getMore: id instanceof Long ? id : Long.fromValue(id as number), collection: "q" }),
    ).rejects.toMatchObject({ code: 43, codeName: "CursorNotFound" });
  });

  it("updates with $inc and upserts, deletes, and answers unknown commands as mongod does", async () => {
    const { server, db } = await start();
    const budgets = db.collection<{ _id: string; used?: number }>("budgets");
    expect(await budgets.updateOne({ _id: "k" }, { $inc: { used: 1 } }, { upsert: true })).toMatchObject({
      upsertedId: "k",
      upsertedCount: 1,
    });
    expect(await budgets.updateOne({ _id: "k", used: { $lt: 2 } }, { $inc: { used: 1 } })).toMatchObject({
      matchedCount: 1,
      modifiedCount: 1,
    });
    expect(server.documents("wire", "budgets")).toEqual([{ _id: "k", used: 2 }]);
    expect((await budgets.deleteMany({})).deletedCount).toBe(1);
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: "CommandNotFound",
      message: "no such command: 'frobnicate'",
    });
    expect(await db.command({ ping: 1 })).toEqual({ ok: 1 });
    await db.dropDatabase();
    expect(server.databases()).toEqual([]);
  });

  it("reads document sequences and checksums from a raw socket; a bad checksum closes the connection", async () => {
    const server = await startMongoWireServer();
    servers.push(server);
    const insert = encodeOpMsg(
      { insert: "events", $db: "raw" },
      { sequences: { documents: [{ _id: 1 }, { _id: 2 }] }, checksum: true },
    );
    const count = encodeOpMsg({ count: "events", $db: "raw" }, { requestId: 2 });
    expect(await raw(server, [insert, count])).toEqual([
      { n: 2, ok: 1 },
      { n: 2, ok: 1 },
    ]);
    const corrupt = Buffer.from(encodeOpMsg({ ping: 1, $db: "raw" }, { checksum: true }));
    corrupt.writeUInt32LE((corrupt.readUInt32LE(corrupt.length - 4) + 1) >>> 0, corrupt.length - 4);
    expect(await raw(server, [corrupt])).toEqual(["closed"]);
    expect(await raw(server, [encodeOpMsg({ ping: 1 })])).toEqual([
      { ok: 0, errmsg: "OP_MSG requests require a $db argument", code: 40571, codeName: "Location40571" },
    ]);
  });
});
