/**
 * The collection commands of the wire-protocol test server (see
 * ./commands.ts): writes with mongod's writeErrors, reads with server-side
 * cursors, and indexes, over the engine shared with the Data API test server.
 * Command fields are validated the way mongod's IDL does: a missing one is
 * error 40414, a wrong type 14 (TypeMismatch).
 */
import type { Document } from "bson";
import { z } from "zod";
import { EngineError, indexName, type MemoryMongo } from "../data-api/engine";
import { type Cursors, cursorId } from "./cursors";

/** What a command may need besides its document. */
export type CommandContext = {
  engine: MemoryMongo;
  cursors: Cursors;
  host: string;
  connectionId: number;
  /** Set: answer hello as the primary of this replica set (retryable writes are then on). */
  replicaSet?: string;
};

export const doc = z.record(z.string(), z.unknown());
const count = z.number().int().nonnegative();

/** Parses a command's fields; zod's complaints become mongod's IDL errors. */
export function fields<T extends z.ZodRawShape>(
  name: string,
  command: Document,
  shape: T,
): z.infer<z.ZodObject<T>> {
  const parsed = z.looseObject(shape).safeParse(command);
  if (parsed.success) return parsed.data as z.infer<z.ZodObject<T>>;
  const [issue] = parsed.error.issues;
  const path = `${name}.${(issue?.path ?? []).join(".")}`;
  if (issue?.code === "invalid_type" && issue.input === undefined) {
    throw new EngineError(40414, "Location40414", `BSON field '${path}' is missing but a required field`);
  }
  throw new EngineError(14, "TypeMismatch", `BSON field '${path}' is the wrong type (${issue?.message})`);
}

/** A write error of insert/update/delete: mongod's shape (`keyPattern`/`keyValue` for 11000). */
function writeError(index: number, error: unknown): Document {
  if (!(error instanceof EngineError)) throw error;
  return { index, code: error.code, errmsg: error.message, ...error.details };
}

export function insert(db: string, command: Document, context: CommandContext): Document {
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

export function update(db: string, command: Document, context: CommandContext): Document {
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

export function remove(db: string, command: Document, context: CommandContext): Document {
  const statement = z.looseObject({ q: doc, limit: z.union([z.literal(0), z.literal(1)]) });
  const c = fields("delete", command, { delete: z.string(), deletes: z.array(statement) });
  let n = 0;
  for (const s of c.deletes) n += context.engine.deleteMany(db, c.delete, s.q, s.limit);
  return { n };
}

export function find(db: string, command: Document, context: CommandContext): Document {
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

export function aggregate(db: string, command: Document, context: CommandContext): Document {
  const c = fields("aggregate", command, {
    aggregate: z.string(),
    pipeline: z.array(doc),
    cursor: z.looseObject({ batchSize: count.optional() }),
  });
  const results = context.engine.aggregate(db, c.aggregate, c.pipeline);
  return { cursor: context.cursors.first(`${db}.${c.aggregate}`, results, c.cursor.batchSize) };
}

export function getMore(db: string, command: Document, context: CommandContext): Document {
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

export function killCursors(command: Document, context: CommandContext): Document {
  const c = fields("killCursors", command, { killCursors: z.string(), cursors: z.array(z.unknown()) });
  return context.cursors.kill(c.cursors.map(cursorId).filter((id): id is bigint => id !== null));
}

export function createIndexes(db: string, command: Document, context: CommandContext): Document {
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

export function listIndexes(db: string, command: Document, context: CommandContext): Document {
  const c = fields("listIndexes", command, { listIndexes: z.string() });
  if (!context.engine.collectionNames(db).includes(c.listIndexes)) {
    throw new EngineError(26, "NamespaceNotFound", `ns does not exist: ${db}.${c.listIndexes}`);
  }
  const specs = context.engine.listIndexes(db, c.listIndexes).map((s) => ({ v: 2, ...s }));
  return { cursor: context.cursors.first(`${db}.${c.listIndexes}`, specs, undefined) };
}

export function listCollections(db: string, command: Document, context: CommandContext): Document {
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
