import { EJSON } from "bson";
import {
  type Doc,
  DuplicateKeyError,
  type FindOptions,
  type MongoCollection,
  type MongoDatabase,
} from "./collection";

/**
 * A small client of the MongoDB Data API protocol over fetch: Atlas's v1
 * dialect (`{base}/action/<name>`, base ending in /app/<id>/endpoint/data/v1)
 * and FerretDB's (no prefix, HTTP Basic, `insertOne` answers `{n: 1}`).
 * Canonical EJSON both ways, so Dates and ObjectIds survive. Transient
 * failures (network, timeout, 429, 5xx) are retried with backoff a bounded
 * number of times; anything else becomes a DataApiError that says what failed.
 */

export type DataApiAuth =
  | { kind: "api-key"; key: string }
  | { kind: "bearer"; token: string }
  | { kind: "basic"; user: string; password: string };

export type DataApiOptions = {
  /** Base URL; actions are POSTed to `${url}/action/<name>`. */
  url: string;
  dataSource: string;
  database: string;
  auth: DataApiAuth;
  timeoutMs: number;
  /** Retries of a transient failure (so at most retries + 1 attempts). */
  retries: number;
  /** Delay before the first retry, doubled each time. */
  backoffMs?: number;
};

export class DataApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DataApiError";
  }
}

type Action = "insertOne" | "insertMany" | "find" | "findOne" | "updateOne" | "aggregate" | "deleteMany";

function authHeaders(auth: DataApiAuth): Record<string, string> {
  switch (auth.kind) {
    case "api-key":
      return { "api-key": auth.key };
    case "bearer":
      return { authorization: `Bearer ${auth.token}` };
    case "basic":
      return { authorization: `Basic ${btoa(`${auth.user}:${auth.password}`)}` };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The error text of a Data API answer: `{error, error_code, link}` or whatever the body is. */
function describeError(body: string): { text: string; code: string | null } {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_code?: unknown };
    return {
      text: typeof parsed.error === "string" ? parsed.error : body.slice(0, 200),
      code: typeof parsed.error_code === "string" ? parsed.error_code : null,
    };
  } catch {
    return { text: body.slice(0, 200), code: null };
  }
}

export function createDataApiDatabase(options: DataApiOptions): MongoDatabase {
  const base = options.url.replace(/\/+$/, "");
  const headers = {
    "content-type": "application/ejson",
    accept: "application/ejson",
    ...authHeaders(options.auth),
  };
  const backoff = options.backoffMs ?? 100;

  async function call(action: Action, collection: string, fields: Doc): Promise<Doc> {
    const body = EJSON.stringify(
      { dataSource: options.dataSource, database: options.database, collection, ...fields },
      { relaxed: false },
    );
    let lastError: DataApiError | undefined;
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1));
      let response: Response;
      try {
        response = await fetch(`${base}/action/${action}`, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        const timedOut =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        lastError = new DataApiError(
          timedOut
            ? `Data API ${action} did not answer within ${options.timeoutMs} ms`
            : `Data API ${action} could not be reached (${error instanceof Error ? error.message : String(error)})`,
          null,
          { cause: error },
        );
        continue;
      }
      const text = await response.text();
      if (response.ok) {
        try {
          return EJSON.parse(text, { relaxed: true }) as Doc;
        } catch (error) {
          throw new DataApiError(`Data API ${action} answered a body that is not EJSON`, response.status, {
            cause: error,
          });
        }
      }
      const { text: message, code } = describeError(text);
      if (response.status === 409 || code === "DuplicateKey" || /E11000|duplicate key/i.test(message)) {
        throw new DuplicateKeyError(message);
      }
      lastError = new DataApiError(
        `Data API ${action} failed with HTTP ${response.status}: ${message}`,
        response.status,
      );
      if (!isTransient(response.status)) throw lastError;
      const retryAfter = Number(response.headers.get("retry-after"));
      if (Number.isFinite(retryAfter) && retryAfter > 0 && attempt < options.retries) {
        await sleep(Math.min(retryAfter * 1000, 10_000));
      }
    }
    throw lastError ?? new DataApiError(`Data API ${action} failed`, null);
  }

  const documents = (result: Doc, action: Action): Doc[] => {
    if (!Array.isArray(result.documents)) {
      throw new DataApiError(`Data API ${action} answered without a documents list`, 200);
    }
    return result.documents as Doc[];
  };

  function collection(name: string): MongoCollection {
    return {
      async insertOne(doc) {
        await call("insertOne", name, { document: doc });
      },
      async insertMany(docs) {
        if (docs.length > 0) await call("insertMany", name, { documents: docs });
      },
      async find(filter, findOptions: FindOptions = {}) {
        const fields: Doc = { filter };
        if (findOptions.sort) fields.sort = findOptions.sort;
        if (findOptions.limit !== undefined) fields.limit = findOptions.limit;
        if (findOptions.projection) fields.projection = findOptions.projection;
        return documents(await call("find", name, fields), "find");
      },
      async aggregate(pipeline) {
        return documents(await call("aggregate", name, { pipeline }), "aggregate");
      },
      async deleteMany(filter) {
        const result = await call("deleteMany", name, { filter });
        if (typeof result.deletedCount !== "number") {
          throw new DataApiError("Data API deleteMany answered without a deletedCount", 200);
        }
        return result.deletedCount;
      },
      async updateOne(filter, update) {
        const result = await call("updateOne", name, { filter, update });
        if (typeof result.matchedCount !== "number") {
          throw new DataApiError("Data API updateOne answered without a matchedCount", 200);
        }
        return result.matchedCount;
      },
    };
  }

  return {
    adapter: "mongodb-data-api",
    database: options.database,
    collection,
    async ping() {
      await call("findOne", "events", { filter: { _id: "__ping__" }, projection: { _id: 1 } });
    },
    // The Data API has no action that creates indexes: the unique _id index
    // (a record's id) keeps events idempotent; the export's indexes are made
    // once with scripts/mongodb-indexes.js (docs/mongodb.md).
    async ensureIndexes() {},
  };
}
