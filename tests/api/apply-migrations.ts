import { applyD1Migrations, env } from "cloudflare:test";

// Every test file starts from the real schema of migrations/, applied to its own D1.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
