/**
 * Ingest against the storage limit, in one run: requests/s of `logEvents`
 * batches of 50 through /graphql and of the tracker's /t, against a bare
 * Worker that stores the same 50 events in D1 in one round trip
 * (bench/ingest-baseline/worker.ts), with a fixed number of connections.
 * The targets take turns, round after round, so noise from the machine's
 * other work falls on all of them; the figures are medians over rounds.
 *
 * The app runs with its checks on: every request carries a valid
 * participant credential (X-Participant-Token; /t: the batch's `session`),
 * the rate-limiting bindings are bound and counted on every request (their
 * limits raised out of the way by bench/worker.ts) with keys that vary over
 * the load (PARTICIPANTS participants, one session each, in turn), the body
 * caps apply, and the events belong to a study the participants consented
 * to, so the consent rule is checked for every event.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations, freePort, startDevServer } from "../scripts/dev-server";
import { type LoadTarget, runLoad } from "./load";
import { asParticipant, graphql, type Participant, startParticipant } from "./participant";
import { median } from "./store-writes";

const BATCH = 50;
const STUDY = "demo";
/** Participants (and sessions) the load is spread over: each request is the next one's. */
const PARTICIPANTS = 64;

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const LOG_EVENTS =
  "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted duplicates ignored } }";

type BaselineWorker = { url: string; stop(): Promise<void> };

