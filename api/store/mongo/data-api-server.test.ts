/**
 * The in-process Data API server (tests/support/data-api-server.ts) that the
 * Data API adapter is tested against: its protocol, checked here with plain
 * fetch so that the adapter's tests can trust it.
 */
import { EJSON, ObjectId } from "bson";
import { afterEach, describe, expect, it } from "vitest";
import {
  type DataApiServer,
  type DataApiServerOptions,
  startDataApiServer,
} from "../../../tests/support/data-api-server";

const DB = "study";
const NS = { dataSource: "mongodb-atlas", database: DB };

type CallOptions = { ejson?: boolean; headers?: Record<string, string>; raw?: string; signal?: AbortSignal };
type Answer = { status: number; text: string; body: Record<string, unknown>; headers: Headers };

let servers: DataApiServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(options?: DataApiServerOptions): Promise<DataApiServer> {
  const server = await startDataApiServer(options);
  servers.push(server);
  return server;
}

/** POSTs an action as the adapter would: Canonical EJSON both ways unless `ejson: false`. */
async function call(
  server: DataApiServer | string,
  action: string,
  body: Record<string, unknown>,
  options: CallOptions = {},
): Promise<Answer> {
  const ejson = options.ejson ?? true;
  const type = ejson ? "application/ejson" : "application/json";
  const base = typeof server === "string" ? server : server.url;
  const res = await fetch(`${base}/action/${action}`, {
    method: "POST",
    headers: { "content-type": type, accept: type, ...options.headers },
    body: options.raw ?? (ejson ? EJSON.stringify(body, { relaxed: false }) : JSON.stringify(body)),
    signal: options.signal,
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = res.headers.get("content-type") === "application/ejson" ? EJSON.parse(text) : JSON.parse(text);
  } catch {
    // malformed on purpose in some tests
  }
  return { status: res.status, text, body: parsed, headers: res.headers };
}

describe.each(["atlas", "ferretdb"] as const)("every action, %s dialect", (dialect) => {
  const seedTasks = async (server: DataApiServer) => {
    const r = await call(server, "insertMany", {
      ...NS,
      collection: "tasks",
      documents: [
        { n: 1, tag: "a", at: new Date("2026-01-01T00:00:00Z") },
        { n: 2, tag: "b", at: new Date("2026-01-02T00:00:00Z") },
        { n: 3, tag: "a", at: new Date("2026-01-03T00:00:00Z") },
      ],
    });
    expect(r.status).toBe(dialect === "atlas" ? 201 : 200);
    return r;
  };

  it("has the dialect's base URL and serves both path forms", async () => {
    const server = await start({ dialect });
    const origin = `http://127.0.0.1:${server.port}`;
    expect(server.url).toBe(dialect === "atlas" ? `${origin}/app/data-test/endpoint/data/v1` : origin);
    for (const base of [origin, `${origin}/app/data-test/endpoint/data/v1`]) {
      const r = await call(base, "find", { ...NS, collection: "tasks", filter: {} });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ documents: [] });
    }
  });

  it("insertOne and insertMany answer in the dialect's shape and add an ObjectId _id", async () => {
    const server = await start({ dialect });
    const one = await call(server, "insertOne", { ...NS, collection: "tasks", document: { n: 0 } });
    const many = await seedTasks(server);
    if (dialect === "atlas") {
      expect(one.status).toBe(201);
      expect(one.body.insertedId).toBeInstanceOf(ObjectId);
      expect(many.body.insertedIds).toHaveLength(3);
    } else {
      expect(one.status).toBe(200);
      expect(one.body).toEqual({ n: 1 });
      expect(many.body).toEqual({ n: 3 });
    }
    const stored = server.documents(DB, "tasks");
    expect(stored.map((d) => d.n)).toEqual([0, 1, 2, 3]);
    expect(stored.every((d) => d._id instanceof ObjectId && Object.keys(d)[0] === "_id")).toBe(true);
    if (dialect === "atlas") expect(stored[0]?._id).toEqual(one.body.insertedId);
    expect(server.collections(DB)).toEqual(["tasks"]);
  });

  it("find filters, sorts, projects, skips and limits; findOne answers a document or null", async () => {
    const server = await start({ dialect });
    await seedTasks(server);
    const found = await call(server, "find", {
      ...NS,
      collection: "tasks",
      filter: { tag: "a" },
      projection: { _id: 0, n: 1 },
      sort: { n: -1 },
    });
    expect(found.body).toEqual({ documents: [{ n: 3 }, { n: 1 }] });
    const page = await call(server, "find", {
      ...NS,
      collection: "tasks",
      filter: {},
      projection: { n: 1 },
      sort: { n: 1 },
      skip: 1,
      limit: 1,
    });
    const docs = page.body.documents as Record<string, unknown>[];
    expect(docs.map((d) => d.n)).toEqual([2]);
    expect(Object.keys(docs[0] ?? {})).toEqual(["_id", "n"]);
    const one = await call(server, "findOne", {
      ...NS,
      collection: "tasks",
      filter: { n: 2 },
      projection: { tag: 1 },
    });
    expect((one.body.document as Record<string, unknown>).tag).toBe("b");
    const none = await call(server, "findOne", { ...NS, collection: "tasks", filter: { n: 9 } });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ document: null });
  });

  it("updateOne applies $set and $inc to the first match, and upserts with $setOnInsert", async () => {
    const server = await start({ dialect });
    await seedTasks(server);
    const set = await call(server, "updateOne", {
      ...NS,
      collection: "tasks",
      filter: { tag: "a" },
      update: { $set: { done: true }, $inc: { n: 10 } },
    });
    expect(set.body).toEqual({ matchedCount: 1, modifiedCount: 1 });
    expect(server.documents(DB, "tasks").map((d) => [d.n, d.done])).toEqual([
      [11, true],
      [2, undefined],
      [3, undefined],
    ]);
    const same = await call(server, "updateOne", {
      ...NS,
      collection: "tasks",
      filter: { n: 11 },
      update: { $set: { done: true }, $setOnInsert: { created: 1 } },
    });
    expect(same.body).toEqual({ matchedCount: 1, modifiedCount: 0 });
    const miss = await call(server, "updateOne", {
      ...NS,
      collection: "tasks",
      filter: { n: 99 },
      update: { $set: { x: 1 } },
    });
    expect(miss.body).toEqual({ matchedCount: 0, modifiedCount: 0 });
    const upsert = await call(server, "updateOne", {
      ...NS,
      collection: "tasks",
      filter: { tag: "z", n: { $eq: 7 } },
      update: { $set: { done: false }, $setOnInsert: { created: 1 } },
      upsert: true,
    });
    expect(upsert.body).toMatchObject({ matchedCount: 0, modifiedCount: 0 });
    expect(upsert.body.upsertedId).toBeInstanceOf(ObjectId);
    const created = server.documents(DB, "tasks").at(-1);
    expect(created).toEqual({ _id: upsert.body.upsertedId, tag: "z", n: 7, done: false, created: 1 });
    const replacement = await call(server, "updateOne", {
      ...NS,
      collection: "tasks",
      filter: {},
      update: { n: 1 },
    });
    expect(replacement.status).toBe(400);
  });

  it("aggregate runs a pipeline and deleteMany deletes what matches", async () => {
    const server = await start({ dialect });
    await seedTasks(server);
    const grouped = await call(server, "aggregate", {
      ...NS,
      collection: "tasks",
      pipeline: [
        { $match: { n: { $gte: 1 } } },
        { $group: { _id: "$tag", total: { $sum: "$n" } } },
        { $sort: { _id: 1 } },
      ],
    });
    expect(grouped.body).toEqual({
      documents: [
        { _id: "a", total: 4 },
        { _id: "b", total: 2 },
      ],
    });
    const deleted = await call(server, "deleteMany", { ...NS, collection: "tasks", filter: { tag: "a" } });
    expect(deleted.body).toEqual({ deletedCount: 2 });
    expect(server.documents(DB, "tasks").map((d) => d.n)).toEqual([2]);
  });
});

