/**
 * An in-process MongoDB server for tests that speaks the wire protocol over
 * TCP on 127.0.0.1 (random port), so the official `mongodb` driver runs
 * against it unchanged: what it sends is what it would send to mongod. It
 * answers as a standalone mongod 7.0 (or, with `replicaSet`, as the primary
 * of a one-member replica set, so retryable writes are used), over the
 * in-memory database the Data API test server uses too
 * (./data-api/engine.ts: mingo's query, update and aggregation semantics,
 * unique indexes with mongod's E11000 errors).
 *
 * - framing (./mongo-wire/protocol.ts): OP_MSG with document sequences
 *   (kind-1 sections) and the CRC-32C checksum flag; the legacy OP_QUERY
 *   for the first `hello`/`isMaster` of a connection, answered by OP_REPLY;
 * - commands (./mongo-wire/commands.ts, ./mongo-wire/collection-commands.ts): hello/isMaster (no
 *   topologyVersion, so the driver polls rather than streams), ping,
 *   buildInfo, endSessions, insert/update/delete with mongod's writeErrors
 *   (ordered or not; 11000 with keyPattern/keyValue), find/aggregate/getMore/
 *   killCursors with server-side cursors (./mongo-wire/cursors.ts),
 *   createIndexes (unique enforced)/listIndexes/listCollections, count, drop,
 *   dropDatabase, listDatabases; anything else `{ok: 0, code: 59,
 *   codeName: "CommandNotFound"}`; credentials are refused (no users);
 * - faults for tests (`failNext`, `fail`): a reset connection, a slow
 *   answer, an error answer, each optionally after the command was applied
 *   (a write stored whose answer is lost); `dropConnections` resets them all;
 * - every command is logged (`commands`) with its connection, so tests can
 *   check what the driver really sent (lsid, $db, batchSize...).
 *
 *     const server = await startMongoWireServer();
 *     const client = await new MongoClient(server.uri).connect();
 *     server.failNext(1, { command: "insert", applied: true, reset: true });
 *     ...
 *     await server.close();
 *
 * What it does not check (only a real mongod would) is in docs/mongodb.md.
 */
export type { Doc, IndexSpec } from "./data-api/engine";
export { startMongoWireServer } from "./mongo-wire/server";
export type {
  MongoWireServer,
  MongoWireServerOptions,
  WireCommand,
  WireConnections,
  WireFault,
} from "./mongo-wire/types";
