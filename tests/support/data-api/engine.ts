/**
 * The in-memory database behind both MongoDB test servers: the Data API
 * server (../data-api-server.ts, HTTP + EJSON) and the wire-protocol server
 * (../mongo-wire-server.ts, TCP + BSON). Databases of collections of
 * documents, with MongoDB's query, sort, projection, update and aggregation
 * semantics from `mingo`, and indexes whose unique ones refuse duplicates as
 * mongod does: error 11000 with its E11000 message, `keyPattern` and
 * `keyValue`. Documents hold native values (Date, bson's ObjectId, numbers);
 * each protocol layer converts to and from its wire format and maps
 * `EngineError` to its own error shape.
 *
 * Where mingo differs from MongoDB in a way callers would notice, this file
 * follows MongoDB: `$count` on no input gives no document (mingo gives
 * `{n: 0}`), and `_id` comes first in every document returned.
 */
import { EJSON, ObjectId } from "bson";
import { Aggregator, find, update } from "mingo";

export type Doc = Record<string, unknown>;

/**
 * A command failed as mongod would fail it: its numeric code and codeName
 * (11000 DuplicateKey, 2 BadValue, 9 FailedToParse, 14 TypeMismatch, 85
 * IndexOptionsConflict...) and, for a duplicate key, `keyPattern`/`keyValue`.
 */
export class EngineError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly details: Doc = {},
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/** An index as `createIndexes` takes it and `listIndexes` gives it. */
export type IndexSpec = { key: Doc; name: string; unique?: boolean };

type Index = IndexSpec & {
  fields: string[];
  /** Unique indexes only: canonical key of the indexed values → the document holding them. */
  entries?: Map<string, Doc>;
};

type Collection = { docs: Doc[]; indexes: Index[] };

const isPlainObject = (value: unknown): value is Doc =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** A deep copy: plain objects, arrays and Dates are copied; bson values (immutable) are shared. */
export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const copy: Doc = {};
    for (const [k, v] of Object.entries(value)) copy[k] = clone(v);
    return copy as T;
  }
  return value;
}

/** The same document with `_id` as its first field, as MongoDB stores and returns it. */
function idFirst(doc: Doc): Doc {
  if (!("_id" in doc) || Object.keys(doc)[0] === "_id") return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function getPath(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split(".")) {
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** How mongod prints a value in an E11000 message: { event_id: "abc" }, { _id: ObjectId('...') }. */
function shellValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return EJSON.stringify(value, { relaxed: true });
}

/** The default name mongod gives an index: `event_id_1`, `received_at_1__id_1`. */
export const indexName = (key: Doc): string =>
  Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join("_");

const typeMismatch = (message: string) => new EngineError(14, "TypeMismatch", message);

/** `{$count: "n"}` → MongoDB's documented equivalent, which yields no document for no input. */
function rewritePipeline(pipeline: unknown[]): Doc[] {
  return pipeline.flatMap((stage): Doc[] => {
    if (!isPlainObject(stage)) throw typeMismatch("a pipeline stage must be an object");
    if (typeof stage.$count === "string") {
      return [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }];
    }
    if (isPlainObject(stage.$facet)) {
      const facets = Object.entries(stage.$facet).map(([k, p]) => [k, rewritePipeline(asArray(p, "$facet"))]);
      return [{ $facet: Object.fromEntries(facets) }];
    }
    if (isPlainObject(stage.$unionWith) && Array.isArray(stage.$unionWith.pipeline)) {
      return [{ $unionWith: { ...stage.$unionWith, pipeline: rewritePipeline(stage.$unionWith.pipeline) } }];
    }
    return [stage];
  });
}

function asArray(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw typeMismatch(`${name} must be an array`);
  return value;
}

/** Runs a mingo operation; its errors (unknown operator, bad expression) become BadValue, as mongod's would. */
function query<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(2, "BadValue", (error as Error).message);
  }
}

export type FindQuery = { filter: Doc; projection?: Doc; sort?: Doc; limit?: number; skip?: number };
export type UpdateResult = { matchedCount: number; modifiedCount: number; upsertedId?: unknown };

export class MemoryMongo {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  /**
   * uniqueIndexes: collection name → fields with a unique index that every new collection of that
   * name starts with, in every database (for the Data API, which cannot create indexes); `_id`
   * always is. More come from `createIndexes`.
   */
  constructor(private readonly uniqueIndexes: Record<string, string[]> = {}) {}

  private get(db: string, name: string, create: boolean): Collection | undefined {
    let database = this.dbs.get(db);
    if (!database && create) {
      database = new Map();
      this.dbs.set(db, database);
    }
    let collection = database?.get(name);
    if (!collection && create && database) {
      collection = { docs: [], indexes: [] };
      const unique = [...new Set(this.uniqueIndexes[name] ?? [])].filter((f) => f !== "_id");
      this.addIndex(db, name, collection, { key: { _id: 1 }, name: "_id_", unique: true });
      for (const field of unique) {
        this.addIndex(db, name, collection, { key: { [field]: 1 }, name: `${field}_1`, unique: true });
      }
      database.set(name, collection);
    }
    return collection;
  }