describe("EJSON and JSON", () => {
  it("round-trips Date and ObjectId in Canonical EJSON, and filters on dates", async () => {
    const server = await start();
    const id = new ObjectId();
    const at = new Date("2026-03-04T05:06:07.089Z");
    const inserted = await call(server, "insertOne", {
      ...NS,
      collection: "queries",
      document: { _id: id, at },
    });
    expect(inserted.text).toBe(`{"insertedId":{"$oid":"${id.toHexString()}"}}`);
    expect(server.documents(DB, "queries")[0]).toEqual({ _id: id, at });
    // The request itself was Canonical EJSON: {"$date": {"$numberLong": ...}}.
    expect(server.requests[0]?.raw).toContain('"$date":{"$numberLong":"1772600767089"}');
    expect(server.requests[0]?.body?.document).toEqual({ _id: id, at });

    const found = await call(server, "find", {
      ...NS,
      collection: "queries",
      filter: { at: { $gte: new Date("2026-03-04T00:00:00Z") }, _id: id },
    });
    expect(found.headers.get("content-type")).toBe("application/ejson");
    expect(found.text).toContain('"at":{"$date":{"$numberLong":"1772600767089"}}');
    const [doc] = found.body.documents as Record<string, unknown>[];
    expect(doc?.at).toBeInstanceOf(Date);
    expect(doc?.at).toEqual(at);
    expect(doc?._id).toBeInstanceOf(ObjectId);
    expect(String(doc?._id)).toBe(id.toHexString());
  });

  it("accepts Relaxed EJSON requests; numbers come back Canonical", async () => {
    const server = await start();
    const raw = JSON.stringify({
      ...NS,
      collection: "queries",
      document: { at: { $date: "2026-01-01T00:00:00Z" }, big: { $numberLong: "5" }, ms: 12.5 },
    });
    expect((await call(server, "insertOne", {}, { raw })).status).toBe(201);
    const stored = server.documents(DB, "queries")[0];
    expect(stored?.at).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(stored?.big).toBe(5);
    const found = await call(server, "find", {
      ...NS,
      collection: "queries",
      filter: {},
      projection: { _id: 0 },
    });
    expect(found.text).toBe(
      '{"documents":[{"at":{"$date":{"$numberLong":"1767225600000"}},"big":{"$numberInt":"5"},"ms":{"$numberDouble":"12.5"}}]}',
    );
  });

  it("answers standard JSON (ISO dates, hex ids) to Accept: application/json; JSON bodies are plain JSON", async () => {
    const server = await start();
    const id = new ObjectId();
    server.seed(DB, "queries", [{ _id: id, at: new Date("2026-01-01T00:00:00Z"), n: 1 }]);
    const found = await call(
      server,
      "find",
      { ...NS, collection: "queries", filter: { n: 1 } },
      { ejson: false },
    );
    expect(found.headers.get("content-type")).toBe("application/json");
    expect(found.body).toEqual({
      documents: [{ _id: id.toHexString(), at: "2026-01-01T00:00:00.000Z", n: 1 }],
    });
    // In a plain JSON body {"$date": ...} is no Date: in a filter, mongod's "unknown operator".
    const plain = await call(
      server,
      "find",
      { ...NS, collection: "queries", filter: { at: { $date: "2026-01-01T00:00:00Z" } } },
      { ejson: false },
    );
    expect(plain.status).toBe(400);
    expect(plain.body.error).toMatch(/unknown query operator \$date/);
  });
});

