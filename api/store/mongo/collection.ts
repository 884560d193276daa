/**
 * The little of MongoDB that the store needs, so one implementation of the
 * store's logic (mongo/store.ts) serves both ways in: the Data API over
 * fetch (data-api.ts) and the official driver (driver.ts). Documents are
 * plain objects with native types (Date for times); each adapter converts
 * to and from its wire format (Canonical EJSON, BSON).
 */
export type Doc = Record<string, unknown>;

/** The store's collections (every adapter creates what it uses on first write). */
export const COLLECTIONS = [
  "queries",
  "events",
  "assignments",
  "assignment_slots",
  "withdrawals",
  "budgets",
  "study_definitions",
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export type FindOptions = { sort?: Doc; limit?: number; projection?: Doc };

export interface MongoCollection {
  /** Throws DuplicateKeyError when a unique index refuses the document. */
  insertOne(doc: Doc): Promise<void>;
  /**
   * Ordered insert, as the Data API does it: stops at the first document a
   * unique index refuses and throws DuplicateKeyError; the documents before
   * it are stored.
   */
  insertMany(docs: Doc[]): Promise<void>;
  find(filter: Doc, options?: FindOptions): Promise<Doc[]>;
  aggregate(pipeline: Doc[]): Promise<Doc[]>;
  /** Deletes every document that matches; returns how many. */
  deleteMany(filter: Doc): Promise<number>;
  /** Updates the first document that matches (no upsert); returns how many matched (0 or 1). */
  updateOne(filter: Doc, update: Doc): Promise<number>;
}

export interface MongoDatabase {
  /** mongodb or mongodb-data-api, as `status` names it. */
  readonly adapter: string;
  /** The database name, shown by `status` (never a credential). */
  readonly database: string;
  collection(name: CollectionName): MongoCollection;
  /** A cheap round trip that proves the database answers. */
  ping(): Promise<void>;
  /** Creates the indexes the store relies on when missing (where the protocol can). */
  ensureIndexes(indexes: IndexSpec[]): Promise<void>;
}

export type IndexSpec = { collection: CollectionName; key: Doc; name: string; unique?: boolean };

/** A unique index refused a document (MongoDB's E11000). */
export class DuplicateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DuplicateKeyError";
  }
}
