/**
 * `tsx bench/click-through.ts [sizes...]` (default 100000 1000000): the
 * monitor's click-through (ConditionMonitor.clickThrough) on a study of that
 * many events and a tenth as many answers, on the built Worker under
 * wrangler dev with its local D1 seeded in SQL: five sources per answer
 * over the demo's three conditions (shown in the model's order; hidden;
 * reversed with one injected at rank 2), and per answer two exposure
 * summaries of one page view (a third of its sources never visible), a
 * click on a third of the answers and another on a seventh, the rest
 * SCROLL. The seed goes through the triggers of
 * migrations/0009_click_through.sql like any write. Prints the median time
 * over GraphQL of the monitor with every condition's click-through, of the
 * same monitor without it (the field's cost is the difference), a same-run
 * baseline (a researcher's `studies` query on the same Worker: the
 * request's fixed cost), the ratio to the baseline, and the growth from the
 * first size to each next one; and the time D1 reports for the
 * click-through's own statement (wrangler d1 execute). Figures, not
 * assertions.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COUNTS } from "../api/store/d1-click-through";
import {
  applyMigrations,
  freePort,
  OFFLINE_ENV,
  startDevServer,
  writeConfigWithLimits,
} from "../scripts/dev-server";
import { executeLocalSql } from "./seeded-study";
import { median } from "./store-writes";
import { BENCH_RATE_LIMIT } from "./worker";

const TOKEN = "bench-researcher-token-0123456789";
const STUDY = "demo";
const PARTICIPANTS = 1000;
const REPS = 15;
const WRANGLER = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");

/** Answer k's condition: a quarter shown, a quarter hidden, half reversed with an injected source. */
const CONDITION = (k: string) =>
  `CASE ${k} % 4 WHEN 0 THEN 'sources-shown' WHEN 1 THEN 'sources-hidden' ELSE 'controlled-stimulus' END`;
const HIDDEN = (k: string) => `${k} % 4 = 1`;
const ORIGINAL = (k: string, r: string) =>
  `CASE WHEN ${k} % 4 >= 2 THEN CASE WHEN ${r} = 2 THEN NULL ELSE 6 - ${r} END ELSE ${r} END`;
const URL_OF = (k: string, r: string) =>
  `CASE WHEN (${ORIGINAL(k, r)}) IS NULL THEN 'https://study.example/inject' ELSE 'https://example.org/' || ${k} || '/' || (${ORIGINAL(k, r)}) END`;
