import type { Db, MongoClient } from "mongodb";
import {
  COLLECTIONS,
  type Doc,
  DuplicateKeyError,
  type MongoCollection,
  type MongoDatabase,
} from "./collection";

/**
 * The official MongoDB driver, for runtimes that can open TCP (Workers with
 * nodejs_compat, or Node). Imported lazily, so it never loads unless
 * configured (and stays out of the workerd test pool). One client per
 * isolate and URI, connected on first use.
 */
const clients = new Map<string, Promise<MongoClient>>();

function client(uri: string, timeoutMs: number): Promise<MongoClient> {
  let connecting = clients.get(uri);
  if (!connecting) {
    connecting = import("mongodb").then(({ MongoClient }) =>
      new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, maxPoolSize: 5 }).connect(),
    );
    // A failed connect is not cached: the next request tries again.
    connecting.catch(() => clients.delete(uri));
    clients.set(uri, connecting);
  }
  return connecting;
}

/** Closes every client of this isolate (for tests and scripts that must exit). */
export async function closeDriverClients(): Promise<void> {
  const connecting = [...clients.values()];
  clients.clear();
  await Promise.all(connecting.map((c) => c.then((client) => client.close()).catch(() => {})));
}

const isDuplicateKey = (error: unknown) => (error as { code?: unknown } | null)?.code === 11000;

function rethrow(error: unknown): never {
  if (isDuplicateKey(error))
    throw new DuplicateKeyError(error instanceof Error ? error.message : "duplicate key");
  throw error;
}

export type DriverOptions = { uri: string; database: string; timeoutMs: number };

export function createDriverDatabase(options: DriverOptions): MongoDatabase {
  const db = async (): Promise<Db> => (await client(options.uri, options.timeoutMs)).db(options.database);

  function collection(name: string): MongoCollection {
    const of = async () => (await db()).collection<Doc>(name);
    return {
      async insertOne(doc) {
        await (await of()).insertOne(doc).catch(rethrow);
      },
      async insertMany(docs) {
        if (docs.length > 0) await (await of()).insertMany(docs, { ordered: true }).catch(rethrow);
      },
      async find(filter, findOptions = {}) {
        let cursor = (await of()).find(filter);
        if (findOptions.projection) cursor = cursor.project(findOptions.projection);
        if (findOptions.sort) cursor = cursor.sort(findOptions.sort as Record<string, 1 | -1>);
        if (findOptions.limit !== undefined) cursor = cursor.limit(findOptions.limit);
        return (await cursor.toArray()) as Doc[];
      },
      async aggregate(pipeline) {
        return (await (await of()).aggregate(pipeline).toArray()) as Doc[];
      },
      async deleteMany(filter) {
        return (await (await of()).deleteMany(filter)).deletedCount;
      },
      async updateOne(filter, update) {
        return (await (await of()).updateOne(filter, update)).matchedCount;
      },
    };
  }

  return {
    adapter: "mongodb",
    database: options.database,
    collection,
    async ping() {
      await (await db()).command({ ping: 1 });
    },
    async ensureIndexes(indexes) {
      const database = await db();
      for (const name of COLLECTIONS) {
        const specs = indexes
          .filter((i) => i.collection === name)
          .map((i) => ({
            key: i.key as Record<string, 1>,
            name: i.name,
            ...(i.unique ? { unique: true } : {}),
          }));
        if (specs.length > 0) await database.collection(name).createIndexes(specs);
      }
    },
  };
}