describe("authentication", () => {
  const insert = (server: DataApiServer, headers: Record<string, string>) =>
    call(server, "insertOne", { ...NS, collection: "events", document: { event_id: "e" } }, { headers });

  it("takes the api-key header (or Atlas's apiKey) and refuses a wrong or missing one with 401", async () => {
    const server = await start({ auth: { apiKey: "key-1" } });
    expect((await insert(server, { "api-key": "key-1" })).status).toBe(201);
    expect(
      (
        await call(
          server,
          "find",
          { ...NS, collection: "events", filter: {} },
          { headers: { apiKey: "key-1" } },
        )
      ).status,
    ).toBe(200);
    const refused: Record<string, string>[] = [{ "api-key": "nope" }, {}, { authorization: "Bearer key-1" }];
    for (const headers of refused) {
      const r = await insert(server, headers);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error_code: "InvalidSession", error: expect.any(String) });
      expect(r.body.link).toMatch(/^https:\/\//);
    }
    expect(server.documents(DB, "events")).toHaveLength(1);
  });

  it("takes a bearer token", async () => {
    const server = await start({ auth: { bearer: "tok" } });
    expect((await insert(server, { authorization: "Bearer tok" })).status).toBe(201);
    expect((await insert(server, { authorization: "Bearer other" })).status).toBe(401);
  });

  it("takes HTTP Basic in the FerretDB dialect, with error_code Unauthorized when wrong", async () => {
    const server = await start({ dialect: "ferretdb", auth: { basic: { user: "u", password: "p:w" } } });
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    const ok = await insert(server, { authorization: basic("u", "p:w") });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ n: 1 });
    const refused: Record<string, string>[] = [{ authorization: basic("u", "wrong") }, {}];
    for (const headers of refused) {
      const r = await insert(server, headers);
      expect(r.status).toBe(401);
      expect(r.body.error_code).toBe("Unauthorized");
    }
  });
});

