/**
 * What the Data API test server (../data-api-server.ts) does with a request
 * that reaches it: checking its credentials, then running its action on the
 * in-memory database with Atlas's (or FerretDB's) parameters and answers.
 */
import type { IncomingMessage } from "node:http";
import { type Doc, EngineError, type MemoryMongo } from "./engine";
import type { DataApiAction, DataApiAuth, DataApiDialect } from "./types";

/** An error the HTTP layer turns into `{error, error_code, link}` with this status. */
export class DataApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "DataApiError";
  }
}

/**
 * How the Data API reported a command mongod refused: a duplicate key as 409
 * DuplicateKey with mongod's E11000 message, anything else as 400
 * InvalidParameter with the codeName in parentheses, e.g. "(BadValue) ...".
 */
function fromEngine(error: EngineError): DataApiError {
  if (error.code === 11000) return new DataApiError(409, "DuplicateKey", error.message);
  return new DataApiError(400, "InvalidParameter", `(${error.codeName}) ${error.message}`);
}

export function asDoc(value: unknown): Doc | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Doc) : undefined;
}

function required<T>(value: T | undefined, name: string, kind = "an object"): T {
  if (value === undefined) throw new DataApiError(400, "InvalidParameter", `'${name}' must be ${kind}`);
  return value;
}

/** Throws 401 unless the headers carry credentials `auth` accepts (no `auth`: everyone is let in). */
export function authenticate(
  auth: DataApiAuth | undefined,
  dialect: DataApiDialect,
  headers: IncomingMessage["headers"],
): void {
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
export function runAction(
  mongo: MemoryMongo,
  dialect: DataApiDialect,
  action: DataApiAction,
  body: Doc,
): [number, Doc] {
  try {
    return run(mongo, dialect, action, body);
  } catch (error) {
    throw error instanceof EngineError ? fromEngine(error) : error;
  }
}

function run(mongo: MemoryMongo, dialect: DataApiDialect, action: DataApiAction, body: Doc): [number, Doc] {
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
        throw new DataApiError(400, "InvalidParameter", "'documents' must be a non-empty array of documents");
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
