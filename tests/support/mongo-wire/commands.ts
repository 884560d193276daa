/**
 * The commands the wire-protocol test server answers, as a standalone mongod
 * 7.0 (or, with `replicaSet`, the primary of a one-member replica set)
 * answers them, over the engine shared with the Data API test server
 * (../data-api/engine.ts). Each takes the command document (document
 * sequences folded in) and returns the reply document; a refused command
 * throws EngineError, which the server answers as `{ok: 0, errmsg, code,
 * codeName}`. Command fields are validated the way mongod's IDL does:
 * a missing one is error 40414, a wrong type 14 (TypeMismatch).
 */
import { type Document, Long, ObjectId } from "bson";
import { z } from "zod";
import { type Doc, EngineError, indexName, type MemoryMongo } from "../data-api/engine";
import { Cursors, cursorId } from "./cursors";
import { MAX_MESSAGE_BYTES } from "./protocol";

/** What a command may need besides its document. */
export type CommandContext = {
  engine: MemoryMongo;
  cursors: Cursors;
  host: string;
  connectionId: number;
  /** Set: answer hello as the primary of this replica set (retryable writes are then on). */
  replicaSet?: string;
};

/** mongod 7.0's wire version: the driver (7.x) needs at least 9 (4.4). */
export const MAX_WIRE_VERSION = 21;
const ELECTION_ID = new ObjectId("7fffffff0000000000000001");

const doc = z.record(z.string(), z.unknown());
const count = z.number().int().nonnegative();

/** Parses a command's fields; zod's complaints become mongod's IDL errors. */
function fields<T extends z.ZodRawShape>(name: string, command: Document, shape: T): z.infer<z.ZodObject<T>> {
  const parsed = z.looseObject(shape).safeParse(command);
  if (parsed.success) return parsed.data as z.infer<z.ZodObject<T>>;
  const [issue] = parsed.error.issues;
  const path = `${name}.${(issue?.path ?? []).join(".")}`;
  if (issue?.code === "invalid_type" && issue.input === undefined) {
    throw new EngineError(40414, "Location40414", `BSON field '${path}' is missing but a required field`);
  }
  throw new EngineError(14, "TypeMismatch", `BSON field '${path}' is the wrong type (${issue?.message})`);
}

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

/** A write error of insert/update/delete: mongod's shape (`keyPattern`/`keyValue` for 11000). */
function writeError(index: number, error: unknown): Document {
  if (!(error instanceof EngineError)) throw error;
  return { index, code: error.code, errmsg: error.message, ...error.details };
}

function insert(db: string, command: Document, context: CommandContext): Document {
  const c = fields("insert", command, {
    insert: z.string(),
    documents: z.array(doc),
    ordered: z.boolean().optional(),
  });
  const ordered = c.ordered ?? true;
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [i, document] of c.documents.entries()) {
    try {
      context.engine.insertOne(db, c.insert, document);
      n += 1;
    } catch (error) {
      writeErrors.push(writeError(i, error));
      if (ordered) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors } : { n };
}

function update(db: string, command: Document, context: CommandContext): Document {
  const statement = z.looseObject({
    q: doc,
    u: doc,
    upsert: z.boolean().optional(),
    multi: z.boolean().optional(),
  });
  const c = fields("update", command, {
    update: z.string(),
    updates: z.array(statement),
    ordered: z.boolean().optional(),
  });
  const ordered = c.ordered ?? true;
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [i, s] of c.updates.entries()) {
    try {
      const result = context.engine.update(db, c.update, s.q, s.u, {
        upsert: s.upsert ?? false,
        multi: s.multi ?? false,
      });
      if (result.upsertedId !== undefined) {
        upserted.push({ index: i, _id: result.upsertedId });
        n += 1;
      } else n += result.matchedCount;
      nModified += result.modifiedCount;
    } catch (error) {
      writeErrors.push(writeError(i, error));
      if (ordered) break;
    }
  }
  return {
    n,
    nModified,
    ...(upserted.length > 0 ? { upserted } : {}),
    ...(writeErrors.length > 0 ? { writeErrors } : {}),
  };
}

