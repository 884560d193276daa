/**
 * A Worker of the test's own: the built site under `wrangler dev` with the
 * study definitions the test gives instead of studies/*.json, and the vars it
 * needs. The studies are compiled into the Worker (api/app.ts imports
 * studies/registry.generated.ts), so a closed study cannot be switched on by a
 * variable: wrangler's `alias` swaps the registry module for one written here,
 * and the rest of the Worker is the one that ships.
 */
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
  /** False: the D1 database gets no tables, so every store operation fails. */
  migrate?: boolean;
};

export async function startOwnWorker({
  studies,
  vars = {},
  migrate = true,
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
      vars: { SESSION_SECRETS: vars.SESSION_SECRETS ?? inject("sessionSecret"), ...vars },
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
