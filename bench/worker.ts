/**
 * The built Worker under wrangler dev on a fresh local D1, for the
 * benchmarks: the shipped wrangler.toml with every rate limit raised far
 * above what a benchmark sends, and the hourly LLM-call cap at its maximum,
 * so the figures measure the platform's work, never a RATE_LIMITED answer.
 * The limits are still checked on every call (the bindings are bound), so
 * their cost stays in the figures.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyMigrations,
  type DevServer,
  freePort,
  startDevServer,
  writeConfigWithLimits,
} from "../scripts/dev-server";

/** Every [[ratelimits]] limit of the benchmark Workers (per period): far above any benchmark's calls. */
export const BENCH_RATE_LIMIT = 1_000_000_000;
/** LLM_CALLS_PER_HOUR of the benchmark Workers: the highest the configuration takes. */
export const BENCH_LLM_CALLS_PER_HOUR = "10000000";

export type BenchWorker = { url: string; stop(): Promise<void> };

/**
 * Starts the Worker with `vars` (plus LLM_CALLS_PER_HOUR); `stop` stops it
 * and removes its D1 and configuration. `seed` runs after the migrations,
 * before the Worker starts, with the D1's directory and configuration.
 */
export async function startBenchWorker(
  prefix: string,
  vars: Record<string, string>,
  seed?: (dir: string, config: string) => void,
): Promise<BenchWorker> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let server: DevServer;
  try {
    const config = writeConfigWithLimits(dir, BENCH_RATE_LIMIT);
    applyMigrations(dir, config);
    seed?.(dir, config);
    server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config,
      vars: { LLM_CALLS_PER_HOUR: BENCH_LLM_CALLS_PER_HOUR, ...vars },
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
