import { AsyncLocalStorage } from "node:async_hooks";
import type { Abortable, CommandOperationOptions, Db, MongoClient, MongoClientOptions } from "mongodb";
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
 * configured (and stays out of the workerd test pool).
 *
 * Connections (docs/decisions/011-mongodb-connections.md): in a Worker a
 * socket opened by one request cannot be used by another (the runtime
 * cancels the second request as hung), so there a client belongs to one
 * request: `inDriverRequest` opens the scope, the first operation connects,
 * and the client is closed once the request has been idle for a moment
 * (kept alive with waitUntil). An operation outside any scope in a Worker
 * gets a client of its own. Elsewhere (Node: tests, scripts) one client per
 * URI is shared, connected on first use.
 *
 * Timeouts: `timeoutMs` bounds every operation as a whole (server selection,
 * connecting, each round trip, the driver's one retry of a read) through an
 * AbortSignal; the driver's own `timeoutMS` would be the natural option, but
 * driver 7.9 ignores it (it is deprecated with "no effect"; see
 * driver-wire.test.ts). The socket, connect and pool timeouts are
 * set too, as a backstop.
 */

type Scope = {
  waitUntil: (promise: Promise<unknown>) => void;
  clients: Map<string, Promise<MongoClient>>;
  /** Operations running now. */
  active: number;
  /** The pending close, and what settles the promise given to waitUntil for it. */
  idle?: ReturnType<typeof setTimeout>;
  closed?: Promise<void>;
  settle?: () => void;
};

const scopes = new AsyncLocalStorage<Scope>();

/** How long a request's client stays open after its last operation (the next one reuses it). */
const IDLE_CLOSE_MS = 250;

const inWorkers = () => globalThis.navigator?.userAgent === "Cloudflare-Workers";

function clientOptions(timeoutMs: number): MongoClientOptions {
  return {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    waitQueueTimeoutMS: timeoutMs,
    maxPoolSize: 5,
  };
}

function connect(uri: string, timeoutMs: number): Promise<MongoClient> {
  return import("mongodb").then(({ MongoClient }) =>
    new MongoClient(uri, clientOptions(timeoutMs)).connect(),
  );
}

const closing = (connecting: Promise<MongoClient>): Promise<void> =>
  connecting.then((client) => client.close()).catch(() => {});

/** Node's shared clients, one per URI (never used in a Worker). */
const shared = new Map<string, Promise<MongoClient>>();

/**
 * Runs a Worker request's work with its own MongoDB clients, closed after
 * the request's last operation (for the store created once per isolate).
 */
export function inDriverRequest<T>(waitUntil: (promise: Promise<unknown>) => void, run: () => T): T {
  return scopes.run({ waitUntil, clients: new Map(), active: 0 }, run);
}

/** Closes Node's shared clients (for tests and scripts that must exit). */
export async function closeDriverClients(): Promise<void> {
  const connecting = [...shared.values()];
  shared.clear();
  await Promise.all(connecting.map(closing));
}

type Operation<T> = (client: MongoClient, deadline: Abortable & CommandOperationOptions) => Promise<T>;

/**
 * Runs `operation` on a client this request (or process) may use, within
 * one deadline from now: connecting (server selection) is bounded by the
 * same timeout, and whatever it took is no longer left to the operation.
 */
async function withClient<T>(uri: string, timeoutMs: number, run: Operation<T>): Promise<T> {
  // The driver reads `signal` from every operation's options (execute_operation.ts), though its
  // types declare it on reads only.
  const deadline = { signal: AbortSignal.timeout(timeoutMs) };
  const operation = (client: MongoClient) => run(client, deadline);
  const scope = scopes.getStore();
  if (!scope && !inWorkers()) {
    let connecting = shared.get(uri);
    if (!connecting) {
      connecting = connect(uri, timeoutMs);
      // A failed connect is not cached: the next operation tries again.
      connecting.catch(() => shared.delete(uri));
      shared.set(uri, connecting);
    }
    return operation(await connecting);
  }
  if (!scope) {
    // A Worker operation that lost its request's scope: a client for this operation alone.
    const connecting = connect(uri, timeoutMs);
    try {
      return await operation(await connecting);
    } finally {
      await closing(connecting);
    }
  }
  clearTimeout(scope.idle);
  scope.active += 1;
  let connecting = scope.clients.get(uri);
  if (!connecting) {
    connecting = connect(uri, timeoutMs);
    connecting.catch(() => scope.clients.delete(uri));
    scope.clients.set(uri, connecting);
  }
  try {
    return await operation(await connecting);
  } finally {
    scope.active -= 1;
    if (scope.active === 0) closeWhenIdle(scope);
  }
}

/**
 * Closes the request's clients once no operation has started for
 * IDLE_CLOSE_MS; waitUntil keeps the request alive until they are closed.
 */
function closeWhenIdle(scope: Scope): void {
  if (!scope.closed) {
    const closed = new Promise<void>((resolve) => {
      scope.settle = resolve;
    });
    scope.closed = closed;
    scope.waitUntil(closed);
  }
  scope.idle = setTimeout(() => {
    const clients = [...scope.clients.values()];
    const settle = scope.settle;
    scope.clients.clear();
    scope.closed = undefined;
    void Promise.all(clients.map(closing)).then(() => settle?.());
  }, IDLE_CLOSE_MS);
}

const isDuplicateKey = (error: unknown) => (error as { code?: unknown } | null)?.code === 11000;

function rethrow(error: unknown): never {
  if (isDuplicateKey(error))
    throw new DuplicateKeyError(error instanceof Error ? error.message : "duplicate key");
  throw error;
}

export type DriverOptions = { uri: string; database: string; timeoutMs: number };

export function createDriverDatabase(options: DriverOptions): MongoDatabase {
  const { uri, timeoutMs } = options;
  const onDb = <T>(operation: (db: Db, deadline: Abortable & CommandOperationOptions) => Promise<T>) =>
    withClient(uri, timeoutMs, (client, deadline) => operation(client.db(options.database), deadline));

  function collection(name: string): MongoCollection {
    type Within = Abortable & CommandOperationOptions;
    const on = <T>(operation: (c: ReturnType<Db["collection"]>, deadline: Within) => Promise<T>) =>
      onDb((db, deadline) => operation(db.collection<Doc>(name), deadline));
    return {
      async insertOne(doc) {
        await on((c, deadline) => c.insertOne(doc, deadline)).catch(rethrow);
      },
      async insertMany(docs) {
        if (docs.length === 0) return;
        await on((c, deadline) => c.insertMany(docs, { ...deadline, ordered: true })).catch(rethrow);
      },
      async find(filter, findOptions = {}) {
        return on(async (c, deadline) => {
          let cursor = c.find(filter, deadline);
          if (findOptions.projection) cursor = cursor.project(findOptions.projection);
          if (findOptions.sort) cursor = cursor.sort(findOptions.sort as Record<string, 1 | -1>);
          if (findOptions.limit !== undefined) cursor = cursor.limit(findOptions.limit);
          return (await cursor.toArray()) as Doc[];
        });
      },
      async aggregate(pipeline) {
        return on(async (c, deadline) => (await c.aggregate(pipeline, deadline).toArray()) as Doc[]);
      },
      async deleteMany(filter) {
        return on(async (c, deadline) => (await c.deleteMany(filter, deadline)).deletedCount);
      },
      async updateOne(filter, update) {
        return on(async (c, deadline) => (await c.updateOne(filter, update, deadline)).matchedCount);
      },
    };
  }

  return {
    adapter: "mongodb",
    database: options.database,
    collection,
    async ping() {
      await onDb((db, deadline) => db.command({ ping: 1 }, deadline));
    },
    async ensureIndexes(indexes) {
      await onDb(async (db, deadline) => {
        for (const name of COLLECTIONS) {
          const specs = indexes
            .filter((i) => i.collection === name)
            .map((i) => ({
              key: i.key as Record<string, 1>,
              name: i.name,
              ...(i.unique ? { unique: true } : {}),
            }));
          if (specs.length > 0) await db.collection(name).createIndexes(specs, deadline);
        }
      });
    },
  };
}
