/**
 * The browser journeys with the Worker on STORE=mongodb: the official
 * driver, bundled into the Worker, speaks the MongoDB wire protocol over TCP
 * from workerd to the in-process wire-protocol test server, which runs here,
 * in vitest's main process, on 127.0.0.1 (tests/support/mongo-wire-server.ts).
 */
import { startMongoWireServer } from "../support/mongo-wire-server";
import { workerSetup } from "./worker-setup";

export default workerSetup({
  store: "mongodb",
  before: async () => {
    const server = await startMongoWireServer();
    return {
      vars: { MONGODB_URI: server.uri, MONGODB_DATABASE: "llm_study_e2e" },
      stop: () => server.close(),
    };
  },
});
