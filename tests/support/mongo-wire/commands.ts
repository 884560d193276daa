/**
 * The commands the wire-protocol test server answers, as a standalone mongod
 * 7.0 (or, with `replicaSet`, the primary of a one-member replica set)
 * answers them, over the engine shared with the Data API test server
 * (../data-api/engine.ts). Each takes the command document (document
 * sequences folded in) and returns the reply document; a refused command
 * throws EngineError, which the server answers as `{ok: 0, errmsg, code,
 * codeName}`. This file holds the handshake, the server's own commands and
 * the dispatch; ./collection-commands.ts the reads, writes and indexes.
 */
import { type Document, Long, ObjectId } from "bson";
import { z } from "zod";
import { EngineError } from "../data-api/engine";
import {
  aggregate,
  type CommandContext,
  createIndexes,
  doc,
  fields,
  find,
  getMore,
  insert,
  killCursors,
  listCollections,
  listIndexes,
  remove,
  update,
} from "./collection-commands";
import { MAX_MESSAGE_BYTES } from "./protocol";

export type { CommandContext };

/** mongod 7.0's wire version: the driver (7.x) needs at least 9 (4.4). */
export const MAX_WIRE_VERSION = 21;
const ELECTION_ID = new ObjectId("7fffffff0000000000000001");

function hello(command: Document, context: CommandContext): Document {
  // The legacy spelling is answered in its own words (`ismaster`), as mongod does.
  const legacy = "isMaster" in command || "ismaster" in command;
  const primary = { [legacy ? "ismaster" : "isWritablePrimary"]: true };
  // No topologyVersion: the driver then polls with hello instead of streaming (awaitable hello).
  const replica = context.replicaSet
    ? {
        setName: context.replicaSet,
        setVersion: 1,
        hosts: [context.host],
        primary: context.host,
        me: context.host,
        secondary: false,
        electionId: ELECTION_ID,
      }
    : {};
  return {
    ...(command.helloOk === true ? { helloOk: true } : {}),
    ...primary,
    ...replica,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
}

type Handler = (db: string, command: Document, context: CommandContext) => Document;

/** Every command answered, by name (mongod's names are case-sensitive; both spellings of isMaster exist). */
const COMMANDS: Record<string, Handler> = {
  hello: (_db, c, context) => hello(c, context),
  isMaster: (_db, c, context) => hello(c, context),
  ismaster: (_db, c, context) => hello(c, context),
  ping: () => ({}),
  buildInfo: () => ({
    version: "7.0.0",
    gitVersion: "mongo-wire-test-server",
    versionArray: [7, 0, 0, 0],
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
  }),
  endSessions: () => ({}),
  insert,
  update,
  delete: remove,
  find,
  aggregate,
  getMore,
  killCursors: (_db, c, context) => killCursors(c, context),
  count: (db, c, context) => {
    const f = fields("count", c, { count: z.string(), query: doc.optional() });
    return { n: context.engine.find(db, f.count, { filter: f.query ?? {} }).length };
  },
  createIndexes,
  listIndexes,
  listCollections,
  drop: (db, c, context) => {
    const f = fields("drop", c, { drop: z.string() });
    const nIndexesWas = context.engine.listIndexes(db, f.drop).length;
    context.engine.dropCollection(db, f.drop);
    return { ns: `${db}.${f.drop}`, nIndexesWas };
  },
  dropDatabase: (db, _c, context) => {
    context.engine.dropDatabase(db);
    return { dropped: db };
  },
  listDatabases: (_db, _c, context) => ({
    databases: context.engine.databaseNames().map((name) => ({ name, sizeOnDisk: 0, empty: false })),
    totalSize: 0,
  }),
  // No users exist: a client that sends credentials is refused as mongod refuses an unknown user.
  saslStart: () => {
    throw new EngineError(18, "AuthenticationFailed", "Authentication failed.");
  },
};

/** The commands this server answers (anything else: CommandNotFound, 59). */
export const COMMAND_NAMES = Object.keys(COMMANDS);

/** Writes whose answer a retried statement (same lsid and txnNumber) gets again instead of running twice. */
export const RETRYABLE_WRITES = new Set(["insert", "update", "delete"]);

/** The command's name: its first field, as mongod reads it. */
export const commandName = (command: Document): string => Object.keys(command)[0] ?? "";

/** Runs one command; returns the reply without `ok` (the server adds it), or throws EngineError. */
export function runCommand(db: string, command: Document, context: CommandContext): Document {
  const name = commandName(command);
  const handler = COMMANDS[name];
  if (!handler) throw new EngineError(59, "CommandNotFound", `no such command: '${name}'`);
  if (command.txnNumber !== undefined && !context.replicaSet) {
    throw new EngineError(
      20,
      "IllegalOperation",
      "Transaction numbers are only allowed on a replica set member or mongos",
    );
  }
  return handler(db, command, context);
}

/** A txnNumber as sent (int64) → its decimal text, for the retry cache's key. */
export const txnKey = (lsid: unknown, txnNumber: unknown): string | null => {
  const id = (lsid as { id?: { toString(encoding: string): string } } | undefined)?.id;
  if (!id || txnNumber === undefined) return null;
  const n = txnNumber instanceof Long ? txnNumber.toString() : String(txnNumber);
  return `${id.toString("hex")}:${n}`;
};
