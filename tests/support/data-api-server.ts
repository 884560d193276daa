/**
 * An in-process MongoDB Data API server for tests: a node:http server on
 * 127.0.0.1 (random port) speaking the Atlas Data API v1 protocol and
 * FerretDB's dialect of it, over an in-memory database whose query, sort,
 * projection, update and aggregation semantics come from `mingo`
 * (./data-api/engine.ts).
 *
 * - `POST {url}/action/{insertOne|insertMany|find|findOne|updateOne|aggregate|deleteMany}`,
 *   under `/app/<appId>/endpoint/data/v1` (Atlas) or at the root (FerretDB);
 *   both path forms are served whatever the dialect;
 * - bodies: `Content-Type: application/ejson` is (Canonical or Relaxed) EJSON,
 *   anything else plain JSON; answers follow `Accept`: `application/ejson` gives
 *   Canonical EJSON, anything else standard JSON as Atlas wrote it (dates as ISO
 *   strings, ObjectIds as hex strings);
 * - answers as Atlas's: insertOne 201 `{insertedId}`, insertMany 201 `{insertedIds}`,
 *   find `{documents}`, findOne `{document}` (null when none), updateOne
 *   `{matchedCount, modifiedCount, upsertedId?}`, aggregate `{documents}`,
 *   deleteMany `{deletedCount}`; FerretDB's inserts answer 200 `{n}`;
 * - errors are `{error, error_code, link}`: 400 for a malformed body or a
 *   missing parameter, 401 for missing or wrong credentials, 404 for an
 *   unknown action, 409 `DuplicateKey` with mongod's E11000 message when a
 *   unique index refuses a document (insertMany is ordered: the documents
 *   before the refused one are stored);
 * - faults for tests of retries and error handling (`failNext`, `fail`): an
 *   error status, a delay, a malformed body, a reset connection, optionally
 *   after the action was applied.
 *
 *     const server = await startDataApiServer({ auth: { apiKey: "k" } });
 *     // give the adapter server.url, the key, dataSource "mongodb-atlas" and a database
 *     server.failNext(1, { status: 503 });
 *     ...
 *     expect(server.documents("study", "events")).toHaveLength(2);
 *     await server.close();
 *
 * The parts: ./data-api/types.ts (what tests see), ./data-api/server.ts
 * (routing, the request log, faults), ./data-api/actions.ts (credentials and
 * the actions' parameters and answers), ./data-api/engine.ts (the database),
 * and ./http-stub.ts (the HTTP plumbing shared with ./openai-stub.ts).
 */
export type { Doc } from "./data-api/engine";
export { startDataApiServer } from "./data-api/server";
export {
  DATA_API_ACTIONS,
  type DataApiAction,
  type DataApiAuth,
  type DataApiDialect,
  type DataApiFault,
  type DataApiRequest,
  type DataApiServer,
  type DataApiServerOptions,
} from "./data-api/types";
