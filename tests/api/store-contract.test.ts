import { env } from "cloudflare:test";
import { createD1Store } from "../../api/store/d1";
import { storeContract } from "../store-contract";

// The Store port's contract on D1, in workerd, on this file's D1 (migrated by apply-migrations.ts).
storeContract("d1", async () => ({ store: createD1Store(env.DB) }));
