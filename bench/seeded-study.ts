/**
 * A study of a given size on the built Worker under wrangler dev, for the
 * benchmarks of what researchers read (bench/monitor.ts,
 * bench/export-count.ts): `events` events and a tenth as many answers,
 * spread over about a week, from 1000 participants over the demo's three
 * conditions, seeded in SQL into a fresh local D1 after its migrations (so
 * the rollups' triggers run for every row, as they do for stored records).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyMigrations,
  freePort,
  OFFLINE_ENV,
  startDevServer,
  writeConfigWithLimits,
} from "../scripts/dev-server";
import { BENCH_RATE_LIMIT } from "./worker";

export const TOKEN = "bench-researcher-token-0123456789";
export const STUDY = "demo";
const PARTICIPANTS = 1000;
/** Seconds the seeded records span, from SEED_START (2026-01-01T00:00:00Z). */
export const SEED_SPAN = 604800;
export const SEED_START = 1767225600;
const WRANGLER = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");

const CONDITION = `CASE i % 4 WHEN 0 THEN 'sources-shown' WHEN 1 THEN 'sources-hidden' ELSE 'controlled-stimulus' END`;
const TIME = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${SEED_START} + ${seconds}, 'unixepoch')`;

/** One statement per table: a recursive count, so a million rows need no file. */
function seedSql(events: number): string {
  const answers = Math.floor(events / 10);
  const series = (n: number) =>
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
  return [
    `INSERT INTO events (seq, event_id, user_id, session_id, study_id, condition, study_version, event_type, extra_data, received_at)
     ${series(events)}
     SELECT i, 'e' || i, 'u' || (i % ${PARTICIPANTS}), 's' || (i % ${PARTICIPANTS}), '${STUDY}', ${CONDITION}, 1,
       CASE WHEN i % 50 = 0 THEN 'STUDY_STEP' ELSE 'SCROLL' END,
       CASE WHEN i % 50 = 0 THEN '{"step":"consent_shown"}' ELSE '{"scrollDepth":0.5}' END,
       ${TIME(`i * ${SEED_SPAN} / ${events}`)} FROM n`,
    `INSERT INTO queries (seq, query_id, conversation_id, user_id, session_id, study_id, condition, study_version,
       query, response, model, latency_ms, ttft_ms, stopped, error, received_at)
     ${series(answers)}
     SELECT ${events} + i, 'q' || i, 'c' || (i % 3000), 'u' || (i % ${PARTICIPANTS}), 's' || (i % ${PARTICIPANTS}),
       '${STUDY}', ${CONDITION}, 1, 'Is coffee bad?', 'It can be.', 'scripted', (i * 7919) % 5000, (i * 104729) % 900,
       CASE WHEN i % 40 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 97 = 0 THEN 'provider failed' ELSE NULL END,
       ${TIME(`i * ${SEED_SPAN} / ${answers}`)} FROM n`,
    `INSERT INTO assignments (study_id, user_id, condition, study_version, seq, assigned_at, panel_participant_id, finished_at, outcome)
     ${series(PARTICIPANTS)}
     SELECT '${STUDY}', 'u' || (i - 1), ${CONDITION}, 1, i, ${TIME("i")}, 'p' || (i % 990),
       CASE WHEN i % 3 = 0 THEN ${TIME("i + 3600")} END,
       CASE WHEN i % 3 = 0 THEN CASE WHEN i % 2 = 0 THEN 'completed' ELSE 'timed-out' END END FROM n`,
    `UPDATE counters SET value = ${events + answers} WHERE name = 'log_seq'`,
  ].join(";\n");
}

/** Times one researcher's GraphQL call (ms); throws on a GraphQL error. Returns the data too. */
export async function timeOf(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ ms: number; data: unknown }> {
  const t = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  const ms = performance.now() - t;
  if (body.errors) throw new Error(body.errors[0]?.message);
  return { ms, data: body.data };
}

/** Runs SQL on the local D1 in `dir` (wrangler d1 execute, offline): how the benches seed their studies. */
export function executeLocalSql(dir: string, config: string, sql: string): void {
  execFileSync(
    process.execPath,
    [WRANGLER, "d1", "execute", "DB", "--local", "--persist-to", dir, "--config", config, "--command", sql],
    { env: { ...process.env, ...OFFLINE_ENV }, stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** Seeds a study of `events` events, runs `measure` against the Worker on it, then removes it all. */
export async function withSeededStudy<T>(
  events: number,
  measure: (url: string) => Promise<T>,
): Promise<T & { seedSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-study-"));
  try {
    const config = writeConfigWithLimits(dir, BENCH_RATE_LIMIT);
    applyMigrations(dir, config);
    const seeding = performance.now();
    executeLocalSql(dir, config, seedSql(events));
    const seedSeconds = (performance.now() - seeding) / 1000;
    const server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config,
      vars: { RESEARCHER_TOKENS: TOKEN, SESSION_SECRETS: randomBytes(48).toString("hex") },
    });
    try {
      return { ...(await measure(server.url)), seedSeconds };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Exits when the Worker is not built: the benchmarks measure the built Worker. */
export function requireBuild(): void {
  if (!existsSync("build/server/index.js")) {
    console.error("Run `npm run build` first: the benchmark measures the built Worker.");
    process.exit(1);
  }
}

/** The sizes from the command line, else 100,000 and 1,000,000 events. */
export function sizesFromArgs(): number[] {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  return sizes.length > 0 ? sizes : [100_000, 1_000_000];
}