const RANKS = "(SELECT column1 AS r FROM (VALUES (1), (2), (3), (4), (5)))";
const TIME = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + ${seconds}, 'unixepoch')`;

const SOURCES = (k: string) => `(SELECT json_group_array(json_object('rank', r, 'title', 'Source ' || r,
  'url', ${URL_OF(k, "r")}, 'content', NULL, 'originalRank', ${ORIGINAL(k, "r")},
  'injected', json(CASE WHEN (${ORIGINAL(k, "r")}) IS NULL THEN 'true' ELSE 'false' END))) FROM ${RANKS})`;

/** Summary `seq` of answer k's page view: running totals, a third of the sources never visible. */
const EXPOSURE = (
  k: string,
  seq: number,
) => `json_object('kind', 'exposure', 'pageViewId', 'pv' || ${k}, 'seq', ${seq},
  'sources', CASE WHEN ${HIDDEN(k)} THEN json('[]') ELSE (SELECT json_group_array(json_object('url', ${URL_OF(k, "r")},
    'rank', r, 'originalRank', ${ORIGINAL(k, "r")}, 'visibleMs', CASE WHEN (${k} + r) % 3 = 0 THEN 0 ELSE ${seq * 50} * r END,
    'hovers', 0, 'hoverMs', 0, 'clicks', 0, 'awayMs', 0)) FROM ${RANKS}) END)`;

/** One statement per table: a recursive count, so a million rows need no file. */
function seedSql(events: number): string {
  const answers = Math.floor(events / 10);
  const series = (n: number) =>
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
  // Event i belongs to answer k = (i - 1) / 10 + 1; j = (i - 1) % 10 says what it is.
  const k = "((i - 1) / 10 + 1)";
  const j = "((i - 1) % 10)";
  const click = (every: number) => `${k} % ${every} = 0 AND NOT ${HIDDEN(k)}`;
  return [
    `INSERT INTO queries (seq, query_id, conversation_id, user_id, session_id, study_id, condition, study_version,
       query, response, sources, provenance, model, latency_ms, received_at)
     ${series(answers)}
     SELECT i, 'q' || i, 'c' || (i % 3000), 'u' || (i % ${PARTICIPANTS}), 's' || (i % ${PARTICIPANTS}),
       '${STUDY}', ${CONDITION("i")}, 1, 'Is coffee bad?', 'It can be [1].', ${SOURCES("i")},
       json_object('sourcesShown', json(CASE WHEN ${HIDDEN("i")} THEN 'false' ELSE 'true' END)),
       'scripted', (i * 7919) % 5000, ${TIME(`i * 604800 / ${answers}`)} FROM n`,
    `INSERT INTO events (seq, event_id, user_id, session_id, study_id, condition, study_version, event_type,
       query_id, target_url, extra_data, received_at)
     ${series(events)}
     SELECT ${answers} + i, 'e' || i, 'u' || (${k} % ${PARTICIPANTS}), 's' || (${k} % ${PARTICIPANTS}), '${STUDY}',
       ${CONDITION(k)}, 1,
       CASE WHEN ${j} IN (0, 1) THEN 'BROWSE'
         WHEN (${j} = 2 AND ${click(3)}) OR (${j} = 3 AND ${click(7)}) THEN 'CLICK' ELSE 'SCROLL' END,
       'q' || ${k},
       CASE WHEN ${j} = 2 AND ${click(3)} THEN ${URL_OF(k, `(1 + ${k} % 5)`)}
         WHEN ${j} = 3 AND ${click(7)} THEN ${URL_OF(k, `(1 + (${k} + 2) % 5)`)} END,
       CASE WHEN ${j} = 0 THEN ${EXPOSURE(k, 1)} WHEN ${j} = 1 THEN ${EXPOSURE(k, 2)}
         WHEN (${j} = 2 AND ${click(3)}) OR (${j} = 3 AND ${click(7)}) THEN '{"via":"tracker"}'
         ELSE '{"scrollDepth":0.5}' END,
       ${TIME(`i * 604800 / ${events}`)} FROM n`,
    `UPDATE counters SET value = ${events + answers} WHERE name = 'log_seq'`,
  ].join(";\n");
}

type Result = { data?: unknown; errors?: { message: string }[] };

/** One timed request; sent again (up to 3 times) when wrangler dev says the Worker restarted mid-request. */
async function timed(url: string, query: string, variables: Record<string, unknown>, tries = 3) {
  const t = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const ms = performance.now() - t;
  if (text.startsWith("Your worker restarted") && tries > 1) {
    console.log("    (the Worker restarted mid-request: sent again)");
    return timed(url, query, variables, tries - 1);
  }
  const body = JSON.parse(text) as Result;
  if (body.errors) throw new Error(body.errors[0]?.message);
  return { ms, data: body.data };
}

const RANK = "rank shown seen clicked seenClicked clickRate seenClickRate";
const CLICK_THROUGH = `query($s: ID!) { studyMonitor(studyId: $s) { conditions { condition
  clickThrough { shown seen clicked seenClicked byDisplayedRank { ${RANK} } byOriginalRank { ${RANK} } } } } }`;
/** The same monitor without the click-through: what the field adds is the difference. */
const MONITOR_ONLY = "query($s: ID!) { studyMonitor(studyId: $s) { conditions { condition answers } } }";
const BASELINE = "{ studies(includeInactive: true) { id definitionHash } }";

type Conditions = {
  studyMonitor: {
    conditions: {
      condition: string;
      clickThrough: { shown: number; seen: number; clicked: number; seenClicked: number };
    }[];
  };
};

async function measure(events: number) {
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-click-through-"));
  try {
    const config = writeConfigWithLimits(dir, BENCH_RATE_LIMIT);
    applyMigrations(dir, config);
    const seeding = performance.now();
    executeLocalSql(dir, config, seedSql(events));
    const seedSeconds = (performance.now() - seeding) / 1000;
    // The store's own time for the click-through's statement: D1's reported duration, over wrangler.
    const sqlMs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const out = execFileSync(
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
          "--json",
          "--command",
          COUNTS.replace("?1", `'${STUDY}'`),
        ],
        { env: { ...process.env, ...OFFLINE_ENV }, stdio: ["ignore", "pipe", "pipe"] },
      );
      const [result] = JSON.parse(out.toString()) as { meta: { duration: number } }[];
      sqlMs.push(result?.meta.duration ?? Number.NaN);
    }
    const server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config,
      vars: { RESEARCHER_TOKENS: TOKEN, SESSION_SECRETS: randomBytes(48).toString("hex") },
    });
    try {
      for (let w = 0; w < 3; w++) {
        await timed(server.url, CLICK_THROUGH, { s: STUDY });
        await timed(server.url, BASELINE, {});
      }
      const clickThrough: number[] = [];
      const monitorOnly: number[] = [];
      const baseline: number[] = [];
      let data: unknown;
      const withIt = async () => {
        const run = await timed(server.url, CLICK_THROUGH, { s: STUDY });
        clickThrough.push(run.ms);
        data = run.data;
      };
      const without = async () => {
        monitorOnly.push((await timed(server.url, MONITOR_ONLY, { s: STUDY })).ms);
      };
      // Each repetition swaps which of the two goes first, so neither always meets a colder cache.
      for (let r = 0; r < REPS; r++) {
        for (const run of r % 2 === 0 ? [withIt, without] : [without, withIt]) await run();
        baseline.push((await timed(server.url, BASELINE, {})).ms);
      }
      const counts = (data as Conditions).studyMonitor.conditions
        .map(
          (c) =>
            `${c.condition} ${c.clickThrough.shown}/${c.clickThrough.seen}/${c.clickThrough.clicked}/${c.clickThrough.seenClicked}`,
        )
        .join(", ");
      return {
        clickThroughMs: median(clickThrough),
        monitorMs: median(monitorOnly),
        sqlMs: median(sqlMs),
        baselineMs: median(baseline),
        seedSeconds,
        counts,
      };
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
  `clickThrough on D1 (median of ${REPS}; baseline: a researcher's studies query on the same Worker)`,
);
let first: number | null = null;
for (const events of runs) {
  const { clickThroughMs, monitorMs, sqlMs, baselineMs, seedSeconds, counts } = await measure(events);
  first ??= clickThroughMs;
  console.log(
    `  ${String(events).padStart(9)} events, ${events / 10} answers: monitor with clickThrough ${clickThroughMs.toFixed(1).padStart(7)} ms, without ${monitorMs.toFixed(1).padStart(7)} ms, baseline ${baselineMs.toFixed(1).padStart(5)} ms, x${(clickThroughMs / baselineMs).toFixed(1)} baseline, x${(clickThroughMs / first).toFixed(2)} the first size (seeded in ${seedSeconds.toFixed(1)} s)`,
  );
  console.log(`    the click-through's statement in D1: ${sqlMs.toFixed(2)} ms (median of 5)`);
  console.log(`    shown/seen/clicked/seenClicked: ${counts}`);
}
