/**
 * `npx tsx bench/downloads.ts`: rows/s of the analysis-ready download
 * `/export/events.csv` over 100,000 events on local D1 (the built Worker
 * under wrangler dev), against walking the GraphQL export in pages of 1000
 * (the baseline, with the events' fields) and the old `/export.ndjson`, in
 * the same run. Prints the median of 3 rounds of each, and the ratios.
 * Figures, not assertions. Needs `npm run build`.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { type Participant, startParticipant } from "./participant";
import { seedEvents } from "./seed-events";
import { median } from "./store-writes";
import { startBenchWorker } from "./worker";

const TOKEN = "bench-researcher-token-0123456789";
const EVENTS = Number(process.env.DOWNLOAD_EVENTS ?? 100_000);
const ROUNDS = 3;

if (!existsSync("build/server/index.js")) {
  console.error("Run `npm run build` first: the benchmarks measure the built Worker.");
  process.exit(1);
}

const server = await startBenchWorker("lsp-bench-downloads-", {
  RESEARCHER_TOKENS: TOKEN,
  SESSION_SECRETS: randomBytes(48).toString("hex"),
});
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

/** Lines of a download, read to its end as a stream. */
async function fetchLines(path: string): Promise<number> {
  const response = await fetch(`${server.url}${path}`, { headers: researcher });
  if (!response.ok || !response.body) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    for (const byte of chunk) if (byte === 10) lines++;
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

try {
  const seeded = await seedEvents(gql, () => startParticipant(server.url), EVENTS);
  console.log(`Downloads over ${seeded} events on local D1 (median of ${ROUNDS} rounds)`);
  const baseline = await rate(walk);
  const csv = await rate(async () => (await fetchLines("/export/events.csv")) - 1);
  const ndjson = await rate(() => fetchLines("/export/events.ndjson"));
  const old = await rate(() => fetchLines("/export.ndjson?kinds=EVENT"));
  for (const [name, r] of [
    ["/export/events.csv", csv],
    ["/export/events.ndjson", ndjson],
    ["/export.ndjson (old)", old],
  ] as const) {
    if (r.rows !== baseline.rows) throw new Error(`${name} gave ${r.rows} rows, the walk ${baseline.rows}`);
  }
  const line = (name: string, r: { perSecond: number }) =>
    console.log(
      `  ${name.padEnd(32)} ${Math.round(r.perSecond).toLocaleString("en").padStart(10)} rows/s   x${(r.perSecond / baseline.perSecond).toFixed(2)} the walk`,
    );
  line("GraphQL walk, first: 1000 (base)", baseline);
  line("/export/events.csv", csv);
  line("/export/events.ndjson", ndjson);
  line("/export.ndjson?kinds=EVENT (old)", old);
} finally {
  await server.stop();
}