describe("unique indexes", () => {
  const DUP =
    'E11000 duplicate key error collection: study.events index: event_id_1 dup key: { event_id: "e2" }';

  it("refuses a duplicate events.event_id on insertOne with 409 DuplicateKey and mongod's message", async () => {
    const server = await start();
    expect(
      (await call(server, "insertOne", { ...NS, collection: "events", document: { event_id: "e2" } })).status,
    ).toBe(201);
    const dup = await call(server, "insertOne", {
      ...NS,
      collection: "events",
      document: { event_id: "e2", x: 1 },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: DUP, error_code: "DuplicateKey" });
    expect(dup.body.link).toEqual(expect.any(String));
    expect(server.documents(DB, "events")).toHaveLength(1);
    // Other collections have no such index; _id is unique everywhere.
    for (let i = 0; i < 2; i++) {
      expect(
        (await call(server, "insertOne", { ...NS, collection: "queries", document: { event_id: "e2" } }))
          .status,
      ).toBe(201);
    }
    const id = new ObjectId();
    await call(server, "insertOne", { ...NS, collection: "queries", document: { _id: id } });
    const dupId = await call(server, "insertOne", { ...NS, collection: "queries", document: { _id: id } });
    expect(dupId.status).toBe(409);
    expect(dupId.body.error).toBe(
      `E11000 duplicate key error collection: study.queries index: _id_ dup key: { _id: ObjectId('${id.toHexString()}') }`,
    );
  });

  it("_id is unique in any collection, a new one too (string ids), and free again once deleted", async () => {
    const server = await start();
    const slot = { _id: '["study-1",0]', study_id: "study-1", seq: 0 };
    const insert = () => call(server, "insertOne", { ...NS, collection: "assignment_slots", document: slot });
    expect((await insert()).status).toBe(201);
    const dup = await insert();
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe(
      'E11000 duplicate key error collection: study.assignment_slots index: _id_ dup key: { _id: "[\\"study-1\\",0]" }',
    );
    expect(server.documents(DB, "assignment_slots")).toHaveLength(1);
    const deleted = await call(server, "deleteMany", {
      ...NS,
      collection: "assignment_slots",
      filter: { _id: slot._id },
    });
    expect(deleted.body).toEqual({ deletedCount: 1 });
    expect((await insert()).status).toBe(201);
  });

  it("insertMany is ordered: the documents before the first duplicate are stored, then 409", async () => {
    const server = await start();
    await call(server, "insertOne", { ...NS, collection: "events", document: { event_id: "e2" } });
    const r = await call(server, "insertMany", {
      ...NS,
      collection: "events",
      documents: [{ event_id: "e1" }, { event_id: "e2" }, { event_id: "e3" }],
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: DUP, error_code: "DuplicateKey" });
    expect(server.documents(DB, "events").map((d) => d.event_id)).toEqual(["e2", "e1"]);
    // A duplicate inside the batch itself is refused the same way.
    const inBatch = await call(server, "insertMany", {
      ...NS,
      collection: "events",
      documents: [{ event_id: "e4" }, { event_id: "e4" }],
    });
    expect(inBatch.status).toBe(409);
    expect(server.documents(DB, "events").map((d) => d.event_id)).toEqual(["e2", "e1", "e4"]);
  });

  it("takes more unique indexes as an option, also checked by updateOne", async () => {
    const server = await start({ uniqueIndexes: { queries: ["query_id"] } });
    server.seed(DB, "queries", [{ query_id: "q1" }, { query_id: "q2" }]);
    const dup = await call(server, "insertOne", {
      ...NS,
      collection: "queries",
      document: { query_id: "q1" },
    });
    expect(dup.body.error).toBe(
      'E11000 duplicate key error collection: study.queries index: query_id_1 dup key: { query_id: "q1" }',
    );
    const update = await call(server, "updateOne", {
      ...NS,
      collection: "queries",
      filter: { query_id: "q2" },
      update: { $set: { query_id: "q1" } },
    });
    expect(update.status).toBe(409);
    expect(server.documents(DB, "queries").map((d) => d.query_id)).toEqual(["q1", "q2"]);
    expect(() => server.seed(DB, "events", [{ event_id: "x" }, { event_id: "x" }])).toThrow(/E11000/);
  });
});

