/**
 * `tsx bench/measures.ts [sizes...]` (default 100000 1000000): the monitor's
 * participant measures (studyMonitor's conditions with timeOnTask,
 * questionsPerParticipant, scrollDepth and conversions) on a study of that
 * many events (about 40% SCROLL of varied depth, 10% CONVERSION over three
 * labels, a tenth as many answers, 1000 participants over three
 * conditions), on the built Worker under wrangler dev with its local D1
 * seeded in SQL. Prints the median time of the query over GraphQL, a
 * same-run baseline (a researcher's `studies` query on the same Worker: the
 * request's fixed cost), their ratio, and the growth from the first size.
 * The query runs the store's studyMonitor too (the resolver merges both),
 * so the store calls are also timed alone, from Node through the platform
 * proxy on the same database: studyMeasures, beside studyMonitor.
 *
 * Then the cost at ingest of what migration 0008 adds (the partial index
 * events_scroll_depth and the conversion_counts triggers): recordEvents of
 * 500 events (half SCROLL, half CONVERSION: the worst case) on two local
 * D1s seeded alike, one with 0008's objects and one with them dropped,
 * taking turns round after round. Figures, not assertions.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import { createD1Store } from "../api/store/d1";
import type { NewEvent } from "../api/store/store";
import { applyMigrations, freePort, startDevServer, writeConfigWithLimits } from "../scripts/dev-server";
import { executeLocalSql } from "./seeded-study";
import { median } from "./store-writes";
import { BENCH_RATE_LIMIT } from "./worker";

const TOKEN = "bench-researcher-token-0123456789";
const STUDY = "demo";
const PARTICIPANTS = 1000;
const REPS = 15;
const INGEST_ROUNDS = 30;
const INGEST_BATCH = 500;

const CONDITION = (u: string) =>
  `CASE ${u} % 3 WHEN 0 THEN 'sources-shown' WHEN 1 THEN 'sources-hidden' ELSE 'controlled-stimulus' END`;
const TIME = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + ${seconds}, 'unixepoch')`;

/**
 * One statement per table: a recursive count, so a million rows need no
 * file. Participant u's scroll depths stay under their own ceiling (0.01 to
 * 1), so the deepest differs from one participant to the next; finished
 * participants took 30 s to 90 min.
 */
function seedSql(events: number): string {
  const answers = Math.floor(events / 10);
  const series = (n: number) =>
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
  const u = `(i % ${PARTICIPANTS})`;
  const type = `CASE WHEN i % 50 = 0 THEN 'STUDY_STEP' WHEN i % 10 = 1 THEN 'CONVERSION'
    WHEN i % 10 < 6 THEN 'SCROLL' ELSE 'BROWSE' END`;
  const extra = `CASE WHEN i % 50 = 0 THEN '{"step":"consent_shown"}'
    WHEN i % 10 = 1 THEN json_object('label', CASE (i / 1000) % 3 WHEN 0 THEN 'signup' WHEN 1 THEN 'buy' ELSE 'share' END)
    WHEN i % 10 < 6 THEN json_object('scrollDepth',
      ROUND((${u} * 37 % 100 + 1) / 100.0 * ((i * 7919) % 101) / 100.0, 2))
    ELSE '{"kind":"answer"}' END`;
  return [
    `INSERT INTO events (seq, event_id, user_id, session_id, study_id, condition, study_version, event_type, extra_data, received_at)
     ${series(events)}
     SELECT i, 'e' || i, 'u' || ${u}, 's' || ${u}, '${STUDY}', ${CONDITION(u)}, 1, ${type}, ${extra},
       ${TIME(`i * 604800 / ${events}`)} FROM n`,
    `INSERT INTO queries (seq, query_id, conversation_id, user_id, session_id, study_id, condition, study_version,
       query, response, model, latency_ms, ttft_ms, stopped, error, received_at)
     ${series(answers)}
     SELECT ${events} + i, 'q' || i, 'c' || (i % 3000), 'u' || ${u}, 's' || ${u},
       '${STUDY}', ${CONDITION(u)}, 1, 'Is coffee bad?', 'It can be.', 'scripted', (i * 7919) % 5000, (i * 104729) % 900,
       0, NULL, ${TIME(`i * 604800 / ${answers}`)} FROM n`,
    `INSERT INTO assignments (study_id, user_id, condition, study_version, seq, turns, assigned_at, finished_at, outcome)
     ${series(PARTICIPANTS)}
     SELECT '${STUDY}', 'u' || (i - 1), ${CONDITION("(i - 1)")}, 1, i, (i * 7) % 14, ${TIME("i")},
       CASE WHEN i % 3 <> 0 THEN ${TIME(`i + 30 + (i * 7919) % 5400`)} END,
       CASE WHEN i % 3 <> 0 THEN 'completed' END FROM n`,
    `UPDATE counters SET value = ${events + answers} WHERE name = 'log_seq'`,
  ].join(";\n");
}

