/**
 * `npx tsx bench/downloads.ts`: rows/s of every analysis-ready download
 * (/export/<table>.csv and .ndjson) on local D1 (the built Worker under
 * wrangler dev), against walking the GraphQL export of the events in pages
 * of 1000 (the baseline, with the events' fields) and the old
 * `/export.ndjson`, in the same run. The events (100,000 by default,
 * DOWNLOAD_EVENTS) are logged through GraphQL, as the tracker logs them; the
 * answers (a tenth as many, three sources each) and 1000 participants of a
 * study are seeded in SQL before the Worker starts. Prints the median of 3
 * rounds of each, and the ratios. Figures, not assertions. Needs `npm run build`.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { type Participant, startParticipant } from "./participant";
import { seedEvents } from "./seed-events";
import { executeLocalSql } from "./seeded-study";
import { median } from "./store-writes";
import { startBenchWorker } from "./worker";

const TOKEN = "bench-researcher-token-0123456789";
const EVENTS = Number(process.env.DOWNLOAD_EVENTS ?? 100_000);
const ANSWERS = Math.floor(EVENTS / 10);
const SOURCES_PER_ANSWER = 3;
const PARTICIPANTS = 1000;
const ROUNDS = 3;

if (!existsSync("build/server/index.js")) {
  console.error("Run `npm run build` first: the benchmarks measure the built Worker.");
  process.exit(1);
}

const CONDITION = `CASE i % 4 WHEN 0 THEN 'sources-shown' WHEN 1 THEN 'sources-hidden' ELSE 'controlled-stimulus' END`;
const TIME = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + ${seconds}, 'unixepoch')`;
const SOURCES = JSON.stringify(
  Array.from({ length: SOURCES_PER_ANSWER }, (_, r) => ({
    rank: r + 1,
    title: `Source ${r + 1}, on coffee`,
    url: `https://example.org/${r + 1}`,
    content: null,
    originalRank: r + 1,
    injected: false,
  })),
);
const PROVENANCE = JSON.stringify({
  provider: "scripted",
  endpoint: null,
  requestedModel: "scripted",
  systemPromptHash: "ab".repeat(32),
  parameters: { temperature: 0.7 },
  sourcesShown: true,
  order: "model",
  studyHash: "cd".repeat(32),
});

/** The answers and participants, one statement per table (a recursive count); the events' seq continue after the answers'. */
function seedSql(): string {
  const series = (n: number) =>
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
  return [
    `INSERT INTO queries (seq, query_id, conversation_id, user_id, session_id, study_id, condition, study_version,
       query, response, displayed_response, sources, provenance, model, latency_ms, ttft_ms, stopped, error, received_at)
     ${series(ANSWERS)}
     SELECT i, 'q' || i, 'c' || (i % 3000), 'u' || (i % ${PARTICIPANTS}), 's' || (i % ${PARTICIPANTS}),
       'demo', ${CONDITION}, 1, 'Is coffee bad for sleep?', 'It can be [1], "late" coffee [2].', 'It can be [1], "late" coffee [2].',
       '${SOURCES}', '${PROVENANCE}', 'scripted', (i * 7919) % 5000, (i * 104729) % 900,
       CASE WHEN i % 40 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 97 = 0 THEN 'provider failed' ELSE NULL END,
       ${TIME(`i * 604800 / ${ANSWERS}`)} FROM n`,
    `INSERT INTO assignments (study_id, user_id, condition, study_version, seq, assigned_at, panel_participant_id, finished_at, outcome)
     ${series(PARTICIPANTS)}
     SELECT 'demo', 'u' || (i - 1), ${CONDITION}, 1, i, ${TIME("i")}, 'p' || i,
       CASE WHEN i % 3 = 0 THEN ${TIME("i + 3600")} END, CASE WHEN i % 3 = 0 THEN 'completed' END FROM n`,
    `UPDATE counters SET value = ${ANSWERS} WHERE name = 'log_seq'`,
  ].join(";\n");
}