  private entryKey(index: Index, doc: Doc): string {
    return EJSON.stringify({ v: index.fields.map((f) => getPath(doc, f) ?? null) }, { relaxed: false });
  }

  private duplicate(db: string, name: string, index: Index, doc: Doc): EngineError {
    const keyValue = Object.fromEntries(index.fields.map((f) => [f, getPath(doc, f) ?? null]));
    const printed = Object.entries(keyValue)
      .map(([f, v]) => `${f}: ${shellValue(v)}`)
      .join(", ");
    return new EngineError(
      11000,
      "DuplicateKey",
      `E11000 duplicate key error collection: ${db}.${name} index: ${index.name} dup key: { ${printed} }`,
      { keyPattern: clone(index.key), keyValue: clone(keyValue) },
    );
  }

  /** Throws E11000 if a unique index holds this document's key already (but for `except`). */
  private checkUnique(db: string, name: string, coll: Collection, doc: Doc, except?: Doc): void {
    for (const index of coll.indexes) {
      const holder = index.entries?.get(this.entryKey(index, doc));
      if (holder && holder !== except) throw this.duplicate(db, name, index, doc);
    }
  }

  private indexDoc(coll: Collection, doc: Doc): void {
    for (const index of coll.indexes) index.entries?.set(this.entryKey(index, doc), doc);
  }

  private reindex(coll: Collection): void {
    for (const index of coll.indexes) index.entries?.clear();
    for (const doc of coll.docs) this.indexDoc(coll, doc);
  }

  /** Builds an index over the documents there; a unique one refuses existing duplicates (E11000). */
  private addIndex(db: string, name: string, coll: Collection, spec: IndexSpec): void {
    const index: Index = { ...clone(spec), fields: Object.keys(spec.key) };
    if (spec.unique) {
      index.entries = new Map();
      for (const doc of coll.docs) {
        const key = this.entryKey(index, doc);
        if (index.entries.has(key)) throw this.duplicate(db, name, index, doc);
        index.entries.set(key, doc);
      }
    }
    coll.indexes.push(index);
  }

  /**
   * Creates the indexes missing (the collection too), as mongod's `createIndexes`: one that exists
   * with the same name and key is left as is; the same name with another key or options, or the
   * same key under another name, is refused (IndexKeySpecsConflict 86, IndexOptionsConflict 85).
   */
  createIndexes(
    db: string,
    collection: string,
    specs: IndexSpec[],
  ): { numIndexesBefore: number; numIndexesAfter: number; createdCollectionAutomatically: boolean } {
    const created = !this.get(db, collection, false);
    const coll = this.get(db, collection, true) as Collection;
    const numIndexesBefore = coll.indexes.length;
    for (const spec of specs) {
      const sameKey = (i: Index) => JSON.stringify(i.key) === JSON.stringify(spec.key);
      const named = coll.indexes.find((i) => i.name === spec.name);
      if (named) {
        if (!sameKey(named)) {
          throw new EngineError(
            86,
            "IndexKeySpecsConflict",
            `An existing index has the same name as the requested index. Requested index: ${EJSON.stringify(spec)}`,
          );
        }
        if (Boolean(named.unique) !== Boolean(spec.unique)) {
          throw new EngineError(
            85,
            "IndexOptionsConflict",
            `Index with name: ${spec.name} already exists with different options`,
          );
        }
        continue;
      }
      const keyed = coll.indexes.find(sameKey);
      if (keyed) {
        throw new EngineError(
          85,
          "IndexOptionsConflict",
          `Index already exists with a different name: ${keyed.name}`,
        );
      }
      this.addIndex(db, collection, coll, spec);
    }
    return {
      numIndexesBefore,
      numIndexesAfter: coll.indexes.length,
      createdCollectionAutomatically: created,
    };
  }

  /** The indexes of a collection, `_id_` first (none when it does not exist). */
  listIndexes(db: string, collection: string): IndexSpec[] {
    return (this.get(db, collection, false)?.indexes ?? []).map(({ key, name, unique }) =>
      unique && name !== "_id_" ? { key: clone(key), name, unique } : { key: clone(key), name },
    );
  }

  /** Names of the databases holding a collection. */
  databaseNames(): string[] {
    return [...this.dbs.keys()];
  }

  /** Names of the collections of a database (a collection exists once something created it). */
  collectionNames(db: string): string[] {
    return [...(this.dbs.get(db)?.keys() ?? [])];
  }

  /** Copies of the stored documents, in insertion order. */
  documents(db: string, collection: string): Doc[] {
    return (this.get(db, collection, false)?.docs ?? []).map(clone);
  }