describe("aggregation", () => {
  const seed = (server: DataApiServer) => {
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    server.seed(DB, "queries", [
      { kind: "query", id: "q1", received_at: t(1) },
      { kind: "query", id: "q2", received_at: t(4) },
    ]);
    server.seed(DB, "events", [
      { kind: "event", event_id: "e1", received_at: t(2) },
      { kind: "event", event_id: "e2", received_at: t(3) },
      { kind: "event", event_id: "e3", received_at: t(5) },
    ]);
  };

  it("$unionWith pages over two collections with $sort and $limit", async () => {
    const server = await start();
    seed(server);
    const r = await call(server, "aggregate", {
      ...NS,
      collection: "queries",
      pipeline: [
        { $match: { received_at: { $gt: new Date(Date.UTC(2026, 0, 1, 0, 1)) } } },
        {
          $unionWith: {
            coll: "events",
            pipeline: [{ $match: { received_at: { $gt: new Date(Date.UTC(2026, 0, 1, 0, 1)) } } }],
          },
        },
        { $sort: { received_at: 1, _id: 1 } },
        { $limit: 3 },
        { $project: { _id: 0, kind: 1, at: "$received_at" } },
      ],
    });
    expect(r.status).toBe(200);
    const docs = r.body.documents as { kind: string; at: Date }[];
    expect(docs.map((d) => d.kind)).toEqual(["event", "event", "query"]);
    expect(docs[0]?.at).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 2)));
    expect(server.documents(DB, "events")).toHaveLength(3);
  });

  it("$count counts, and like MongoDB gives no document when nothing matches; $facet and $skip work", async () => {
    const server = await start();
    seed(server);
    const count = (match: Record<string, unknown>) =>
      call(server, "aggregate", {
        ...NS,
        collection: "events",
        pipeline: [{ $match: match }, { $count: "n" }],
      });
    expect((await count({})).body).toEqual({ documents: [{ n: 3 }] });
    expect((await count({ kind: "none" })).body).toEqual({ documents: [] });
    const facet = await call(server, "aggregate", {
      ...NS,
      collection: "events",
      pipeline: [
        {
          $facet: {
            total: [{ $count: "n" }],
            none: [{ $match: { kind: "none" } }, { $count: "n" }],
            page: [{ $sort: { event_id: -1 } }, { $skip: 1 }, { $project: { _id: 0, event_id: 1 } }],
          },
        },
      ],
    });
    expect(facet.body).toEqual({
      documents: [{ total: [{ n: 3 }], none: [], page: [{ event_id: "e2" }, { event_id: "e1" }] }],
    });
  });
});

