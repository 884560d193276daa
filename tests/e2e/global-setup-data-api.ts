/**
 * The browser journeys with the Worker on STORE=mongodb-data-api: the
 * in-process Data API test server runs here, in vitest's main process, on
 * 127.0.0.1, in FerretDB's dialect with HTTP Basic auth (so that is what the
 * Worker really speaks end to end), and the Worker (workerd under wrangler
 * dev) reaches it over loopback with fetch.
 */
import { randomBytes } from "node:crypto";
import { startDataApiServer } from "../support/data-api-server";
import { workerSetup } from "./worker-setup";

export default workerSetup({
  store: "mongodb-data-api",
  before: async () => {
    const user = "e2e";
    const password = randomBytes(18).toString("hex");
    const database = "llm_study_e2e";
    const server = await startDataApiServer({ dialect: "ferretdb", auth: { basic: { user, password } } });
    return {
      vars: {
        MONGODB_DATA_API_URL: server.url,
        MONGODB_DATA_API_AUTH: "basic",
        MONGODB_DATA_API_USER: user,
        MONGODB_DATA_API_PASSWORD: password,
        MONGODB_DATABASE: database,
      },
      dataApi: { url: server.url, user, password, database },
      stop: () => server.close(),
    };
  },
});
