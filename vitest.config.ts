import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * Three projects, all run by `npm test`:
 * - unit: plain functions and the openai provider against a stub server, in Node;
 * - api: the GraphQL API in workerd against a real local D1;
 * - e2e: Chromium against the built Worker under `wrangler dev`.
 */
export const TEST_RESEARCHER_TOKEN = "test-researcher-token-0123456789";

export default defineConfig({
  test: {
    projects: [
      {
        // graphql has both index.js (what Node, so Pothos and Yoga, load) and
        // index.mjs (what Vite would pick for our sources): one copy only, or
        // its instanceof checks fail with 'Duplicate "graphql" modules'.
        resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
        test: {
          name: "unit",
          environment: "node",
          include: ["api/**/*.test.ts", "web/**/*.test.ts", "scripts/**/*.test.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            miniflare: {
              compatibilityDate: "2025-09-01",
              compatibilityFlags: ["nodejs_compat"],
              d1Databases: ["DB"],
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(new URL("./migrations", import.meta.url).pathname),
                RESEARCHER_TOKENS: TEST_RESEARCHER_TOKEN,
              },
            },
          })),
        ],
        test: {
          name: "api",
          include: ["tests/api/**/*.test.ts"],
          setupFiles: ["./tests/api/apply-migrations.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["./tests/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
