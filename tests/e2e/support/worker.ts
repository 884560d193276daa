/**
 * A Worker of the test's own: the built site under `wrangler dev` with the
 * study definitions the test gives instead of studies/*.json, and the vars it
 * needs. The studies are compiled into the Worker (api/app.ts imports
 * studies/registry.generated.ts), so a closed study cannot be switched on by a
 * variable: wrangler's `alias` swaps the registry module for one written here,
 * and the rest of the Worker is the one that ships.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import {
  applyMigrations,
  freePort,
  startDevServer,
  writeConfigWithLimits,
} from "../../../scripts/dev-server";

/** The import in api/app.ts that the alias replaces. */
const REGISTRY_IMPORT = "../studies/registry.generated";
/** High enough that a journey never meets a rate limit (it tests pages, not limits). */
const GENEROUS_LIMIT = 1000;

export type OwnWorker = { url: string; stop(): Promise<void> };

export type OwnWorkerOptions = {
  /** Study definitions (studies/*.json's shape), validated when the Worker starts. */
  studies: unknown[];
  vars?: Record<string, string>;
  /** False: the D1 database gets no tables, so every store operation fails (on D1). */
  migrate?: boolean;
  /** The store: the project's (D1, or MongoDB in a database of this Worker's own), unless "d1" is asked for. */
  store?: "project" | "d1";
};

/** The project's store for a Worker of the test's own: a MongoDB store gets a database of its own, so it starts empty as a D1 one does. */
function storeVars(store: "project" | "d1"): Record<string, string> {
  const vars = inject("storeVars");
  if (store === "d1" || vars.STORE === "d1") return { STORE: "d1" };
  return {
    ...vars,
    MONGODB_DATABASE: `${vars.MONGODB_DATABASE ?? "llm_study"}_${randomBytes(6).toString("hex")}`,
  };
}

export async function startOwnWorker({
  studies,
  vars = {},
  migrate = true,
  store = "project",
}: OwnWorkerOptions): Promise<OwnWorker> {
  const dir = mkdtempSync(join(tmpdir(), "lsp-e2e-own-"));
  try {
    const registry = join(dir, "registry.ts");
    const files = studies.map((definition, i) => ({ file: `studies/test-${i}.json`, definition }));
    writeFileSync(registry, `export const studyFiles = ${JSON.stringify(files, null, 2)};\n`);
    const config = writeConfigWithLimits(dir, GENEROUS_LIMIT);
    writeFileSync(config, `\n[alias]\n${JSON.stringify(REGISTRY_IMPORT)} = ${JSON.stringify(registry)}\n`, {
      flag: "a",
    });
    if (migrate) applyMigrations(dir, config);
    const server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config,
      vars: {
        ...storeVars(store),
        SESSION_SECRETS: vars.SESSION_SECRETS ?? inject("sessionSecret"),
        ...vars,
      },
    });
    return {
      url: server.url,
      stop: async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
