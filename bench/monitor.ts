/**
 * `tsx bench/monitor.ts [sizes...]` (default 100000 1000000): the study
 * monitor's server time on a study of that many events (and a tenth as many
 * answers, 1000 participants over the demo's three conditions), on the
 * built Worker under wrangler dev with its local D1 seeded in SQL. Prints
 * the median time of `studyMonitor` over GraphQL, a same-run baseline (a
 * researcher's `studies` query on the same Worker: the request's fixed
 * cost), their ratio, and the growth from the first size to each next one.
 * Figures, not assertions.
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
import { median } from "./store-writes";
import { BENCH_RATE_LIMIT } from "./worker";

const TOKEN = "bench-researcher-token-0123456789";
const STUDY = "demo";
const PARTICIPANTS = 1000;
const REPS = 15;
const WRANGLER = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");

const CONDITION = `CASE i % 4 WHEN 0 THEN 'sources-shown' WHEN 1 THEN 'sources-hidden' ELSE 'controlled-stimulus' END`;
const TIME = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + ${seconds}, 'unixepoch')`;

/** One statement per table: a recursive count, so a million rows need no file. Events span about a week. */
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
       ${TIME(`i * 604800 / ${events}`)} FROM n`,
    `INSERT INTO queries (seq, query_id, conversation_id, user_id, session_id, study_id, condition, study_version,
       query, response, model, latency_ms, ttft_ms, stopped, error, received_at)
     ${series(answers)}
     SELECT ${events} + i, 'q' || i, 'c' || (i % 3000), 'u' || (i % ${PARTICIPANTS}), 's' || (i % ${PARTICIPANTS}),
       '${STUDY}', ${CONDITION}, 1, 'Is coffee bad?', 'It can be.', 'scripted', (i * 7919) % 5000, (i * 104729) % 900,
       CASE WHEN i % 40 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 97 = 0 THEN 'provider failed' ELSE NULL END,
       ${TIME(`i * 604800 / ${answers}`)} FROM n`,
    `INSERT INTO assignments (study_id, user_id, condition, study_version, seq, assigned_at, panel_participant_id, finished_at)
     ${series(PARTICIPANTS)}
     SELECT '${STUDY}', 'u' || (i - 1), ${CONDITION}, 1, i, ${TIME("i")}, 'p' || (i % 990),
       CASE WHEN i % 3 = 0 THEN ${TIME("i + 3600")} END FROM n`,
    `UPDATE counters SET value = ${events + answers} WHERE name = 'log_seq'`,
  ].join(";\n");
}

async function timeOf(url: string, query: string, variables: Record<string, unknown>): Promise<number> {
  const t = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  const ms = performance.now() - t;
  if (body.errors) throw new Error(body.errors[0]?.message);
  return ms;
}

const MONITOR = `query($s: ID!) { studyMonitor(studyId: $s) { consentShown consented duplicatePanelIds
  conditions { condition consented finished answers failures stopped medianLatencyMs medianTtftMs }
  activity { hour answers events } } }`;
const BASELINE = "{ studies(includeInactive: true) { id definitionHash } }";

async function measure(
  events: number,
): Promise<{ monitorMs: number; baselineMs: number; seedSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-monitor-"));
  try {
    const config = writeConfigWithLimits(dir, BENCH_RATE_LIMIT);
    applyMigrations(dir, config);
    const seeding = performance.now();
    execFileSync(
      process.execPath,
      [
        WRANGLER,
        "d1",
        "execute",
        "DB",
        "--local",
        "--persist-to",
        dir,
        "--config",
        config,
        "--command",
        seedSql(events),
      ],
      { env: { ...process.env, ...OFFLINE_ENV }, stdio: ["ignore", "pipe", "pipe"] },
    );
    const seedSeconds = (performance.now() - seeding) / 1000;
    const server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config,
      vars: { RESEARCHER_TOKENS: TOKEN, SESSION_SECRETS: randomBytes(48).toString("hex") },
    });
    try {
      for (let w = 0; w < 3; w++) {
        await timeOf(server.url, MONITOR, { s: STUDY });
        await timeOf(server.url, BASELINE, {});
      }
      const monitor: number[] = [];
      const baseline: number[] = [];
      for (let r = 0; r < REPS; r++) {
        monitor.push(await timeOf(server.url, MONITOR, { s: STUDY }));
        baseline.push(await timeOf(server.url, BASELINE, {}));
      }
      return { monitorMs: median(monitor), baselineMs: median(baseline), seedSeconds };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync("build/server/index.js")) {
  console.error("Run `npm run build` first: the benchmark measures the built Worker.");
  process.exit(1);
}
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const runs = sizes.length > 0 ? sizes : [100_000, 1_000_000];
console.log(
  `studyMonitor on D1 (median of ${REPS}; baseline: a researcher's studies query on the same Worker)`,
);
let first: number | null = null;
for (const events of runs) {
  const { monitorMs, baselineMs, seedSeconds } = await measure(events);
  first ??= monitorMs;
  console.log(
    `  ${String(events).padStart(9)} events, ${events / 10} answers: monitor ${monitorMs.toFixed(1).padStart(7)} ms, baseline ${baselineMs.toFixed(1).padStart(5)} ms, x${(monitorMs / baselineMs).toFixed(1)} baseline, x${(monitorMs / first).toFixed(2)} the first size (seeded in ${seedSeconds.toFixed(1)} s)`,
  );
}
