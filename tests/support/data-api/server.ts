/**
 * The Data API test server itself (see ../data-api-server.ts for the
 * protocol): routing a request to its action, recording it, meeting the
 * queued faults, and the handle tests drive it with.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { EJSON } from "bson";
import { interruptibleWaits, readBody, sendJson, sendText, startStubServer } from "../http-stub";
import { asDoc, authenticate, DataApiError, runAction } from "./actions";
import { clone, type Doc, MemoryMongo } from "./engine";
import {
  DATA_API_ACTIONS,
  type DataApiAction,
  type DataApiFault,
  type DataApiRequest,
  type DataApiServer,
  type DataApiServerOptions,
} from "./types";

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

type Reply = { status: number; text: string; type: string };

/** What a fault with `malformed` or `status` answers instead of the action's result. */
function faultReply(fault: DataApiFault, link: () => string): Reply {
  const status = fault.status ?? 200;
  if (fault.malformed) {
    return { status, text: '{"documents": [{"_id": <html>upstream', type: "application/json" };
  }
  const [code, message] = DEFAULT_ERRORS[status] ?? [
    status >= 500 ? "InternalServerError" : "Error",
    "error",
  ];
  const errorBody = fault.body ?? { error: message, error_code: code, link: link() };
  const text = typeof errorBody === "string" ? errorBody : JSON.stringify(errorBody);
  return { status, text, type: "application/json" };
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
  const waits = interruptibleWaits();

  const link = () =>
    `https://services.cloud.mongodb.com/groups/test/apps/${appId}/logs?co_id=${randomBytes(12).toString("hex")}`;

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
      authenticate(options.auth, dialect, req.headers);
      if (!target.action) throw new DataApiError(404, "FunctionNotFound", `unknown action '${target.named}'`);
      if (parseError) throw new DataApiError(400, "InvalidParameter", parseError);
      if (!body) throw new DataApiError(400, "InvalidParameter", "the request has no body");
      const [status, result] = runAction(mongo, dialect, target.action, body);
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
    const raw = await readBody(req);
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
      if (fault.delayMs && !(await waits.wait(fault.delayMs, res))) return;
      if (fault.reset) {
        res.destroy();
        req.socket.destroy();
        return;
      }
      if (fault.malformed || fault.status !== undefined) {
        for (const [k, v] of Object.entries(fault.headers ?? {})) res.setHeader(k, v);
        if (fault.retryAfter !== undefined) res.setHeader("retry-after", String(fault.retryAfter));
        reply = faultReply(fault, link);
      }
    }
    reply ??= respond(req, target, body, parseError);
    request.status = reply.status;
    sendText(res, reply.status, reply.text, reply.type);
  }

  const server = await startStubServer(
    handle,
    (res, error) => {
      const message = `test server failure: ${String(error)}`;
      sendJson(res, 500, { error: message, error_code: "InternalServerError", link: link() });
    },
    waits,
  );
  const origin = `http://127.0.0.1:${server.port}`;

  return {
    url: dialect === "atlas" ? `${origin}/app/${appId}/endpoint/data/v1` : origin,
    port: server.port,
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
    close: () => server.close(),
  };
}