/** What 0008 adds, dropped: the baseline database of the ingest figures. */
const DROP_0008 = [
  "DROP INDEX events_scroll_depth",
  "DROP TRIGGER conversion_counts_insert",
  "DROP TRIGGER conversion_counts_delete",
  "DROP TRIGGER conversion_counts_update_old",
  "DROP TRIGGER conversion_counts_update_new",
  "DROP TABLE conversion_counts",
].join(";\n");

function execute(dir: string, config: string, sql: string): void {
  executeLocalSql(dir, config, sql);
}

/** A directory with a migrated local D1 seeded with `events` events, and the config that names it. */
function seeded(events: number): { dir: string; config: string; seedSeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-measures-"));
  const config = writeConfigWithLimits(dir, BENCH_RATE_LIMIT);
  applyMigrations(dir, config);
  const t = performance.now();
  execute(dir, config, seedSql(events));
  return { dir, config, seedSeconds: (performance.now() - t) / 1000 };
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

const MEASURES = `query($s: ID!) { studyMonitor(studyId: $s) { conditions { condition
  timeOnTask { finished medianMs buckets { fromMs toMs participants } }
  questionsPerParticipant { questions atLeast participants }
  scrollDepth { participants buckets { from to participants } }
  conversions { label events participants } } } }`;
const BASELINE = "{ studies(includeInactive: true) { id definitionHash } }";

async function measure(events: number) {
  const { dir, config, seedSeconds } = seeded(events);
  try {
    const server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      config,
      vars: { RESEARCHER_TOKENS: TOKEN, SESSION_SECRETS: randomBytes(48).toString("hex") },
    });
    try {
      for (let w = 0; w < 3; w++) {
        await timeOf(server.url, MEASURES, { s: STUDY });
        await timeOf(server.url, BASELINE, {});
      }
      const measures: number[] = [];
      const baseline: number[] = [];
      for (let r = 0; r < REPS; r++) {
        measures.push(await timeOf(server.url, MEASURES, { s: STUDY }));
        baseline.push(await timeOf(server.url, BASELINE, {}));
      }
      const graphql = { measuresMs: median(measures), baselineMs: median(baseline) };
      await server.stop();
      return { ...graphql, ...(await storeTimes(dir, config)), seedSeconds };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The two store calls alone, from Node through the platform proxy: studyMeasures, and studyMonitor as its baseline. */
async function storeTimes(dir: string, config: string) {
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: config,
    persist: { path: join(dir, "v3") },
  });
  try {
    const store = createD1Store(proxy.env.DB);
    const measures: number[] = [];
    const monitor: number[] = [];
    for (let r = -3; r < REPS; r++) {
      let t = performance.now();
      await store.studyMeasures(STUDY);
      if (r >= 0) measures.push(performance.now() - t);
      t = performance.now();
      await store.studyMonitor(STUDY);
      if (r >= 0) monitor.push(performance.now() - t);
    }
    return { storeMeasuresMs: median(measures), storeMonitorMs: median(monitor) };
  } finally {
    await proxy.dispose();
  }
}