function seed(dir: string, config: string): void {
  executeLocalSql(dir, config, seedSql());
}

const server = await startBenchWorker(
  "lsp-bench-downloads-",
  { RESEARCHER_TOKENS: TOKEN, SESSION_SECRETS: randomBytes(48).toString("hex") },
  seed,
);
const researcher = { authorization: `Bearer ${TOKEN}` };

const gql = async (query: string, variables: Record<string, unknown> = {}, as?: Participant) => {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(as ? { "x-participant-token": as.token } : researcher),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors[0]?.message);
  return body;
};

const WALK = `query($after: String) { export(first: 1000, after: $after, filter: { kinds: [EVENT] }) {
  pageInfo { endCursor hasNextPage }
  edges { node { ... on EventRecord { id eventId userId sessionId prolificStudyId panelParticipantId panelSessionId
    studyId condition studyVersion eventType eventQuery: query queryId targetUrl pageUrl extraData clientTime receivedAt } } } } }`;
type WalkPage = {
  data: { export: { pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: unknown[] } };
};

/** Rows of the GraphQL walk, pages of 1000, as a script would page it. */
async function walk(): Promise<number> {
  let rows = 0;
  let after: string | null = null;
  for (;;) {
    const page = (await gql(WALK, { after })) as WalkPage;
    rows += page.data.export.edges.length;
    if (!page.data.export.pageInfo.hasNextPage) return rows;
    after = page.data.export.pageInfo.endCursor;
  }
}

/** Line ends (LF) of a download, read to its end as a stream (no seeded text holds a line break). */
async function fetchLines(path: string): Promise<number> {
  const response = await fetch(`${server.url}${path}`, { headers: researcher });
  if (!response.ok || !response.body) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return lines;
}

async function rate(run: () => Promise<number>): Promise<{ rows: number; perSecond: number }> {
  const rates: number[] = [];
  let rows = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    rows = await run();
    rates.push(rows / ((performance.now() - t) / 1000));
  }
  return { rows, perSecond: median(rates) };
}

const EXPECTED = {
  answers: ANSWERS,
  sources: ANSWERS * SOURCES_PER_ANSWER,
  events: EVENTS,
  participants: PARTICIPANTS,
};

try {
  const seeded = await seedEvents(gql, () => startParticipant(server.url), EVENTS);
  if (seeded !== EVENTS) throw new Error(`seeded ${seeded} events, not ${EVENTS}: give a multiple of 500`);
  console.log(
    `Downloads on local D1: ${EVENTS} events, ${ANSWERS} answers (${EXPECTED.sources} sources), ${PARTICIPANTS} participants (median of ${ROUNDS} rounds)`,
  );
  const baseline = await rate(walk);
  if (baseline.rows !== EVENTS) throw new Error(`the walk gave ${baseline.rows} rows, not ${EVENTS}`);
  const line = (name: string, r: { rows: number; perSecond: number }) =>
    console.log(
      `  ${name.padEnd(36)} ${String(r.rows).padStart(7)} rows ${Math.round(r.perSecond).toLocaleString("en").padStart(10)} rows/s   x${(r.perSecond / baseline.perSecond).toFixed(2)} the walk`,
    );
  line("GraphQL walk of events, first: 1000", baseline);
  for (const [table, rows] of Object.entries(EXPECTED)) {
    for (const format of ["csv", "ndjson"] as const) {
      const path = `/export/${table}.${format}`;
      const header = format === "csv" ? 1 : 0;
      const r = await rate(async () => (await fetchLines(path)) - header);
      if (r.rows !== rows) throw new Error(`${path} gave ${r.rows} rows, not ${rows}`);
      line(path, r);
    }
  }
  const old = await rate(() => fetchLines("/export.ndjson?kinds=EVENT"));
  if (old.rows !== EVENTS) throw new Error(`/export.ndjson gave ${old.rows} rows, not ${EVENTS}`);
  line("/export.ndjson?kinds=EVENT (old)", old);
} finally {
  await server.stop();
}
