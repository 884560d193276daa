/**
 * Starts the built Worker under `wrangler dev` (workerd) on a free loopback
 * port, with a fresh local D1 in a temporary directory and a researcher token
 * for the export, and hands its URL and the token to the tests (`inject`).
 * `npm test` builds before vitest runs; this only checks that a build exists.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations, freePort, startDevServer } from "../../scripts/dev-server";
import { findChromium } from "../support/chromium";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Worker under test, e.g. http://127.0.0.1:41234 (no trailing slash). */
    baseUrl: string;
    /** A researcher token the Worker accepts for the export. */
    researcherToken: string;
  }
}

const SERVER_BUILD = new URL("../../build/server/index.js", import.meta.url).pathname;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
  const persistTo = mkdtempSync(join(tmpdir(), "lsp-e2e-d1-"));
  const researcherToken = `e2e_${randomBytes(24).toString("hex")}`;
  let server: Awaited<ReturnType<typeof startDevServer>>;
  try {
    applyMigrations(persistTo);
    server = await startDevServer({
      port: await freePort(),
      persistTo,
      vars: { RESEARCHER_TOKENS: researcherToken },
    });
  } catch (error) {
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
  project.provide("baseUrl", server.url);
  project.provide("researcherToken", researcherToken);
  return async () => {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
