/**
 * The public types of the MongoDB wire-protocol test server
 * (../mongo-wire-server.ts): its options, injected faults, the commands it
 * records, and the handle `startMongoWireServer` returns.
 */
import type { Document } from "bson";
import type { Doc, IndexSpec } from "../data-api/engine";

export type MongoWireServerOptions = {
  /**
   * Answer as the primary of a one-member replica set of this name instead of a standalone
   * mongod: the driver then uses retryable writes (lsid + txnNumber), and a retried statement
   * gets the first attempt's answer instead of running twice, as on mongod.
   */
  replicaSet?: string;
  /** Collection name → fields with a unique index every new collection of that name starts with. */
  uniqueIndexes?: Record<string, string[]>;
  /** A fixed port (default: a free one). */
  port?: number;
};

/** One injected failure, used by one command (see `failNext` and `fail`). */
export type WireFault = {
  /**
   * Only a command of this name uses the fault (e.g. "insert", "find", "hello"). Default: the
   * next command that is not a handshake or monitoring check (hello, isMaster), whatever it is.
   */
  command?: string;
  /** Wait this long first (longer than the client's timeout makes it give up). */
  delayMs?: number;
  /** Then reset the connection (TCP RST) instead of answering: the client sees ECONNRESET. */
  reset?: boolean;
  /** Or answer this command error instead of running the command. */
  error?: { code: number; codeName: string; errmsg?: string; errorLabels?: string[] };
  /**
   * Run the command as it arrives, whatever the client then sees: with `reset` or `error` the
   * write is stored and its answer lost; with only `delayMs` it is stored at once and answered
   * late. Without it, a delayed command runs after the delay only if the client is still there.
   */
  applied?: boolean;
};

/** A command as the server received it. */
export type WireCommand = {
  /** 1 for the first command since the server started (or `reset`), then 2, 3... */
  number: number;
  /** Which TCP connection sent it (1 for the first one accepted, then 2, 3...). */
  connection: number;
  /** The legacy OP_QUERY (first handshake) or OP_MSG. */
  opCode: "OP_QUERY" | "OP_MSG";
  /** The command's name (its first field). */
  name: string;
  /** The database (`$db`, or OP_QUERY's namespace). */
  db: string;
  /** The command document with document sequences folded in, as received. */
  body: Document;
  /** Identifiers of OP_MSG document sequences (kind-1 sections), e.g. ["documents"]. */
  sequences: string[];
  /** OP_MSG flag bits. */
  flags: number;
  /** What was answered: 1, 0 (an error, `code` its code), or undefined (no answer: reset, or pending). */
  ok?: 0 | 1;
  code?: number;
  /** True when the answer came from the retry cache (a retried write that was not run again). */
  replayed?: boolean;
  receivedAt: number;
};

export type WireConnections = {
  /** Connections accepted since the server started. */
  opened: number;
  /** Connections open now. */
  open: number;
};

export interface MongoWireServer {
  /** `mongodb://127.0.0.1:<port>/?directConnection=true`: give it to MongoClient as is. */
  readonly uri: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, as hello names this server. */
  readonly host: string;
  /** Every command received, oldest first (emptied in place by `reset`). */
  readonly commands: WireCommand[];
  /** The commands received, without the handshakes and monitoring checks (hello, isMaster). */
  operations(): WireCommand[];
  connections(): WireConnections;
  /** Resets every open connection (TCP RST), as a restarting server or a dropped link would. */
  dropConnections(): void;
  /** The next `count` matching commands each meet this fault. */
  failNext(count: number, fault: WireFault): void;
  /** Queues faults, one command each, in order, after those already queued. */
  fail(...faults: WireFault[]): void;
  pendingFaults(): number;
  /** How many server-side cursors are open. */
  openCursors(): number;
  databases(): string[];
  collections(db: string): string[];
  /** Copies of a collection's documents, in insertion order, with native types. */
  documents(db: string, collection: string): Doc[];
  indexes(db: string, collection: string): IndexSpec[];
  /** Stores documents directly (no command, no fault), subject to the unique indexes. */
  seed(db: string, collection: string, documents: Doc[]): void;
  /** Empties every database, the command log, the cursors, the retry cache and the fault queue. */
  reset(): void;
  /** Stops the server: pending delays end, open connections are closed. */
  close(): Promise<void>;
}