/** The bare Worker on its own fresh local D1, migrated like the app's. */
async function startBaseline(): Promise<BaselineWorker> {
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-baseline-"));
  try {
    const config = join(dir, "wrangler.toml");
    writeFileSync(
      config,
      [
        'name = "ingest-baseline"',
        `main = ${JSON.stringify(fileURLToPath(new URL("./ingest-baseline/worker.ts", import.meta.url)))}`,
        'compatibility_date = "2025-09-01"',
        "[[d1_databases]]",
        'binding = "DB"',
        'database_name = "llm-study"',
        'database_id = "00000000-0000-0000-0000-000000000000"',
        `migrations_dir = ${JSON.stringify(fileURLToPath(new URL("../migrations", import.meta.url)))}`,
        "",
      ].join("\n"),
    );
    applyMigrations(dir, config);
    const server = await startDevServer({ port: await freePort(), persistTo: dir, config });
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

/** `count` participants of the app who consented to STUDY. */
export async function enrolledParticipants(url: string, count: number): Promise<Participant[]> {
  const participants: Participant[] = [];
  for (let p = 0; p < count; p++) {
    const participant = await startParticipant(url);
    await graphql(
      url,
      "mutation($i: StudyParticipantInput!) { enroll(input: $i) { condition } }",
      { i: { studyId: STUDY } },
      asParticipant(participant),
    );
    participants.push(participant);
  }
  return participants;
}

/** Request n is participant n's (in turn). */
const turns = (participants: Participant[]) => (n: number) =>
  participants[n % participants.length] as Participant;

const JSON_TYPE = { "content-type": "application/json" };

/** The app's two ways in: logEvents(50) through /graphql, and the tracker's /t. */
export function appTargets(appUrl: string, participants: Participant[]): Record<string, LoadTarget> {
  const who = turns(participants);
  const origin = new URL(appUrl).origin;
  return {
    [GRAPHQL]: {
      url: appUrl,
      next: (n) => ({
        path: "/graphql",
        headers: { ...JSON_TYPE, ...asParticipant(who(n)) },
        body: graphqlBody("g", n, who(n), origin),
      }),
      check: acceptedAll,
    },
    [TRACKER]: {
      url: appUrl,
      next: (n) => ({
        path: "/t",
        headers: { "content-type": "text/plain;charset=UTF-8" },
        body: JSON.stringify({
          events: events("t", n, origin),
          sentAt: new Date().toISOString(),
          session: who(n).token,
        }),
      }),
      check: acceptedAll,
    },
  };
}

const run = `${Date.now()}`;

/** The 50 events of request n of `target` (ids unique in the run), as the tracker makes them on a study's chat page. */
function events(target: string, n: number, origin: string) {
  const now = new Date().toISOString();
  return Array.from({ length: BATCH }, (_, i) => ({
    eventId: `${target}-${run}-${n}-${i}`,
    eventType: "SCROLL",
    pageUrl: `${origin}/s/${STUDY}/chat`,
    extraData: { scrollDepth: (i % 100) / 100, viewportHeight: 900 },
    clientTime: now,
  }));
}

function graphqlBody(target: string, n: number, participant: Participant, origin: string) {
  return JSON.stringify({
    query: LOG_EVENTS,
    variables: {
      e: events(target, n, origin).map((e) => ({
        ...e,
        userId: participant.userId,
        sessionId: participant.sessionId,
        studyId: STUDY,
      })),
    },
  });
}

const acceptedAll = (status: number, body: string): string | null => {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
  if (!body.includes(`"accepted":${BATCH}`)) return `not all stored: ${body.slice(0, 200)}`;
  return null;
};

export type IngestFigures = {
  connections: number;
  rounds: number;
  seconds: number;
  /** Median requests/s of each target over the rounds. */
  rps: Record<string, number>;
  /** Median over rounds of each target's requests/s divided by each baseline's of the same round. */
  ratio: Record<string, { batch: number; json: number }>;
  errors: Record<string, number>;
};

export const BASELINE = "bare Worker + D1 (db.batch)";
export const BASELINE_JSON = "bare Worker + D1 (json_each)";
export const GRAPHQL = "logEvents(50) /graphql";
export const TRACKER = "tracker /t (50 events)";
export const ME = "floor: app /graphql, me {}";

/** The floor under logEvents: the same credential and path, a `me` query instead of 50 events. */
export function meTarget(appUrl: string, participants: Participant[]): LoadTarget {
  const who = turns(participants);
  return {
    url: appUrl,
    next: (n) => ({
      path: "/graphql",
      headers: { ...JSON_TYPE, ...asParticipant(who(n)) },
      body: JSON.stringify({ query: "{ me { userId sessionId } }" }),
    }),
    check: (status, body) =>
      status === 200 && body.includes('"userId"') ? null : `HTTP ${status}: ${body.slice(0, 200)}`,
  };
}

/** Measures the app at `appUrl` (bench/worker.ts) against a bare Worker started here. */
export async function measureIngest(appUrl: string): Promise<IngestFigures> {
  const connections = env("INGEST_CONNECTIONS", 8);
  const rounds = env("INGEST_ROUNDS", 8);
  const seconds = env("INGEST_SECONDS", 3);
  const baseline = await startBaseline();
  try {
    const participants = await enrolledParticipants(appUrl, PARTICIPANTS);
    const who = turns(participants);
    const appOrigin = new URL(appUrl).origin;
    const targets: Record<string, LoadTarget> = {
      [BASELINE]: {
        url: baseline.url,
        next: (n) => ({ path: "/batch", headers: JSON_TYPE, body: graphqlBody("bb", n, who(n), appOrigin) }),
        check: acceptedAll,
      },
      [BASELINE_JSON]: {
        url: baseline.url,
        next: (n) => ({ path: "/json", headers: JSON_TYPE, body: graphqlBody("bj", n, who(n), appOrigin) }),
        check: acceptedAll,
      },
      ...appTargets(appUrl, participants),
      // Floors, for finding where the time goes (docs/benchmarks.md): not part of the default run.
      ...(process.env.INGEST_FLOORS
        ? {
            "floor: bare Worker, parse only": {
              url: baseline.url,
              next: (n) => ({
                path: "/parse",
                headers: JSON_TYPE,
                body: graphqlBody("bp", n, who(n), appOrigin),
              }),
              check: acceptedAll,
            },
            [ME]: meTarget(appUrl, participants),
          }
        : {}),
    };
    const names = Object.keys(targets);
    const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const errors: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    for (let r = 0; r < rounds; r++) {
      for (const name of names) {
        const result = await runLoad(targets[name] as LoadTarget, {
          connections,
          seconds,
          warmupSeconds: 1,
        });
        perRound[name]?.push(result.requestsPerSecond);
        errors[name] = (errors[name] ?? 0) + result.errors;
        if (result.firstError)
          console.error(`  ${name}: ${result.errors} errors, first: ${result.firstError}`);
      }
      if (process.env.INGEST_VERBOSE)
        console.log(
          `  round ${r + 1}: ${names.map((n) => `${n} ${perRound[n]?.at(-1)?.toFixed(0)}`).join(", ")}`,
        );
    }
    const ratioTo = (name: string, baseline: string) =>
      median((perRound[name] ?? []).map((v, r) => v / (perRound[baseline]?.[r] ?? Number.NaN)));
    return {
      connections,
      rounds,
      seconds,
      rps: Object.fromEntries(names.map((n) => [n, median(perRound[n] ?? [])])),
      ratio: Object.fromEntries(
        names.map((n) => [n, { batch: ratioTo(n, BASELINE), json: ratioTo(n, BASELINE_JSON) }]),
      ),
      errors,
    };
  } finally {
    await baseline.stop();
  }
}

export function printIngest(figures: IngestFigures): void {
  console.log(
    `  ${"".padEnd(30)} ${"req/s".padStart(6)} ${"events/s".padStart(9)}   ratio to the baselines (db.batch, json_each)`,
  );
  for (const [name, rps] of Object.entries(figures.rps)) {
    const ratio = figures.ratio[name];
    const errors = figures.errors[name] ? `   (${figures.errors[name]} errors)` : "";
    console.log(
      `  ${name.padEnd(30)} ${rps.toFixed(0).padStart(6)} ${(rps * BATCH).toFixed(0).padStart(9)}   x${ratio?.batch.toFixed(2)}  x${ratio?.json.toFixed(2)}${errors}`,
    );
  }
}
