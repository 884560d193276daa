/**
 * An in-process MongoDB Data API server for tests: a node:http server on
 * 127.0.0.1 (random port) speaking the Atlas Data API v1 protocol and
 * FerretDB's dialect of it, over an in-memory database whose query, sort,
 * projection, update and aggregation semantics come from `mingo`
 * (./data-api/engine.ts).
 *
 * - `POST {url}/action/{insertOne|insertMany|find|findOne|updateOne|aggregate|deleteMany}`,
 *   under `/app/<appId>/endpoint/data/v1` (Atlas) or at the root (FerretDB);
 *   both path forms are served whatever the dialect;
 * - bodies: `Content-Type: application/ejson` is (Canonical or Relaxed) EJSON,
 *   anything else plain JSON; answers follow `Accept`: `application/ejson` gives
 *   Canonical EJSON, anything else standard JSON as Atlas wrote it (dates as ISO
 *   strings, ObjectIds as hex strings);
 * - answers as Atlas's: insertOne 201 `{insertedId}`, insertMany 201 `{insertedIds}`,
 *   find `{documents}`, findOne `{document}` (null when none), updateOne
 *   `{matchedCount, modifiedCount, upsertedId?}`, aggregate `{documents}`,
 *   deleteMany `{deletedCount}`; FerretDB's inserts answer 200 `{n}`;
 * - errors are `{error, error_code, link}`: 400 for a malformed body or a
 *   missing parameter, 401 for missing or wrong credentials, 404 for an
 *   unknown action, 409 `DuplicateKey` with mongod's E11000 message when a
 *   unique index refuses a document (insertMany is ordered: the documents
 *   before the refused one are stored);
 * - faults for tests of retries and error handling (`failNext`, `fail`): an
 *   error status, a delay, a malformed body, a reset connection, optionally
 *   after the action was applied.
 *
 *     const server = await startDataApiServer({ auth: { apiKey: "k" } });
 *     // give the adapter server.url, the key, dataSource "mongodb-atlas" and a database
 *     server.failNext(1, { status: 503 });
 *     ...
 *     expect(server.documents("study", "events")).toHaveLength(2);
 *     await server.close();
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EJSON } from "bson";
import { clone, DataApiError, type Doc, MemoryMongo } from "./data-api/engine";

export type { Doc } from "./data-api/engine";

export const DATA_API_ACTIONS = [
  "insertOne",
  "insertMany",
  "find",
  "findOne",
  "updateOne",
  "aggregate",
  "deleteMany",
] as const;
export type DataApiAction = (typeof DATA_API_ACTIONS)[number];

export type DataApiDialect = "atlas" | "ferretdb";

/** Accepted credentials; any one configured mode suffices. No `auth`: every request is let in. */
export type DataApiAuth = {
  /** `api-key: <key>` (Atlas also spelled it `apiKey`; both headers are accepted). */
  apiKey?: string;
  /** `Authorization: Bearer <token>`. */
  bearer?: string;
  /** `Authorization: Basic base64(user:password)`, as FerretDB takes it. */
  basic?: { user: string; password: string };
};

export type DataApiServerOptions = {
  /** Response shapes and `url`: Atlas (default) or FerretDB (`insertOne` → `{n: 1}`, no /app prefix, 200 for inserts). */
  dialect?: DataApiDialect;
  auth?: DataApiAuth;
  /** Collection name → fields with a unique index (in every database). `events.event_id` is always declared. */
  uniqueIndexes?: Record<string, string[]>;
  /** The Atlas App ID in the URL. Default "data-test". */
  appId?: string;
};

/** One injected failure, used by one request (see `failNext` and `fail`). */
export type DataApiFault = {
  /** Only a request for this action uses the fault; default: the next request, whatever it asks. */
  action?: DataApiAction;
  /** Answer with this HTTP status and an error body (default `{error, error_code, link}` for the status). */
  status?: number;
  /** The error body instead of the default: an object is sent as JSON, a string as is. */
  body?: unknown;
  /** Sent as `Retry-After` (seconds), e.g. with a 429 or 503. */
  retryAfter?: number;
  /** More response headers. */
  headers?: Record<string, string>;
  /**
   * Wait this long before answering (longer than the client's timeout to make it give up). With
   * nothing else in the fault, the request is then served normally, unless the client hung up.
   */
  delayMs?: number;
  /** Answer with a body that is not JSON (status 200 unless `status` is given). */
  malformed?: boolean;
  /** Destroy the connection without answering (the client sees a reset / "fetch failed"). */
  reset?: boolean;
  /**
   * Run the action as the request arrives, whatever the client then sees: with `status`, `malformed`
   * or `reset` the write is stored but its answer lost; with only `delayMs` the write is stored at
   * once and its answer comes late (after the client may have given up).
   */
  applied?: boolean;
};

