/**
 * The browser tests' global setup, shared by the projects that run them:
 * starts the built Worker under `wrangler dev` (workerd) on a free loopback
 * port, with a fresh local D1 in a temporary directory (migrated when the
 * store is D1) and a researcher token for the export, and hands the tests
 * its URL, the token and which store it runs on (`inject`). A project on
 * another store passes a `before` hook that starts what the store needs and
 * returns the Worker's extra vars. `npm test` builds before vitest runs; this
 * only checks that a build exists.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations, freePort, startDevServer } from "../../scripts/dev-server";
import { TEST_SESSION_SECRET } from "../../vitest.config";
import { findChromium } from "../support/chromium";

/** The stores the journeys run on (the STORE variable's values). */
export type E2eStore = "d1" | "mongodb-data-api" | "mongodb";

/** How the tests can reach the Data API the Worker stores in (to check what really got there). */
export type DataApiAccess = { url: string; user: string; password: string; database: string };

declare module "vitest" {
  export interface ProvidedContext {
    /** The Worker under test, e.g. http://127.0.0.1:41234 (no trailing slash). */
    baseUrl: string;
    /** A researcher token the Worker accepts for the export. */
    researcherToken: string;
    /** The SESSION_SECRETS of the Worker (and of the other Workers a test starts). */
    sessionSecret: string;
    /** The store the Worker runs on. */
    store: E2eStore;
    /** With store "mongodb-data-api": the test Data API server (FerretDB dialect, HTTP Basic); else null. */
    dataApi: DataApiAccess | null;
    /** The Worker's store variables (STORE and how to reach it), for the Workers a test starts itself. */
    storeVars: Record<string, string>;
  }
}

/** What a `before` hook started for the Worker: its vars, what to provide, and how to stop it. */
export type StoreBackend = {
  vars: Record<string, string>;
  dataApi?: DataApiAccess;
  stop(): Promise<void>;
};

export type WorkerSetupOptions = {
  store: E2eStore;
  /** Starts the store's backend before the Worker (not needed for D1). */
  before?: () => Promise<StoreBackend>;
};

const SERVER_BUILD = new URL("../../build/server/index.js", import.meta.url).pathname;

export function workerSetup(options: WorkerSetupOptions) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    if (!existsSync(SERVER_BUILD)) {
      throw new Error(
        `The browser tests run the built Worker, and ${SERVER_BUILD} does not exist. Run \`npm run build\` first (\`npm test\` does it for you).`,
      );
    }
    if (!findChromium()) {
      throw new Error(
        "The browser tests need Chromium and none was found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`), " +
          "set CHROMIUM_PATH, or run `npm test`, which installs it when it can.",
      );
    }
    const cleanups: (() => Promise<void> | void)[] = [];
    const cleanup = async () => {
      for (const step of cleanups.reverse()) await step();
    };
    try {
      const persistTo = mkdtempSync(join(tmpdir(), `lsp-e2e-${options.store}-`));
      cleanups.push(() => rmSync(persistTo, { recursive: true, force: true }));
      const backend = await options.before?.();
      if (backend) cleanups.push(() => backend.stop());
      // The Worker always has its D1 binding; only the D1 store needs its tables.
      if (options.store === "d1") applyMigrations(persistTo);
      const researcherToken = `e2e_${randomBytes(24).toString("hex")}`;
      const server = await startDevServer({
        port: await freePort(),
        persistTo,
        vars: {
          ...backend?.vars,
          STORE: options.store,
          RESEARCHER_TOKENS: researcherToken,
          SESSION_SECRETS: TEST_SESSION_SECRET,
        },
      });
      cleanups.push(() => server.stop());
      project.provide("baseUrl", server.url);
      project.provide("researcherToken", researcherToken);
      project.provide("sessionSecret", TEST_SESSION_SECRET);
      project.provide("store", options.store);
      project.provide("dataApi", backend?.dataApi ?? null);
      project.provide("storeVars", { ...backend?.vars, STORE: options.store });
    } catch (error) {
      await cleanup();
      throw error;
    }
    return cleanup;
  };
}
