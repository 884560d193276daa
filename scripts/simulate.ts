/**
 * `npm run simulate -- --url http://127.0.0.1:8787 --study demo --participants 6`:
 * simulated participants take a study through the deployment's public API,
 * recorded as the site's pages and tracker record real ones
 * (scripts/simulate/participant.ts), a short random delay apart, so that the
 * study's monitor (/research/s/<study>) fills while it runs. Every simulated
 * participant's panel participant id (PROLIFIC_PID) starts with `sim-` and
 * its Prolific STUDY_ID is `simulated`. Exit codes: 0 done, 1 the deployment
 * could not be reached or refused a request, 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { client, SimulationFailure } from "./simulate/client";
import {
  type Outcome,
  plan,
  SIMULATED_PREFIX,
  SIMULATED_STUDY_ID,
  simulateParticipant,
} from "./simulate/participant";
import { seeded } from "./simulate/random";

const USAGE = `Usage: npm run simulate -- --url <deployment> --study <id> [options]

  --url <url>            the deployment, e.g. http://127.0.0.1:8787 (required)
  --study <id>           the study, e.g. demo (required)
  --participants <n>     how many simulated participants (default 6, at most 500)
  --delay-ms <ms>        the mean pause between two participants (default 300)
  --seed <n>             makes the participants' choices reproducible (default: a random one, printed)
  --help                 this text

With LSP_RESEARCHER_TOKEN set (a researcher token), each line also names the
participant's condition. Simulated participants have a panel participant id
(PROLIFIC_PID) starting with "${SIMULATED_PREFIX}" and the Prolific STUDY_ID "${SIMULATED_STUDY_ID}".

Exit codes: 0 done, 1 the deployment could not be reached or refused a request, 2 bad arguments.`;

const integer = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const schema = z.object({
  url: z
    .string({ error: "--url is required: the deployment, e.g. http://127.0.0.1:8787" })
    .pipe(z.url({ protocol: /^https?$/, error: "--url must be an http(s) URL, e.g. http://127.0.0.1:8787" })),
  study: z
    .string({ error: "--study is required: the study's id, e.g. demo" })
    .min(1, "--study must not be empty"),
  participants: integer("--participants", 1, 500).default(6),
  "delay-ms": integer("--delay-ms", 0, 60_000).default(300),
  seed: integer("--seed", 0, 2 ** 32 - 1).optional(),
});

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`simulate: ${message}\n${code === 2 ? "Run with --help for the options.\n" : ""}`);
  process.exit(code);
}

function readOptions(argv: string[]) {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        url: { type: "string" },
        study: { type: "string" },
        participants: { type: "string" },
        "delay-ms": { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(2, error instanceof Error ? error.message : String(error));
  }
  if (values.help) return null;
  const parsed = schema.safeParse(values);
  if (!parsed.success) fail(2, parsed.error.issues.map((issue) => issue.message).join("; "));
  return parsed.data;
}

function describe(o: Outcome): string {
  const who = `${o.panelParticipantId.padEnd(18)} ${o.userId}`;
  if (!o.consented) return `${who}  declined consent`;
  const condition = o.condition ?? (o.showSources ? "(sources shown)" : "(sources hidden)");
  const parts = [
    `condition ${condition}`,
    `${o.questions.length} ${o.questions.length === 1 ? "question" : "questions"}: ${o.questions.map((q) => JSON.stringify(q)).join(", ")}`,
    `${o.clicks} source ${o.clicks === 1 ? "click" : "clicks"}`,
    o.scrollDepth === null ? "no scroll" : `scrolled to ${Math.round(o.scrollDepth * 100)}%`,
    o.conversions.length > 0 ? `converted (${o.conversions.join(", ")})` : "no conversion",
    o.finished ? "finished" : "left without finishing",
  ];
  return `${who}  ${parts.join("; ")}`;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const url = new URL(options.url);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const random = seeded(seed);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const api = client(url, say);
  const researcherToken = process.env.LSP_RESEARCHER_TOKEN || null;

  const { study } = await api.graphql<{ study: { id: string; title: string; active: boolean } | null }>(
    "query($id: ID!) { study(id: $id) { id title active } }",
    { id: options.study },
  );
  if (!study) throw new SimulationFailure(`there is no study "${options.study}" at ${url.origin}`);
  if (!study.active)
    throw new SimulationFailure(`the study "${study.id}" is closed: it takes no participants`);

  // Panel ids are unique to this run: a panel id seen before would continue that participant.
  const run = `${seed.toString(36)}-${Date.now().toString(36)}`;
  say(
    `Simulating ${options.participants} participants in "${study.title}" (${study.id}) at ${url.origin}, seed ${seed}`,
  );
  say(
    `Their panel participant ids (PROLIFIC_PID) start with "${SIMULATED_PREFIX}${run}-"; their STUDY_ID is "${SIMULATED_STUDY_ID}".`,
  );
  // Every plan is drawn first: the seed fixes them whatever the deployment answers.
  const plans = Array.from({ length: options.participants }, () => plan(random));
  const outcomes: Outcome[] = [];
  for (const [index, does] of plans.entries()) {
    if (index > 0)
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 2 * options["delay-ms"])));
    const outcome = await simulateParticipant(
      api,
      { url, studyId: study.id, researcherToken, run, index },
      does,
    );
    outcomes.push(outcome);
    say(describe(outcome));
  }
  const consented = outcomes.filter((o) => o.consented);
  say(
    `Done: ${consented.length} consented (${outcomes.length - consented.length} declined), ${
      consented.filter((o) => o.finished).length
    } finished, ${consented.reduce((n, o) => n + o.questions.length, 0)} answers.`,
  );
  const at = (path: string) => new URL(path, url).toString();
  const monitor = at(`/research/s/${encodeURIComponent(study.id)}`);
  say(`Monitor:  ${monitor}`);
  const first = consented[0];
  if (first) say(`Timeline: ${monitor}/p/${encodeURIComponent(first.userId)}`);
  say("Downloads (researcher token, or signed in on the site):");
  for (const table of ["answers", "sources", "events", "participants"])
    say(`  ${at(`/export/${table}.csv?studyIds=${encodeURIComponent(study.id)}`)}`);
  say(`  ${at("/export/dataset_description.json")}`);
  say(
    `Simulated rows: panel_participant_id starts with "${SIMULATED_PREFIX}", prolific_study_id is "${SIMULATED_STUDY_ID}".`,
  );
}

try {
  await main();
} catch (error) {
  if (error instanceof SimulationFailure) fail(1, error.message);
  throw error;
}
