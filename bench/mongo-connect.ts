/**
 * `npx tsx bench/mongo-connect.ts`: what a MongoDB client per request costs
 * (docs/decisions/011-mongodb-connections.md), measured in one run against
 * the wire-protocol test server on loopback (and against MONGODB_URI too
 * when it is set), with the official driver in Node:
 * - baseline: one operation (a `find` by _id) on a client already connected;
 * - a client per request: connect (monitor + pool connection, handshakes),
 *   the same operation, close;
 * - a request of three operations (find, insert, find) on a connected
 *   client, on one client for the request, and on a client per operation.
 * Then, with `--worker` (needs `npm run build`), the same Worker request
 * (`logEvent`) under wrangler dev on STORE=mongodb, where every request
 * connects, against the D1 Worker doing it, in the same run.
 * Figures, not assertions: loopback hides the network's round trips, which
 * a real deployment pays on every connect (TCP, TLS, hello, SCRAM).
 */
import { randomUUID } from "node:crypto";
import { MongoClient } from "mongodb";
import { startMongoWireServer } from "../tests/support/mongo-wire-server";
import { startBenchWorker } from "./worker";

const REPS = 200;

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function timeMedian(reps: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

const row = (label: string, ms: number, baseline?: number) =>
  console.log(
    `  ${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms${baseline ? `   x${(ms / baseline).toFixed(1)} the baseline` : ""}`,
  );

async function measureDriver(name: string, uri: string): Promise<void> {
  const db = `bench_connect_${Date.now()}`;
  const options = { serverSelectionTimeoutMS: 5000 };
  const shared = await new MongoClient(uri, options).connect();
  const coll = (client: MongoClient) => client.db(db).collection<{ _id: string }>("events");
  const op = (client: MongoClient) => coll(client).findOne({ _id: "absent" });
  const request = async (client: MongoClient) => {
    await coll(client).findOne({ _id: "absent" });
    await coll(client).insertOne({ _id: randomUUID() });
    await coll(client).findOne({ _id: "absent" });
  };
  const fresh = async <T>(run: (client: MongoClient) => Promise<T>) => {
    const client = await new MongoClient(uri, options).connect();
    try {
      return await run(client);
    } finally {
      await client.close();
    }
  };
  try {
    await timeMedian(20, () => op(shared)); // warm-up
    console.log(`\n${name}: median of ${REPS}`);
    const baseline = await timeMedian(REPS, () => op(shared));
    row("one find on a connected client (baseline)", baseline);
    row("connect + the find + close (per request)", await timeMedian(REPS, () => fresh(op)), baseline);
    const requestShared = await timeMedian(REPS, () => request(shared));
    row("3 operations on a connected client", requestShared, baseline);
    row("3 operations on one new client", await timeMedian(REPS, () => fresh(request)), baseline);
    row(
      "3 operations, a new client each",
      await timeMedian(REPS, async () => {
        await fresh((c) => coll(c).findOne({ _id: "absent" }));
        await fresh((c) => coll(c).insertOne({ _id: randomUUID() }));
        await fresh((c) => coll(c).findOne({ _id: "absent" }));
      }),
      baseline,
    );
  } finally {
    await shared.db(db).dropDatabase();
    await shared.close();
  }
}

async function measureWorker(uri: string): Promise<void> {
  const secret = "bench-session-secret-0123456789abcdefghijklmnop";
  const reps = 100;
  const perRequest = async (vars: Record<string, string>) => {
    const worker = await startBenchWorker("lsp-bench-connect-", { ...vars, SESSION_SECRETS: secret });
    const gql = async (query: string, token?: string) => {
      const response = await fetch(`${worker.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { "x-participant-token": token } : {}) },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as {
        data?: { startSession?: { token: string; userId: string; sessionId: string } };
      };
    };
    try {
      const session = (await gql("mutation { startSession { token userId sessionId } }")).data?.startSession;
      if (!session) throw new Error("startSession failed");
      const logEvent = () =>
        gql(
          `mutation { logEvent(input: {eventId: "${randomUUID()}", userId: "${session.userId}", sessionId: "${session.sessionId}", eventType: BROWSE}) { duplicate } }`,
          session.token,
        );
      await timeMedian(10, logEvent);
      return await timeMedian(reps, logEvent);
    } finally {
      await worker.stop();
    }
  };
  console.log(`\nWorker under wrangler dev: one logEvent request, median of ${reps}`);
  const d1 = await perRequest({ STORE: "d1" });
  row("STORE=d1 (baseline)", d1);
  row("STORE=mongodb, a client per request", await perRequest({ STORE: "mongodb", MONGODB_URI: uri }), d1);
}

const server = await startMongoWireServer();
try {
  await measureDriver("wire-protocol test server (loopback)", server.uri);
  if (process.env.MONGODB_URI) await measureDriver("MONGODB_URI", process.env.MONGODB_URI);
  if (process.argv.includes("--worker")) {
    const before = server.connections().opened;
    await measureWorker(server.uri);
    console.log(
      `  (the Worker opened ${server.connections().opened - before} connections to the wire server)`,
    );
  }
} finally {
  await server.close();
}
