/**
 * `npm run simulate` (scripts/simulate.ts) as a researcher runs it: a child
 * process against a Worker of the test's own with a copy of the demo study.
 * What it prints per participant (condition, questions, finished) is what
 * the monitor (GraphQL studyMonitor) counts, every simulated participant's
 * panel id starts with sim- in the participants table, and a deployment
 * that cannot be reached, an unknown study or a bad argument ends it with a
 * message and its exit code.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "./support";
import { RESEARCHER_TOKEN } from "./support/env";
import { runGuide } from "./support/guide";
import { type OwnWorker, startOwnWorker } from "./support/worker";

/**
 * The demo without its hidden condition: its conditions are drawn at random, and a
 * participant in a hidden one has no source to click, so the clicks the seed plans
 * would depend on the draw. With every condition showing sources, they do not.
 */
const STUDY = {
  ...DEMO,
  id: "simulate-demo",
  title: "Simulation",
  conditions: DEMO.conditions.filter((c) => c.showSources),
};
/** With 4 participants this seed has one decline and one who leaves without finishing. */
const SEED = "4";

type Run = { code: number | null; stdout: string; stderr: string };

function simulate(args: string[], token: string | null = RESEARCHER_TOKEN): Promise<Run> {
  const env = { ...process.env };
  if (token) env.LSP_RESEARCHER_TOKEN = token;
  else delete env.LSP_RESEARCHER_TOKEN;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/simulate.ts", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

let worker: OwnWorker;
let run: Run;

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${worker.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${RESEARCHER_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** The participants' lines the script printed: "sim-... <userId>  condition <id>; <n> questions: ...; ...; finished". */
function printed() {
  return run.stdout
    .split("\n")
    .filter((line) => line.startsWith("sim-"))
    .map((line) => ({
      panelId: line.split(" ")[0] ?? "",
      declined: line.endsWith("declined consent"),
      condition: /condition (\S+);/.exec(line)?.[1] ?? null,
      questions: Number(/; (\d+) questions?:/.exec(line)?.[1] ?? 0),
      clicks: Number(/; (\d+) source clicks?;/.exec(line)?.[1] ?? 0),
      finished: line.endsWith("; finished"),
    }));
}

beforeAll(async () => {
  worker = await startOwnWorker({ studies: [STUDY], vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN } });
  run = await simulate([
    "--url",
    worker.url,
    "--study",
    STUDY.id,
    "--participants",
    "4",
    "--seed",
    SEED,
    "--delay-ms",
    "20",
  ]);
}, 120_000);

const dir = mkdtempSync(join(tmpdir(), "lsp-simulate-"));

afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run simulate", () => {
  it("prints a line per participant, then the monitor and the downloads", () => {
    expect(run.code, run.stderr).toBe(0);
    const lines = printed();
    expect(lines).toHaveLength(4);
    // The seed's mix: not all alike, so the counts below can tell.
    expect(lines.filter((l) => l.declined)).toHaveLength(1);
    expect(lines.filter((l) => !l.declined && !l.finished)).toHaveLength(1);
    expect(run.stdout).toContain(`${worker.url}/research/s/${STUDY.id}`);
    for (const table of ["answers", "sources", "events", "participants"])
      expect(run.stdout).toContain(`${worker.url}/export/${table}.csv?studyIds=${STUDY.id}`);
  });

  it("records what it printed: the monitor's consented, finished and answers per condition", async () => {
    const lines = printed();
    const { studyMonitor } = await graphql<{
      studyMonitor: {
        consentShown: number;
        consentDeclined: number;
        consented: number;
        conditions: { condition: string; consented: number; finished: number; answers: number }[];
      };
    }>(
      "query($s: ID!) { studyMonitor(studyId: $s) { consentShown consentDeclined consented conditions { condition consented finished answers } } }",
      { s: STUDY.id },
    );
    expect(studyMonitor.consentShown).toBe(4);
    expect(studyMonitor.consentDeclined).toBe(lines.filter((l) => l.declined).length);
    expect(studyMonitor.consented).toBe(lines.filter((l) => !l.declined).length);
    for (const { condition, consented, finished, answers } of studyMonitor.conditions) {
      const of = lines.filter((l) => l.condition === condition);
      expect({ condition, consented, finished, answers }).toEqual({
        condition,
        consented: of.length,
        finished: of.filter((l) => l.finished).length,
        answers: of.reduce((n, l) => n + l.questions, 0),
      });
    }
  });

  it("marks every simulated participant: a panel participant id starting with sim-, STUDY_ID simulated", async () => {
    const response = await fetch(`${worker.url}/export/participants.ndjson?studyIds=${STUDY.id}`, {
      headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const rows = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.length).toBe(printed().filter((l) => !l.declined).length);
    for (const row of rows) {
      expect(String(row.panel_participant_id)).toMatch(/^sim-/);
      expect(printed().map((l) => l.panelId)).toContain(row.panel_participant_id);
    }
  });

  it("gives the guide's pandas (docs/analysis.md) the printed participants, finishes and clicks", async () => {
    for (const file of [
      "answers.csv",
      "sources.csv",
      "events.csv",
      "participants.csv",
      "dataset_description.json",
    ]) {
      const path = file.endsWith(".csv") ? `/export/${file}?studyIds=${STUDY.id}` : `/export/${file}`;
      const response = await fetch(`${worker.url}${path}`, {
        headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` },
      });
      expect(response.status, file).toBe(200);
      writeFileSync(join(dir, file), await response.text());
    }
    const guide = await runGuide(dir, ["per_condition", "click_through"]);
    expect(guide.errors).toEqual({});
    const lines = printed().filter((l) => !l.declined);
    const sum = (name: string, column: string) =>
      (guide.results[name] ?? []).reduce((n, row) => n + Number(row[column]), 0);
    expect(sum("per_condition", "consented")).toBe(lines.length);
    expect(sum("per_condition", "finished")).toBe(lines.filter((l) => l.finished).length);
    expect(sum("click_through", "clicked")).toBe(lines.reduce((n, l) => n + l.clicks, 0));
    expect(sum("click_through", "clicked")).toBeGreaterThan(0);
  });

  it("ends with a message and exit code 1 when the deployment cannot be reached or has no such study", async () => {
    const unreachable = await simulate(["--url", "http://127.0.0.1:9", "--study", STUDY.id]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("simulate: cannot reach http://127.0.0.1:9/graphql");
    const unknown = await simulate(["--url", worker.url, "--study", "no-such-study"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`simulate: there is no study "no-such-study" at ${worker.url}`);
  });

  it("ends with exit code 2 on a bad argument", async () => {
    const run = await simulate(["--url", "not a url", "--study", STUDY.id, "--participants", "0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--url must be an http(s) URL");
    expect(run.stderr).toContain("--participants must be at least 1");
  });
});
