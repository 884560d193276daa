import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { configDefaults, defineConfig } from "vitest/config";
import { writeStudyRegistry } from "./scripts/studies";
import { testRateLimitBindings } from "./tests/api/rate-limit-bindings";

// The study registry (studies/*.json, validated) that the API imports.
writeStudyRegistry();

/**
 * Six projects, all run by `npm test`:
 * - unit: plain functions and the openai provider against a stub server, in Node;
 * - api: the GraphQL API in workerd against a real local D1;
 * - worker: the whole Worker (worker.ts: admission, site and API) in workerd
 *   through SELF.fetch, on a real local D1 (needs `npm run build` first);
 * - e2e: Chromium against the built Worker under `wrangler dev`, on D1;
 * - e2e-data-api: the same journeys (but provider.test.ts, which starts its own
 *   D1 Workers) with the Worker on STORE=mongodb-data-api, against the
 *   in-process Data API test server (FerretDB dialect, HTTP Basic);
 * - e2e-mongodb: the same journeys with the Worker on STORE=mongodb (the
 *   official driver bundled into the Worker, over TCP), against the in-process
 *   MongoDB wire-protocol test server.
 */
export const TEST_RESEARCHER_TOKEN = "test-researcher-token-0123456789";
/** Signs the test Workers' participant sessions (docs/decisions/007-participant-identity.md). */
export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdefghijklmnop";

/** What both browser projects share: Node, one file at a time (one Worker), long timeouts. */
const browserJourneys = {
  environment: "node" as const,
  include: ["tests/e2e/**/*.test.ts"],
  fileParallelism: false,
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // A journey that fails is run once more before it counts as failed: on two shared cores,
  // about one of the ~500 journeys a full run makes misses a timing (a beacon, a reload) that
  // the next run meets. A real failure fails twice; each retry is in the report
  // (test-results/vitest.json) and the flaky ones are listed in the closing notes.
  retry: 1,
};

// The projects run one after another (groupOrder): on two cores, browser
// journeys next to workerd test pools time out under load.
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
          sequence: { groupOrder: 0 },
          include: ["api/**/*.test.ts", "web/**/*.test.ts", "scripts/**/*.test.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            miniflare: {
              compatibilityDate: "2025-09-01",
              compatibilityFlags: ["nodejs_compat", "enable_request_signal"],
              d1Databases: ["DB"],
              // Every rate-limiting binding, unreachable, plus TINY_ copies for the tests that hit one.
              ratelimits: testRateLimitBindings(),
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(new URL("./migrations", import.meta.url).pathname),
                RESEARCHER_TOKENS: TEST_RESEARCHER_TOKEN,
                SESSION_SECRETS: TEST_SESSION_SECRET,
              },
            },
          })),
        ],
        test: {
          name: "api",
          include: ["tests/api/**/*.test.ts"],
          sequence: { groupOrder: 1 },
          setupFiles: ["./tests/api/apply-migrations.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            main: "./worker.ts",
            miniflare: {
              compatibilityDate: "2025-09-01",
              compatibilityFlags: ["nodejs_compat", "enable_request_signal"],
              d1Databases: ["DB"],
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(new URL("./migrations", import.meta.url).pathname),
                RESEARCHER_TOKENS: TEST_RESEARCHER_TOKEN,
                SESSION_SECRETS: TEST_SESSION_SECRET,
                // One origin that may call the API from a browser (tests/worker/admission.test.ts).
                CORS_ORIGINS: "https://survey.example",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["tests/worker/**/*.test.ts"],
          // After the api project, before the browsers: two workerd pools at once crowd two cores.
          sequence: { groupOrder: 2 },
          setupFiles: ["./tests/api/apply-migrations.ts"],
          testTimeout: 120_000,
          // Remix under SELF.fetch needs its runtime pre-bundled (createCookieFactory is undefined otherwise).
          deps: { optimizer: { ssr: { enabled: true, include: ["@remix-run/cloudflare"] } } },
        },
      },
      {
        test: {
          ...browserJourneys,
          name: "e2e",
          sequence: { groupOrder: 3 },
          globalSetup: ["./tests/e2e/global-setup.ts"],
        },
      },
      {
        test: {
          ...browserJourneys,
          name: "e2e-data-api",
          sequence: { groupOrder: 4 },
          // provider and driver journeys start Workers of their own; plots.test.ts needs no Worker, so no store.
          exclude: [
            ...configDefaults.exclude,
            "tests/e2e/provider.test.ts",
            "tests/e2e/driver.test.ts",
            "tests/e2e/plots.test.ts",
          ],
          globalSetup: ["./tests/e2e/global-setup-data-api.ts"],
        },
      },
      {
        test: {
          ...browserJourneys,
          name: "e2e-mongodb",
          sequence: { groupOrder: 5 },
          exclude: [
            ...configDefaults.exclude,
            "tests/e2e/provider.test.ts",
            "tests/e2e/driver.test.ts",
            "tests/e2e/plots.test.ts",
          ],
          globalSetup: ["./tests/e2e/global-setup-mongodb.ts"],
        },
      },
    ],
  },
});