describe("failure injection", () => {
  const find = (server: DataApiServer, options?: CallOptions) =>
    call(server, "find", { ...NS, collection: "events", filter: {} }, options);

  it("answers queued statuses with error bodies, Retry-After on a 429, then resumes service", async () => {
    const server = await start();
    server.failNext(2, { status: 503 });
    server.fail({ status: 429, retryAfter: 2 }, { status: 500, body: { error: "boom", error_code: "X" } });
    expect(server.pendingFaults()).toBe(4);
    for (const _ of [1, 2]) {
      const r = await find(server);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ error_code: "ServiceUnavailable", error: expect.any(String) });
    }
    const limited = await find(server);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.body.error_code).toBe("TooManyRequests");
    const custom = await find(server);
    expect(custom.status).toBe(500);
    expect(custom.body).toEqual({ error: "boom", error_code: "X" });
    expect((await find(server)).status).toBe(200);
    expect(server.pendingFaults()).toBe(0);
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 429, 500, 200]);
  });

  it("a fault can target one action; a failed insert stores nothing", async () => {
    const server = await start();
    server.failNext(1, { action: "insertOne", status: 500 });
    expect((await find(server)).status).toBe(200);
    const r = await call(server, "insertOne", { ...NS, collection: "events", document: { event_id: "a" } });
    expect(r.status).toBe(500);
    expect(server.documents(DB, "events")).toEqual([]);
  });

  it("a delay longer than the client's timeout makes it give up; the action is then not run", async () => {
    const server = await start();
    server.failNext(1, { delayMs: 400 });
    const started = Date.now();
    await expect(
      call(
        server,
        "insertOne",
        { ...NS, collection: "events", document: { event_id: "a" } },
        {
          signal: AbortSignal.timeout(100),
        },
      ),
    ).rejects.toThrow(/aborted|timeout/i);
    expect(Date.now() - started).toBeLessThan(350);
    // Past the delay: the server saw the client go and never ran the insert.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.documents(DB, "events")).toEqual([]);
    expect(server.requests[0]?.status).toBeUndefined();
    // A short delay is served normally.
    server.failNext(1, { delayMs: 50 });
    expect(
      (await call(server, "insertOne", { ...NS, collection: "events", document: { event_id: "a" } })).status,
    ).toBe(201);
  });

  it("applied: the write lands although the client sees a 503, a reset or a late answer", async () => {
    const server = await start();
    server.fail(
      { status: 503, applied: true },
      { reset: true, applied: true },
      { delayMs: 2_000, applied: true },
    );
    const doc = (id: string) => ({ ...NS, collection: "events", document: { event_id: id } });
    expect((await call(server, "insertOne", doc("a"))).status).toBe(503);
    await expect(call(server, "insertOne", doc("b"))).rejects.toThrow(/fetch failed/);
    await expect(call(server, "insertOne", doc("c"), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(server.documents(DB, "events").map((d) => d.event_id)).toEqual(["a", "b", "c"]);
    // The client's retry of the lost write meets the unique index.
    expect((await call(server, "insertOne", doc("b"))).status).toBe(409);
  });

  it("sends a malformed (non-JSON) body, and resets a connection", async () => {
    const server = await start();
    server.fail({ malformed: true }, { reset: true });
    const bad = await find(server);
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.text)).toThrow();
    await expect(find(server)).rejects.toThrow(/fetch failed/);
    expect((await find(server)).status).toBe(200);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]?.status).toBeUndefined();
  });
});

