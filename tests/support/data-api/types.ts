/**
 * The public types of the Data API test server (../data-api-server.ts): its
 * actions, dialects, credentials, options, injected faults, the requests it
 * records, and the handle `startDataApiServer` returns.
 */
import type { IncomingMessage } from "node:http";
import type { Doc } from "./engine";

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
