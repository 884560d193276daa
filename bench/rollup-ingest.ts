/**
 * `tsx bench/rollup-ingest.ts [rounds]` (default 5): what the rollups'
 * triggers (migrations/0007_rollups.sql) cost on writes. Two built Workers
 * in one run, the same but for their local D1: one migrated without 0007
 * (no rollup tables, triggers or median indexes), one with every migration.
 * They take turns, round after round, each round bench/store-writes.ts on
 * each: one logEvents call of 500 events (one participant, a fresh one per
 * repetition) and the same 500 events one logEvent call at a time.
 * Prints the medians over rounds and the ratio with to without.
 * Figures, not assertions.
 */
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations, freePort, startDevServer, writeConfigWithLimits } from "../scripts/dev-server";
import { type Participant, startParticipant } from "./participant";
import { requireBuild } from "./seeded-study";
import { measureWrites, median } from "./store-writes";
import { BENCH_RATE_LIMIT } from "./worker";

const ROLLUPS = "0007_rollups.sql";
const MIGRATIONS = fileURLToPath(new URL("../migrations", import.meta.url));

type Target = { url: string; stop(): Promise<void> };

/** The built Worker on a fresh local D1, migrated with every migration, or every one but the rollups'. */
async function start(withRollups: boolean): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-rollups-"));
  try {
    const config = writeConfigWithLimits(dir, BENCH_RATE_LIMIT);
    if (!withRollups) {
      const migrations = join(dir, "migrations");
      mkdirSync(migrations);
      for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql") && f !== ROLLUPS))
        copyFileSync(join(MIGRATIONS, file), join(migrations, file));
      const text = readFileSync(config, "utf8");
      const replaced = text.replace(
        /^migrations_dir\s*=.*$/m,
        `migrations_dir = ${JSON.stringify(migrations)}`,
      );
      if (replaced === text) throw new Error(`${config} has no migrations_dir to replace`);
      writeFileSync(config, replaced);
    }
    applyMigrations(dir, config);
    const server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config,
      vars: { SESSION_SECRETS: randomBytes(48).toString("hex") },
    });
    return {
      url: server.url,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function callsOf(url: string) {
  const gql = async (query: string, variables: Record<string, unknown> = {}, as?: Participant) => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(as ? { "x-participant-token": as.token } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0]?.message);
    return body;
  };
  return { gql, newParticipant: () => startParticipant(url) };
}

requireBuild();
const rounds = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 5;
const without = await start(false);
const withRollups = await start(true);
try {
  const figures = {
    without: { batch: [] as number[], single: [] as number[] },
    with: { batch: [] as number[], single: [] as number[] },
  };
  for (let r = 0; r < rounds; r++) {
    for (const [name, target] of [
      ["without", without],
      ["with", withRollups],
    ] as const) {
      const { gql, newParticipant } = callsOf(target.url);
      const { batchMs, singleMs } = await measureWrites(gql, newParticipant, 3);
      figures[name].batch.push(batchMs);
      figures[name].single.push(singleMs);
    }
  }
  console.log(`Writes with and without the rollups' triggers (median of ${rounds} rounds, taking turns)`);
  for (const [label, key] of [
    ["one logEvents call of 500 events", "batch"],
    ["500 logEvent calls            ", "single"],
  ] as const) {
    const a = median(figures.without[key]);
    const b = median(figures.with[key]);
    const ratios = median(figures.with[key].map((v, i) => v / (figures.without[key][i] ?? Number.NaN)));
    console.log(
      `  ${label}: without ${a.toFixed(1).padStart(7)} ms, with ${b.toFixed(1).padStart(7)} ms, x${(b / a).toFixed(2)} (median of per-round ratios x${ratios.toFixed(2)})`,
    );
  }
} finally {
  await without.stop();
  await withRollups.stop();
}
