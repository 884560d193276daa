/**
 * `npm run export` (scripts/export.ts) as a researcher runs it: a child
 * process against the test Worker, writing a file. A whole export is the
 * bytes of the direct download; one killed mid-way (SIGKILL, while the
 * network holds a page half sent) and resumed is the same bytes; a bad
 * token, filter or argument ends it with a message and its exit code.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, RESEARCHER_TOKEN } from "./support";
import { startCuttingProxy } from "./support/cutting-proxy";

const EVENTS = 300;
const PAGE = 50;
const dir = mkdtempSync(join(tmpdir(), "lsp-export-cli-"));
let userId = "";

type Run = {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: string | null; stderr: string }>;
};

function startCli(args: string[], token: string = RESEARCHER_TOKEN): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/export.ts", ...args], {
    env: { ...process.env, LSP_RESEARCHER_TOKEN: token },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit };
}

const cli = (args: string[], token?: string) => startCli(args, token).exit;

async function graphql(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function direct(table: string, format: string, query: string): Promise<Buffer> {
  const response = await fetch(`${BASE_URL}/export/${table}.${format}?${query}`, {
    headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  // A participant of the API with one answer and EVENTS events: pages of PAGE rows.
  const started = await graphql("mutation { startSession { token userId sessionId } }", {}, {});
  const session = started?.startSession as { token: string; userId: string; sessionId: string };
  userId = session.userId;
  const as = { "x-participant-token": session.token };
  await graphql(
    "mutation($i: QueryInput!) { query(input: $i) { id } }",
    { i: { userId, sessionId: session.sessionId, query: 'Is coffee "healthy", really?' } },
    as,
  );
  for (let batch = 0; batch < EVENTS / 100; batch++)
    await graphql(
      "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
      {
        e: Array.from({ length: 100 }, (_, i) => ({
          eventId: `${userId}-${batch}-${i}`,
          userId,
          sessionId: session.sessionId,
          eventType: "SCROLL",
          extraData: { scrollDepth: i / 100, note: 'a "quoted", comma\nand a newline' },
        })),
      },
      as,
    );
});

describe("npm run export", () => {
  it("writes the bytes of the direct download, for CSV and NDJSON, and says how many rows", async () => {
    for (const [table, file, format] of [
      ["events", "events.csv", "csv"],
      ["events", "events.ndjson", "ndjson"],
      ["answers", "answers.csv", "csv"],
      ["sources", "sources.jsonl", "ndjson"],
    ] as const) {
      const out = join(dir, `whole-${file}`);
      const run = await cli([
        "--url",
        BASE_URL,
        "--table",
        table,
        "--user",
        userId,
        "--out",
        out,
        "--page-size",
        String(PAGE),
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(out).equals(await direct(table, format, `userIds=${userId}`)), file).toBe(true);
      expect(existsSync(`${out}.partial.json`)).toBe(false);
      if (table === "events") {
        expect(run.stderr).toContain(`wrote ${EVENTS} rows`);
        // Not a terminal: progress as lines, the last with the server's total.
        expect(run.stderr).toContain(`events  ${EVENTS}/${EVENTS} rows (100%)`);
      }
    }
  });

  it("resumes a download killed mid-page without a row twice or missing", async () => {
    const whole = await direct("events", "csv", `userIds=${userId}`);
    // The third page is held half sent: two pages are on disk when the CLI is killed.
    const proxy = await startCuttingProxy(BASE_URL, 3);
    try {
      const out = join(dir, "killed.csv");
      const args = [
        "--url",
        proxy.url,
        "--table",
        "events",
        "--user",
        userId,
        "--out",
        out,
        "--page-size",
        String(PAGE),
      ];
      const first = startCli(args);
      await proxy.cut;
      first.child.kill("SIGKILL");
      expect((await first.exit).signal).toBe("SIGKILL");
      const state = JSON.parse(readFileSync(`${out}.partial.json`, "utf8")) as {
        rows: number;
        bytes: number;
      };
      expect(state.rows).toBe(2 * PAGE);
      expect(readFileSync(out).subarray(0, state.bytes).equals(whole.subarray(0, state.bytes))).toBe(true);
      // What a kill during a write leaves: a row cut off after the whole pages.
      appendFileSync(out, "cut-off,row");

      const again = await cli(args);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain("add --resume to continue it");

      proxy.heal();
      const resumed = await cli([...args, "--resume"]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`wrote ${EVENTS} rows`);
      expect(resumed.stderr).toContain(`resumed after ${2 * PAGE} rows`);
      expect(readFileSync(out).equals(whole)).toBe(true);
      expect(existsSync(`${out}.partial.json`)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("ends with exit 1 and the reason for a wrong token or an unknown study, writing no file", async () => {
    const out = join(dir, "refused.csv");
    const badToken = await cli(
      ["--url", BASE_URL, "--table", "answers", "--out", out],
      "not-a-researcher-token",
    );
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain("The server refused the researcher token (401)");
    expect(badToken.stderr).not.toContain("not-a-researcher-token");
    const study = `typo-${Date.now()}`;
    const badStudy = await cli(["--url", BASE_URL, "--table", "answers", "--study", study, "--out", out]);
    expect(badStudy.code).toBe(1);
    expect(badStudy.stderr).toContain("The server refused the download (400 BAD_USER_INPUT)");
    expect(badStudy.stderr).toContain(`"${study}"`);
    const unreachable = await cli(["--url", "http://127.0.0.1:9", "--table", "answers", "--out", out]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("Could not reach http://127.0.0.1:9");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial.json`)).toBe(false);
  });

  it("ends with exit 2 and what to change for bad arguments", async () => {
    for (const [args, words] of [
      [["--table", "answers", "--out", "x.csv"], "--url is required"],
      [
        ["--url", BASE_URL, "--table", "answer", "--out", "x.csv"],
        "--table must be one of answers, sources, events, participants",
      ],
      [
        ["--url", "ftp://example.org", "--table", "answers", "--out", "x.csv"],
        "--url must be an http(s) URL",
      ],
      [
        ["--url", BASE_URL, "--table", "answers", "--out", "x.csv", "--format", "xlsx"],
        "--format must be csv or ndjson",
      ],
      [
        ["--url", BASE_URL, "--table", "answers", "--out", "x.csv", "--page-size", "0"],
        "--page-size must be from 1 to 1000",
      ],
      [
        ["--url", BASE_URL, "--table", "answers", "--out", "x.csv", "--sudy", "demo"],
        "Unknown option '--sudy'",
      ],
      [
        ["--url", BASE_URL, "--table", "answers", "--out", join(dir, "none.csv"), "--resume"],
        "nothing to resume",
      ],
    ] as const) {
      const run = await cli([...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(words);
    }
    const noToken = await cli(["--url", BASE_URL, "--table", "answers", "--out", "x.csv"], "");
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("LSP_RESEARCHER_TOKEN");
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