function remove(db: string, command: Document, context: CommandContext): Document {
  const statement = z.looseObject({ q: doc, limit: z.union([z.literal(0), z.literal(1)]) });
  const c = fields("delete", command, { delete: z.string(), deletes: z.array(statement) });
  let n = 0;
  for (const s of c.deletes) n += context.engine.deleteMany(db, c.delete, s.q, s.limit);
  return { n };
}

function find(db: string, command: Document, context: CommandContext): Document {
  const c = fields("find", command, {
    find: z.string(),
    filter: doc.optional(),
    sort: doc.optional(),
    projection: doc.optional(),
    skip: count.optional(),
    limit: z.number().int().optional(),
    batchSize: count.optional(),
    singleBatch: z.boolean().optional(),
  });
  const results = context.engine.find(db, c.find, {
    filter: c.filter ?? {},
    sort: c.sort,
    projection: c.projection,
    skip: c.skip,
    limit: c.limit === undefined ? undefined : Math.abs(c.limit),
  });
  const single = c.singleBatch === true || (c.limit ?? 0) < 0;
  return { cursor: context.cursors.first(`${db}.${c.find}`, results, c.batchSize, single) };
}

function aggregate(db: string, command: Document, context: CommandContext): Document {
  const c = fields("aggregate", command, {
    aggregate: z.string(),
    pipeline: z.array(doc),
    cursor: z.looseObject({ batchSize: count.optional() }),
  });
  const results = context.engine.aggregate(db, c.aggregate, c.pipeline);
  return { cursor: context.cursors.first(`${db}.${c.aggregate}`, results, c.cursor.batchSize) };
}

function getMore(db: string, command: Document, context: CommandContext): Document {
  const c = fields("getMore", command, {
    getMore: z.unknown(),
    collection: z.string(),
    batchSize: count.optional(),
  });
  const id = cursorId(c.getMore);
  if (id === null)
    throw new EngineError(14, "TypeMismatch", "BSON field 'getMore.getMore' is the wrong type");
  return { cursor: context.cursors.more(id, `${db}.${c.collection}`, c.batchSize) };
}

function killCursors(command: Document, context: CommandContext): Document {
  const c = fields("killCursors", command, { killCursors: z.string(), cursors: z.array(z.unknown()) });
  return context.cursors.kill(c.cursors.map(cursorId).filter((id): id is bigint => id !== null));
}

function createIndexes(db: string, command: Document, context: CommandContext): Document {
  const spec = z.looseObject({ key: doc, name: z.string().optional(), unique: z.boolean().optional() });
  const c = fields("createIndexes", command, { createIndexes: z.string(), indexes: z.array(spec).min(1) });
  const specs = c.indexes.map((i) => ({
    key: i.key,
    name: i.name ?? indexName(i.key),
    ...(i.unique ? { unique: true } : {}),
  }));
  const result = context.engine.createIndexes(db, c.createIndexes, specs);
  const note =
    result.numIndexesAfter === result.numIndexesBefore ? { note: "all indexes already exist" } : {};
  return { ...result, ...note };
}

function listIndexes(db: string, command: Document, context: CommandContext): Document {
  const c = fields("listIndexes", command, { listIndexes: z.string() });
  if (!context.engine.collectionNames(db).includes(c.listIndexes)) {
    throw new EngineError(26, "NamespaceNotFound", `ns does not exist: ${db}.${c.listIndexes}`);
  }
  const specs = context.engine.listIndexes(db, c.listIndexes).map((s) => ({ v: 2, ...s }));
  return { cursor: context.cursors.first(`${db}.${c.listIndexes}`, specs, undefined) };
}

function listCollections(db: string, command: Document, context: CommandContext): Document {
  const c = fields("listCollections", command, { filter: doc.optional(), nameOnly: z.boolean().optional() });
  const wanted = typeof c.filter?.name === "string" ? c.filter.name : undefined;
  const infos = context.engine
    .collectionNames(db)
    .filter((name) => wanted === undefined || name === wanted)
    .map((name) =>
      c.nameOnly
        ? { name, type: "collection" }
        : { name, type: "collection", options: {}, info: { readOnly: false } },
    );
  return { cursor: context.cursors.first(`${db}.$cmd.listCollections`, infos, undefined) };
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

export type { Doc };
export { Cursors };