describe("request errors", () => {
  it("answers a malformed JSON or EJSON body with 400", async () => {
    const server = await start();
    for (const ejson of [true, false]) {
      const r = await call(server, "find", {}, { ejson, raw: '{"database": "study", ' });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error_code: "InvalidParameter", error: expect.stringMatching(/JSON/) });
    }
    const badOid = await call(server, "find", {}, { raw: '{"filter": {"_id": {"$oid": "zz"}}}' });
    expect(badOid.status).toBe(400);
    expect(server.requests[0]?.body).toBeNull();
  });

  it("answers a missing database, collection or dataSource with 400, and a missing body with 400", async () => {
    const server = await start();
    const cases = [
      { dataSource: "mongodb-atlas", collection: "events", filter: {} },
      { dataSource: "mongodb-atlas", database: DB, filter: {} },
      { database: DB, collection: "events", filter: {} },
    ];
    for (const body of cases) {
      const r = await call(server, "find", body);
      expect(r.status).toBe(400);
      expect(r.body.error_code).toBe("MissingParameter");
    }
    expect((await call(server, "find", {}, { raw: "" })).status).toBe(400);
    expect((await call(server, "find", { ...NS, collection: "events" })).status).toBe(400);
    expect((await call(server, "insertMany", { ...NS, collection: "events", documents: [] })).status).toBe(
      400,
    );
  });

  it("answers an unknown action or app with 404 and a bad query operator with 400", async () => {
    const server = await start();
    const unknown = await call(server, "dropDatabase", { ...NS, collection: "events" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      error: expect.any(String),
      error_code: expect.any(String),
      link: expect.any(String),
    });
    const otherApp = await call(`http://127.0.0.1:${server.port}/app/other/endpoint/data/v1`, "find", {
      ...NS,
      collection: "events",
      filter: {},
    });
    expect(otherApp.status).toBe(404);
    const badOp = await call(server, "find", { ...NS, collection: "events", filter: { a: { $nope: 1 } } });
    expect(badOp.status).toBe(400);
  });
});

describe("inspection", () => {
  it("records requests (action, path, headers, parsed body) and reset() forgets everything", async () => {
    const server = await start({ auth: { apiKey: "k" } });
    await call(
      server,
      "insertOne",
      { ...NS, collection: "events", document: { event_id: "a" } },
      { headers: { "api-key": "k" } },
    );
    server.failNext(3, { status: 500 });
    const [request] = server.requests;
    expect(request).toMatchObject({
      number: 1,
      method: "POST",
      action: "insertOne",
      path: "/app/data-test/endpoint/data/v1/action/insertOne",
      status: 201,
      body: { ...NS, collection: "events", document: { event_id: "a" } },
    });
    expect(request?.headers["api-key"]).toBe("k");
    expect(request?.headers["content-type"]).toBe("application/ejson");
    server.reset();
    expect(server.requests).toEqual([]);
    expect(server.pendingFaults()).toBe(0);
    expect(server.collections(DB)).toEqual([]);
    expect(server.documents(DB, "events")).toEqual([]);
    const again = await call(
      server,
      "find",
      { ...NS, collection: "events", filter: {} },
      { headers: { "api-key": "k" } },
    );
    expect(again.status).toBe(200);
    expect(server.requests[0]?.number).toBe(1);
  });

  it("documents() returns copies", async () => {
    const server = await start();
    server.seed(DB, "events", [{ event_id: "a", nested: { at: new Date(0) } }]);
    const [copy] = server.documents(DB, "events") as { nested: { at: Date } }[];
    copy?.nested.at.setTime(5);
    expect(server.documents(DB, "events")[0]?.nested).toEqual({ at: new Date(0) });
  });
});