const ingestBatch = (round: number, db: string): NewEvent[] =>
  Array.from({ length: INGEST_BATCH }, (_, i) => {
    const user = (round * INGEST_BATCH + i) % PARTICIPANTS;
    const scroll = i % 2 === 0;
    return {
      eventId: `ingest-${db}-${round}-${i}`,
      userId: `u${user}`,
      sessionId: `s${user}`,
      prolificStudyId: null,
      panelParticipantId: null,
      panelSessionId: null,
      studyId: STUDY,
      condition: null,
      studyVersion: 1,
      eventType: scroll ? "SCROLL" : "CONVERSION",
      query: null,
      queryId: null,
      targetUrl: null,
      pageUrl: null,
      extraData: scroll ? { scrollDepth: (i % 101) / 100 } : { label: ["signup", "buy", "share"][i % 3] },
      clientTime: null,
    };
  });

async function ingest(events: number) {
  const withRollup = seeded(events);
  const without = seeded(events);
  execute(without.dir, without.config, DROP_0008);
  const proxies = await Promise.all(
    [withRollup, without].map((s) =>
      getPlatformProxy<{ DB: D1Database }>({ configPath: s.config, persist: { path: join(s.dir, "v3") } }),
    ),
  );
  try {
    const [a, b] = proxies.map((p) => createD1Store(p.env.DB)) as [
      ReturnType<typeof createD1Store>,
      ReturnType<typeof createD1Store>,
    ];
    const times = { with: [] as number[], without: [] as number[] };
    for (let r = -2; r < INGEST_ROUNDS; r++) {
      for (const [name, store] of [
        ["with", a],
        ["without", b],
      ] as const) {
        const batch = ingestBatch(r + 2, name);
        const t = performance.now();
        // recordParticipantEvents: the consent rule joins the assignment, as the tracker's events are stored.
        const results = await store.recordParticipantEvents(batch);
        const ms = performance.now() - t;
        if (results.some((x) => x === null || x.duplicate)) throw new Error("an ingest event was not stored");
        if (r >= 0) times[name].push(ms);
      }
    }
    const check = await a.studyMeasures(STUDY);
    if (check.length === 0) throw new Error("the seeded study has no measures");
    return { withMs: median(times.with), withoutMs: median(times.without) };
  } finally {
    await Promise.all(proxies.map((p) => p.dispose()));
    for (const s of [withRollup, without]) rmSync(s.dir, { recursive: true, force: true });
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
  `studyMonitor's measures on D1 (median of ${REPS}; baseline: a researcher's studies query on the same Worker)`,
);
let first: { graphql: number; store: number } | null = null;
for (const events of runs) {
  const { measuresMs, baselineMs, storeMeasuresMs, storeMonitorMs, seedSeconds } = await measure(events);
  first ??= { graphql: measuresMs, store: storeMeasuresMs };
  console.log(
    `  ${String(events).padStart(9)} events: GraphQL ${measuresMs.toFixed(1).padStart(7)} ms, baseline ${baselineMs.toFixed(1).padStart(5)} ms, x${(measuresMs / baselineMs).toFixed(1)} baseline, x${(measuresMs / first.graphql).toFixed(2)} the first size (seeded in ${seedSeconds.toFixed(1)} s)`,
  );
  console.log(
    `  ${" ".repeat(16)} store alone: studyMeasures ${storeMeasuresMs.toFixed(1).padStart(6)} ms (x${(storeMeasuresMs / first.store).toFixed(2)} the first size), studyMonitor ${storeMonitorMs.toFixed(1).padStart(6)} ms`,
  );
}
const ingestEvents = runs[0] ?? 100_000;
const { withMs, withoutMs } = await ingest(ingestEvents);
console.log(
  `ingest: recordParticipantEvents of ${INGEST_BATCH} events (half SCROLL, half CONVERSION) on ${ingestEvents} seeded events, median of ${INGEST_ROUNDS} rounds taking turns`,
);
console.log(
  `  with 0008 (index + triggers) ${withMs.toFixed(1)} ms, without ${withoutMs.toFixed(1)} ms: x${(withMs / withoutMs).toFixed(2)}`,
);
