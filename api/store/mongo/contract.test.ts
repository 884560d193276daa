import { storeContract } from "../../../tests/store-contract";
import { startDataApiServer } from "../../../tests/support/data-api-server";
import { startMongoWireServer } from "../../../tests/support/mongo-wire-server";
import { createDataApiDatabase } from "./data-api";
import { closeDriverClients, createDriverDatabase } from "./driver";
import { createMongoStore } from "./store";

/*
 * The Store contract (tests/store-contract/), the same suite D1
 * passes in workerd (tests/api/store-contract.test.ts), against the MongoDB
 * adapters: the Data API client against the in-process Data API server in
 * both dialects, and the official driver over TCP against the wire-protocol
 * test server (tests/support/mongo-wire-server.ts) and, when MONGODB_URI
 * points at a real MongoDB, against that too (a throwaway database: the
 * suite writes about 1000 records).
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

// The official driver over TCP against the wire-protocol test server, in every run.
storeContract("mongodb (driver)", async () => {
  const server = await startMongoWireServer();
  const store = createMongoStore(
    createDriverDatabase({ uri: server.uri, database: "contract", timeoutMs: 10_000 }),
  );
  return {
    store,
    cleanup: async () => {
      await closeDriverClients();
      await server.close();
    },
  };
});

// And against a real MongoDB when MONGODB_URI names one.
const uri = process.env.MONGODB_URI;
storeContract(
  "mongodb (driver, MONGODB_URI)",
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
  { skip: uri ? undefined : "MONGODB_URI is not set (the driver ran against the wire-protocol test server)" },
);
