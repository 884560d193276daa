import { storeContract } from "../../../tests/store-contract";
import { startDataApiServer } from "../../../tests/support/data-api-server";
import { createDataApiDatabase } from "./data-api";
import { closeDriverClients, createDriverDatabase } from "./driver";
import { createMongoStore } from "./store";

/*
 * The Store contract (tests/store-contract/), the same suite D1
 * passes in workerd (tests/api/store-contract.test.ts), against the MongoDB
 * adapters: the Data API client against the in-process Data API server in
 * both dialects, and the official driver when MONGODB_URI points at a real
 * MongoDB (a throwaway database: the suite writes about 1000 records).
 */

for (const dialect of ["atlas", "ferretdb"] as const) {
  storeContract(`mongodb-data-api (${dialect})`, async () => {
    const server = await startDataApiServer({
      dialect,
      auth:
        dialect === "atlas"
          ? { apiKey: "contract-key" }
          : { basic: { user: "study", password: "contract-pw" } },
    });
    const store = createMongoStore(
      createDataApiDatabase({
        url: server.url,
        dataSource: "mongodb-atlas",
        database: "contract",
        auth:
          dialect === "atlas"
            ? { kind: "api-key", key: "contract-key" }
            : { kind: "basic", user: "study", password: "contract-pw" },
        timeoutMs: 10_000,
        retries: 2,
      }),
    );
    return { store, cleanup: () => server.close() };
  });
}

const uri = process.env.MONGODB_URI;
storeContract(
  "mongodb (driver)",
  async () => {
    const database = `lsp_contract_${Date.now()}`;
    const store = createMongoStore(createDriverDatabase({ uri: uri ?? "", database, timeoutMs: 10_000 }));
    return {
      store,
      cleanup: async () => {
        const { MongoClient } = await import("mongodb");
        const client = await new MongoClient(uri ?? "").connect();
        await client.db(database).dropDatabase();
        await client.close();
        await closeDriverClients();
      },
    };
  },
  { skip: uri ? undefined : "MONGODB_URI is not set (no MongoDB server can run on these machines)" },
);
