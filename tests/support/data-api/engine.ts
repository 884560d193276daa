/**
 * The in-memory database behind the Data API test server
 * (../data-api-server.ts): databases of collections of documents, with
 * MongoDB's query, sort, projection, update and aggregation semantics from
 * `mingo`, and unique indexes that refuse duplicates with MongoDB's E11000
 * message. Documents hold native values (Date, bson's ObjectId, numbers);
 * the HTTP layer converts to and from (E)JSON.
 *
 * Where mingo differs from MongoDB in a way callers would notice, this file
 * follows MongoDB: `$count` on no input gives no document (mingo gives
 * `{n: 0}`), and `_id` comes first in every document returned.
 */
import { EJSON, ObjectId } from "bson";
import { Aggregator, find, update } from "mingo";

export type Doc = Record<string, unknown>;

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

type Collection = {
  docs: Doc[];
  /** Unique index field → canonical key of the value → the document holding it. */
  keys: Map<string, Map<string, Doc>>;
};

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

/** `{$count: "n"}` → MongoDB's documented equivalent, which yields no document for no input. */
function rewritePipeline(pipeline: unknown[]): Doc[] {
  return pipeline.flatMap((stage): Doc[] => {
    if (!isPlainObject(stage))
      throw new DataApiError(400, "InvalidParameter", "a pipeline stage must be an object");
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
  if (!Array.isArray(value)) throw new DataApiError(400, "InvalidParameter", `${name} must be an array`);
  return value;
}

/** Runs a mingo operation; its errors (unknown operator, bad expression) become 400s, as mongod's would. */
function query<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DataApiError) throw error;
    throw new DataApiError(400, "InvalidParameter", `(BadValue) ${(error as Error).message}`);
  }
}

export class MemoryMongo {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  /** uniqueIndexes: collection name → fields with a unique index (in every database); `_id` always is. */
  constructor(private readonly uniqueIndexes: Record<string, string[]>) {}

  private indexFields(collection: string): string[] {
    return [...new Set(["_id", ...(this.uniqueIndexes[collection] ?? [])])];
  }

  private get(db: string, name: string, create: boolean): Collection | undefined {
    let database = this.dbs.get(db);
    if (!database && create) {
      database = new Map();
      this.dbs.set(db, database);
    }
    let collection = database?.get(name);
    if (!collection && create && database) {
      collection = { docs: [], keys: new Map(this.indexFields(name).map((f) => [f, new Map()])) };
      database.set(name, collection);
    }
    return collection;
  }

  /** Canonical index keys of a document, checked against the collection (minus `except`); throws E11000. */
  private checkUnique(db: string, name: string, coll: Collection, doc: Doc, except?: Doc): void {
    for (const [field, keys] of coll.keys) {
      const value = getPath(doc, field) ?? null;
      const holder = keys.get(EJSON.stringify({ v: value }, { relaxed: false }));
      if (holder && holder !== except) {
        const index = field === "_id" ? "_id_" : `${field}_1`;
        throw new DataApiError(
          409,
          "DuplicateKey",
          `E11000 duplicate key error collection: ${db}.${name} index: ${index} dup key: { ${field}: ${shellValue(value)} }`,
        );
      }
    }
  }

  private indexDoc(coll: Collection, doc: Doc): void {
    for (const [field, keys] of coll.keys) {
      keys.set(EJSON.stringify({ v: getPath(doc, field) ?? null }, { relaxed: false }), doc);
    }
  }

  private reindex(coll: Collection): void {
    for (const keys of coll.keys.values()) keys.clear();
    for (const doc of coll.docs) this.indexDoc(coll, doc);
  }

  /** Names of the collections of a database (a collection exists once something was inserted). */
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

  find(
    db: string,
    collection: string,
    options: { filter: Doc; projection?: Doc; sort?: Doc; limit?: number; skip?: number },
  ): Doc[] {
    const docs = this.get(db, collection, false)?.docs ?? [];
    return query(() => {
      const cursor = find(docs, options.filter, options.projection);
      if (options.sort && Object.keys(options.sort).length > 0) cursor.sort(options.sort as never);
      if (options.skip) cursor.skip(options.skip);
      if (options.limit) cursor.limit(Math.abs(options.limit));
      return cursor.all().map((d) => idFirst(clone(d as Doc)));
    });
  }

  updateOne(
    db: string,
    collection: string,
    filter: Doc,
    modifier: Doc,
    upsert: boolean,
  ): { matchedCount: number; modifiedCount: number; upsertedId?: unknown } {
    const ops = Object.keys(modifier);
    if (ops.length === 0 || ops.some((op) => !op.startsWith("$"))) {
      throw new DataApiError(
        400,
        "InvalidParameter",
        "(FailedToParse) Update document requires atomic operators",
      );
    }
    const { $setOnInsert, ...rest } = modifier;
    const coll = this.get(db, collection, upsert);
    const [match] = coll ? query(() => find(coll.docs, filter).limit(1).all()) : [];
    if (coll && match) {
      const updated = clone(match as Doc);
      const changed = Object.keys(rest).length > 0 ? query(() => update(updated, rest)) : [];
      if (changed.length === 0) return { matchedCount: 1, modifiedCount: 0 };
      this.checkUnique(db, collection, coll, updated, match as Doc);
      coll.docs[coll.docs.indexOf(match as Doc)] = updated;
      this.reindex(coll);
      return { matchedCount: 1, modifiedCount: 1 };
    }
    if (!upsert || !coll) return { matchedCount: 0, modifiedCount: 0 };
    // The new document: the filter's equality fields, then the update, then $setOnInsert.
    const seed: Doc = {};
    for (const [key, value] of Object.entries(filter)) {
      if (key.startsWith("$")) continue;
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith("$"))) {
        if ("$eq" in value) update(seed, { $set: { [key]: clone(value.$eq) } });
        continue;
      }
      update(seed, { $set: { [key]: clone(value) } });
    }
    query(() => {
      if (Object.keys(rest).length > 0) update(seed, rest);
      if (isPlainObject($setOnInsert)) update(seed, { $set: $setOnInsert });
    });
    const upsertedId = this.insertOne(db, collection, seed);
    return { matchedCount: 0, modifiedCount: 0, upsertedId };
  }

  deleteMany(db: string, collection: string, filter: Doc): number {
    const coll = this.get(db, collection, false);
    if (!coll) return 0;
    const doomed = new Set(query(() => find(coll.docs, filter).all()));
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

  /** Drops every database. */
  reset(): void {
    this.dbs.clear();
  }
}