/** A request as the server received it. */
export type DataApiRequest = {
  /** 1 for the first request this server received (since the last `reset`), then 2, 3... */
  number: number;
  method: string;
  /** The path without the query string. */
  path: string;
  /** The action named by the path, or null when the path names none. */
  action: string | null;
  headers: IncomingMessage["headers"];
  /** The body as sent. */
  raw: string;
  /** The parsed body (EJSON types decoded when it was sent as application/ejson); null if absent or malformed. */
  body: Doc | null;
  /** The status answered; undefined while pending or when the connection was reset. */
  status?: number;
  receivedAt: number;
};

export interface DataApiServer {
  /** The base URL a client appends `/action/<name>` to: `http://127.0.0.1:<port>/app/<appId>/endpoint/data/v1` (Atlas) or `http://127.0.0.1:<port>` (FerretDB). */
  readonly url: string;
  readonly port: number;
  readonly dialect: DataApiDialect;
  readonly appId: string;
  /** Every request received, oldest first (emptied in place by `reset`). */
  readonly requests: DataApiRequest[];
  /**
   * The next `count` requests (for `fault.action` only, if set) each meet this fault. Faults act
   * before routing and authentication, as a proxy's would.
   */
  failNext(count: number, fault: DataApiFault): void;
  /** Queues faults, one request each, in order, after those already queued. */
  fail(...faults: DataApiFault[]): void;
  /** How many queued faults are not used yet. */
  pendingFaults(): number;
  /** The collections of a database (those something was inserted into). */
  collections(db: string): string[];
  /** Copies of a collection's documents, in insertion order, with native types (Date, ObjectId). */
  documents(db: string, collection: string): Doc[];
  /** Stores documents directly (no request, no fault), subject to the unique indexes. */
  seed(db: string, collection: string, documents: Doc[]): void;
  /** Empties every database, the request log and the fault queue. */
  reset(): void;
  /** Stops the server: pending delays end, open connections are closed. */
  close(): Promise<void>;
}

const ATLAS_PREFIX = /^\/app\/([^/]+)\/endpoint\/data\/v1(?=\/)/;

const DEFAULT_ERRORS: Record<number, [code: string, message: string]> = {
  400: ["InvalidParameter", "invalid request"],
  401: ["InvalidSession", "invalid session: error finding user for endpoint"],
  404: ["NotFound", "not found"],
  409: ["DuplicateKey", "duplicate key"],
  429: ["TooManyRequests", "too many requests, please try again later"],
  500: ["InternalServerError", "internal server error"],
  502: ["BadGateway", "bad gateway"],
  503: ["ServiceUnavailable", "service unavailable, please try again later"],
};

function asDoc(value: unknown): Doc | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Doc) : undefined;
}

function required<T>(value: T | undefined, name: string, kind = "an object"): T {
  if (value === undefined) throw new DataApiError(400, "InvalidParameter", `'${name}' must be ${kind}`);
  return value;
}