  insertOne(db: string, collection: string, document: Doc): unknown {
    const coll = this.get(db, collection, true) as Collection;
    const doc = idFirst({ _id: new ObjectId(), ...clone(document) });
    this.checkUnique(db, collection, coll, doc);
    coll.docs.push(doc);
    this.indexDoc(coll, doc);
    return doc._id;
  }

  /** Ordered, as MongoDB's default: stops at the first refused document, the ones before it stay. */
  insertMany(db: string, collection: string, documents: Doc[]): unknown[] {
    return documents.map((doc) => this.insertOne(db, collection, doc));
  }

  find(db: string, collection: string, options: FindQuery): Doc[] {
    const docs = this.get(db, collection, false)?.docs ?? [];
    return query(() => {
      const cursor = find(docs, options.filter, options.projection);
      if (options.sort && Object.keys(options.sort).length > 0) cursor.sort(options.sort as never);
      if (options.skip) cursor.skip(options.skip);
      if (options.limit) cursor.limit(Math.abs(options.limit));
      return cursor.all().map((d) => idFirst(clone(d as Doc)));
    });
  }

  /** `updateOne` (the Data API's) is `update` without multi. */
  updateOne(db: string, collection: string, filter: Doc, modifier: Doc, upsert: boolean): UpdateResult {
    return this.update(db, collection, filter, modifier, { upsert, multi: false });
  }

  /**
   * Applies update operators to the first (or, with multi, every) matching document, each
   * checked against the unique indexes; with upsert and no match, inserts the filter's equality
   * fields with the update and `$setOnInsert` applied. Replacement documents are refused.
   */
  update(
    db: string,
    collection: string,
    filter: Doc,
    modifier: Doc,
    options: { upsert: boolean; multi: boolean },
  ): UpdateResult {
    const ops = Object.keys(modifier);
    if (ops.length === 0 || ops.some((op) => !op.startsWith("$"))) {
      throw new EngineError(9, "FailedToParse", "Update document requires atomic operators");
    }
    const { $setOnInsert, ...rest } = modifier;
    const coll = this.get(db, collection, options.upsert);
    const matches = coll ? query(() => find(coll.docs, filter).all()) : [];
    const targets = (options.multi ? matches : matches.slice(0, 1)) as Doc[];
    if (coll && targets.length > 0) {
      let modifiedCount = 0;
      for (const match of targets) {
        const updated = clone(match);
        const changed = Object.keys(rest).length > 0 ? query(() => update(updated, rest)) : [];
        if (changed.length === 0) continue;
        this.checkUnique(db, collection, coll, updated, match);
        coll.docs[coll.docs.indexOf(match)] = updated;
        this.reindex(coll);
        modifiedCount += 1;
      }
      return { matchedCount: targets.length, modifiedCount };
    }
    if (!options.upsert || !coll) return { matchedCount: 0, modifiedCount: 0 };
    // The new document: the filter's equality fields, then the update, then $setOnInsert.
    const seed: Doc = {};
    // Top-level fields are assigned (mingo's $set refuses to set `_id`), dotted paths $set.
    const put = (key: string, value: unknown) => {
      if (key.includes(".")) update(seed, { $set: { [key]: clone(value) } });
      else seed[key] = clone(value);
    };
    query(() => {
      for (const [key, value] of Object.entries(filter)) {
        if (key.startsWith("$")) continue;
        if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith("$"))) {
          if ("$eq" in value) put(key, value.$eq);
          continue;
        }
        put(key, value);
      }
      if (Object.keys(rest).length > 0) update(seed, rest);
      if (isPlainObject($setOnInsert)) update(seed, { $set: $setOnInsert });
    });
    const upsertedId = this.insertOne(db, collection, seed);
    return { matchedCount: 0, modifiedCount: 0, upsertedId };
  }

  /** Deletes every document that matches (limit 1: the first only); returns how many. */
  deleteMany(db: string, collection: string, filter: Doc, limit = 0): number {
    const coll = this.get(db, collection, false);
    if (!coll) return 0;
    const matches = query(() => find(coll.docs, filter).all());
    const doomed = new Set(limit === 1 ? matches.slice(0, 1) : matches);
    coll.docs = coll.docs.filter((d) => !doomed.has(d));
    this.reindex(coll);
    return doomed.size;
  }

  /** mingo's pipeline; `$unionWith`/`$lookup` read other collections of the same database. */
  aggregate(db: string, collection: string, pipeline: unknown[]): Doc[] {
    const stages = rewritePipeline(pipeline);
    const input = this.documents(db, collection);
    return query(() =>
      new Aggregator(stages, { collectionResolver: (name: string) => this.documents(db, name) })
        .run(input)
        .map((d) => idFirst(d as Doc)),
    );
  }

  /** Drops one collection; true if it existed. */
  dropCollection(db: string, collection: string): boolean {
    return this.dbs.get(db)?.delete(collection) ?? false;
  }

  /** Drops one database (nothing if it does not exist). */
  dropDatabase(db: string): void {
    this.dbs.delete(db);
  }

  /** Drops every database. */
  reset(): void {
    this.dbs.clear();
  }
}