export async function startDataApiServer(options: DataApiServerOptions = {}): Promise<DataApiServer> {
  const dialect = options.dialect ?? "atlas";
  const appId = options.appId ?? "data-test";
  const uniqueIndexes = { ...options.uniqueIndexes };
  uniqueIndexes.events = [...new Set(["event_id", ...(uniqueIndexes.events ?? [])])];
  const mongo = new MemoryMongo(uniqueIndexes);
  const requests: DataApiRequest[] = [];
  const faults: DataApiFault[] = [];
  let sequence = 0;
  let closing = false;
  const waits = new Set<() => void>();

  const link = () =>
    `https://services.cloud.mongodb.com/groups/test/apps/${appId}/logs?co_id=${randomBytes(12).toString("hex")}`;

  /** Resolves after ms, or early when the response closes or the server stops; true if it may go on. */
  function wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waits.delete(done);
        res.off("close", done);
        resolve(!res.destroyed && !res.writableEnded && !closing);
      };
      const timer = setTimeout(done, ms);
      waits.add(done);
      res.once("close", done);
    });
  }

  function authenticate(headers: IncomingMessage["headers"]): void {
    const auth = options.auth;
    if (!auth || (!auth.apiKey && !auth.bearer && !auth.basic)) return;
    const code = dialect === "ferretdb" ? "Unauthorized" : "InvalidSession";
    const key = headers["api-key"] ?? headers.apikey;
    const authorization = headers.authorization;
    if (key === undefined && authorization === undefined) {
      throw new DataApiError(401, code, "no authentication methods were specified");
    }
    if (auth.apiKey && (Array.isArray(key) ? key[0] : key) === auth.apiKey) return;
    if (auth.bearer && authorization === `Bearer ${auth.bearer}`) return;
    if (auth.basic) {
      const basic = Buffer.from(`${auth.basic.user}:${auth.basic.password}`).toString("base64");
      if (authorization === `Basic ${basic}`) return;
    }
    throw new DataApiError(401, code, "invalid session: error finding user for endpoint");
  }

  /** Runs one action on a parsed body; returns the status and the response document. */
  function run(action: DataApiAction, body: Doc): [number, Doc] {
    const database = body.database;
    const collection = body.collection;
    if (dialect === "atlas" && (typeof body.dataSource !== "string" || body.dataSource === "")) {
      throw new DataApiError(400, "MissingParameter", "'dataSource' must be a non-empty string");
    }
    if (typeof database !== "string" || database === "") {
      throw new DataApiError(400, "MissingParameter", "'database' must be a non-empty string");
    }
    if (typeof collection !== "string" || collection === "") {
      throw new DataApiError(400, "MissingParameter", "'collection' must be a non-empty string");
    }
    const inserted = dialect === "ferretdb" ? 200 : 201;
    switch (action) {
      case "insertOne": {
        const id = mongo.insertOne(database, collection, required(asDoc(body.document), "document"));
        return [inserted, dialect === "ferretdb" ? { n: 1 } : { insertedId: id }];
      }
      case "insertMany": {
        const docs = required(
          Array.isArray(body.documents) ? body.documents : undefined,
          "documents",
          "an array",
        );
        if (docs.length === 0 || !docs.every(asDoc)) {
          throw new DataApiError(
            400,
            "InvalidParameter",
            "'documents' must be a non-empty array of documents",
          );
        }
        const ids = mongo.insertMany(database, collection, docs as Doc[]);
        return [inserted, dialect === "ferretdb" ? { n: ids.length } : { insertedIds: ids }];
      }
      case "find":
      case "findOne": {
        const filter = required(asDoc(body.filter), "filter");
        const projection =
          body.projection === undefined ? undefined : required(asDoc(body.projection), "projection");
        if (action === "findOne") {
          const [document] = mongo.find(database, collection, { filter, projection, limit: 1 });
          return [200, { document: document ?? null }];
        }
        const sort = body.sort === undefined ? undefined : required(asDoc(body.sort), "sort");
        for (const name of ["limit", "skip"] as const) {
          if (body[name] !== undefined && typeof body[name] !== "number") {
            throw new DataApiError(400, "InvalidParameter", `'${name}' must be a number`);
          }
        }
        const { limit, skip } = body as { limit?: number; skip?: number };
        return [
          200,
          { documents: mongo.find(database, collection, { filter, projection, sort, limit, skip }) },
        ];
      }
      case "updateOne": {
        const filter = required(asDoc(body.filter), "filter");
        const update = required(asDoc(body.update), "update");
        const result = mongo.updateOne(database, collection, filter, update, body.upsert === true);
        return [200, result];
      }
      case "aggregate": {
        const pipeline = required(
          Array.isArray(body.pipeline) ? body.pipeline : undefined,
          "pipeline",
          "an array",
        );
        return [200, { documents: mongo.aggregate(database, collection, pipeline) }];
      }
      case "deleteMany": {
        const filter = body.filter === undefined ? {} : required(asDoc(body.filter), "filter");
        return [200, { deletedCount: mongo.deleteMany(database, collection, filter) }];
      }
    }
  }

  type Reply = { status: number; text: string; type: string };

  /** What the server answers when no fault intervenes: the action's result, or an error. */
  function respond(
    req: IncomingMessage,
    target: { path: string; appInPath?: string; named: string | null; action?: DataApiAction },
    body: Doc | null,
    parseError: string | undefined,
  ): Reply {
    try {
      if (target.appInPath !== undefined && target.appInPath !== appId) {
        throw new DataApiError(
          404,
          "AppNotFound",
          `cannot find app using Client App ID '${target.appInPath}'`,
        );
      }
      if (!target.named) throw new DataApiError(404, "NotFound", `no Data API endpoint at ${target.path}`);
      if (req.method !== "POST")
        throw new DataApiError(405, "MethodNotAllowed", `${req.method} is not allowed`);
      authenticate(req.headers);
      if (!target.action) throw new DataApiError(404, "FunctionNotFound", `unknown action '${target.named}'`);
      if (parseError) throw new DataApiError(400, "InvalidParameter", parseError);
      if (!body) throw new DataApiError(400, "InvalidParameter", "the request has no body");
      const [status, result] = run(target.action, body);
      if ((req.headers.accept ?? "").toLowerCase().includes("application/ejson")) {
        return { status, text: EJSON.stringify(result, { relaxed: false }), type: "application/ejson" };
      }
      // Date and ObjectId have toJSON (ISO string, hex string): Atlas's standard JSON has them so.
      return { status, text: JSON.stringify(result), type: "application/json" };
    } catch (error) {
      if (!(error instanceof DataApiError)) throw error;
      const text = JSON.stringify({ error: error.message, error_code: error.code, link: link() });
      return { status: error.status, text, type: "application/json" };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const raw = Buffer.concat(parts).toString("utf8");
    const path = new URL(req.url ?? "/", "http://stub").pathname;
    const atlas = ATLAS_PREFIX.exec(path);
    const named = /^\/action\/([^/]+)\/?$/.exec(atlas ? path.slice(atlas[0].length) : path)?.[1] ?? null;
    const action = DATA_API_ACTIONS.find((a) => a === named);
    const ejsonIn = (req.headers["content-type"] ?? "").toLowerCase().includes("application/ejson");
    let body: Doc | null = null;
    let parseError: string | undefined;
    if (raw.trim() !== "") {
      try {
        const parsed: unknown = ejsonIn ? EJSON.parse(raw, { relaxed: true }) : JSON.parse(raw);
        body = asDoc(parsed) ?? null;
        if (!body) parseError = "the request body must be a JSON object";
      } catch (error) {
        parseError = `invalid ${ejsonIn ? "EJSON" : "JSON"} in the request body: ${(error as Error).message}`;
      }
    }
    sequence += 1;
    const request: DataApiRequest = {
      number: sequence,
      method: req.method ?? "GET",
      path,
      action: named,
      headers: req.headers,
      raw,
      body: body ? clone(body) : null,
      receivedAt: Date.now(),
    };
    requests.push(request);
    const target = { path, appInPath: atlas?.[1], named, action };

    const at = faults.findIndex((f) => f.action === undefined || f.action === action);
    const fault = at >= 0 ? faults.splice(at, 1)[0] : undefined;
    // An applied fault runs the action now: the write lands whatever the client later sees.
    let reply = fault?.applied ? respond(req, target, body, parseError) : undefined;
    if (fault) {
      if (fault.delayMs && !(await wait(fault.delayMs, res))) return;
      if (fault.reset) {
        res.destroy();
        req.socket.destroy();
        return;
      }
      if (fault.malformed || fault.status !== undefined) {
        for (const [k, v] of Object.entries(fault.headers ?? {})) res.setHeader(k, v);
        if (fault.retryAfter !== undefined) res.setHeader("retry-after", String(fault.retryAfter));
        const status = fault.status ?? 200;
        if (fault.malformed) {
          reply = { status, text: '{"documents": [{"_id": <html>upstream', type: "application/json" };
        } else {
          const [code, message] = DEFAULT_ERRORS[status] ?? [
            status >= 500 ? "InternalServerError" : "Error",
            "error",
          ];
          const errorBody = fault.body ?? { error: message, error_code: code, link: link() };
          const text = typeof errorBody === "string" ? errorBody : JSON.stringify(errorBody);
          reply = { status, text, type: "application/json" };
        }
      }
    }
    reply ??= respond(req, target, body, parseError);
    request.status = reply.status;
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, {
      "content-type": reply.type,
      "content-length": Buffer.byteLength(reply.text),
    });
    res.end(reply.text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = `test server failure: ${String(error)}`;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: message, error_code: "InternalServerError", link: link() }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url: dialect === "atlas" ? `${origin}/app/${appId}/endpoint/data/v1` : origin,
    port,
    dialect,
    appId,
    requests,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push({ ...fault });
    },
    fail(...more) {
      faults.push(...more.map((f) => ({ ...f })));
    },
    pendingFaults: () => faults.length,
    collections: (db) => mongo.collectionNames(db),
    documents: (db, collection) => mongo.documents(db, collection),
    seed(db, collection, documents) {
      mongo.insertMany(db, collection, documents);
    },
    reset() {
      mongo.reset();
      requests.length = 0;
      faults.length = 0;
      sequence = 0;
    },
    close() {
      if (!closed) {
        closing = true;
        for (const done of [...waits]) done();
        closed = new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
      }
      return closed;
    },
  };
}
