/**
 * docs/examples/export.py as a researcher runs it: python3 (standard library
 * only) against the test Worker, the filters as options, writing the four
 * tables and the description into a folder. Its files are the bytes of the
 * direct downloads, so their columns are the downloads' own (the study
 * fields included); a filter narrows them as the server does; a wrong token
 * or a study nothing knows ends it with the server's reason and exit 1,
 * leaving no file.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, DEMO, DEMO_STUDY_ID, RESEARCHER_TOKEN } from "./support";

const SCRIPT = new URL("../../docs/examples/export.py", import.meta.url).pathname;
const TABLES = ["answers", "sources", "events", "participants"];
const dir = mkdtempSync(join(tmpdir(), "lsp-export-py-"));
let participant = { userId: "", condition: "" };

async function graphql<T>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

function exportPy(args: string[], token = RESEARCHER_TOKEN) {
  const run = spawnSync("python3", [SCRIPT, "--url", BASE_URL, ...args], {
    env: { ...process.env, LSP_RESEARCHER_TOKEN: token },
    encoding: "utf8",
  });
  return { code: run.status, stderr: run.stderr };
}

async function direct(path: string) {
  const response = await fetch(`${BASE_URL}${path}`, {
    headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` },
  });
  expect(response.status, path).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  // A participant of the demo study with an answer and a click on its first source.
  const { startSession: s } = await graphql<{
    startSession: { token: string; userId: string; sessionId: string };
  }>(
    "mutation($i: StartSessionInput) { startSession(input: $i) { token userId sessionId } }",
    { i: { studyId: DEMO_STUDY_ID } },
    {},
  );
  const as = { "x-participant-token": s.token };
  await graphql(
    "mutation($i: StudyParticipantInput!) { enroll(input: $i) { assignedAt } }",
    {
      i: { studyId: DEMO_STUDY_ID },
    },
    as,
  );
  const { query: answer } = await graphql<{ query: { id: string; sources: { url: string }[] } }>(
    "mutation($i: QueryInput!) { query(input: $i) { id sources { url } } }",
    { i: { userId: s.userId, sessionId: s.sessionId, studyId: DEMO_STUDY_ID, query: "Is coffee healthy?" } },
    as,
  );
  await graphql(
    "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
    {
      e: [
        {
          eventId: randomUUID(),
          userId: s.userId,
          sessionId: s.sessionId,
          studyId: DEMO_STUDY_ID,
          eventType: "CLICK",
          queryId: answer.id,
          targetUrl: answer.sources[0]?.url ?? "https://www.fda.gov/",
          extraData: { element: "source" },
        },
      ],
    },
    as,
  );
  const { assignment } = await graphql<{ assignment: { condition: string } }>(
    "query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { condition } }",
    { s: DEMO_STUDY_ID, u: s.userId },
    { authorization: `Bearer ${RESEARCHER_TOKEN}` },
  );
  participant = { userId: s.userId, condition: assignment.condition };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/examples/export.py", () => {
  it("writes the four tables and the description, byte for byte the downloads, as CSV and NDJSON", async () => {
    for (const format of ["csv", "ndjson"]) {
      const out = join(dir, format);
      const run = exportPy([
        "--study",
        DEMO_STUDY_ID,
        "--user",
        participant.userId,
        "--format",
        format,
        "--out",
        out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(
        [...TABLES.map((t) => `${t}.${format}`), "dataset_description.json"].sort(),
      );
      for (const table of TABLES) {
        const file = readFileSync(join(out, `${table}.${format}`));
        const download = await direct(
          `/export/${table}.${format}?studyIds=${DEMO_STUDY_ID}&userIds=${participant.userId}`,
        );
        expect(file.equals(download), `${table}.${format}`).toBe(true);
      }
      expect(
        readFileSync(join(out, "dataset_description.json")).equals(
          await direct("/export/dataset_description.json"),
        ),
      ).toBe(true);
    }
    // The study fields are columns of every table, with the participant's values.
    const answers = readFileSync(join(dir, "ndjson", "answers.ndjson"), "utf8")
      .trim()
      .split("\n");
    expect(answers.map((line) => JSON.parse(line))).toMatchObject([
      {
        user_id: participant.userId,
        study_id: DEMO_STUDY_ID,
        condition: participant.condition,
        study_version: DEMO.version,
      },
    ]);
    const sources = readFileSync(join(dir, "csv", "sources.csv"), "utf8").split("\r\n");
    expect(sources[0]).toMatch(/^query_id,user_id,study_id,condition,rank,original_rank,/);
  });

  it("narrows the tables with the filters: a condition, several tables, a time window", () => {
    const other = DEMO.conditions.map((c) => c.id).find((c) => c !== participant.condition);
    const out = join(dir, "filtered");
    const run = exportPy([
      "--user",
      participant.userId,
      "--condition",
      String(other),
      "--table",
      "answers",
      "--table",
      "participants",
      "--from",
      "2020-01-01T00:00:00Z",
      "--to",
      "2100-01-01T00:00:00Z",
      "--out",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["answers.csv", "dataset_description.json", "participants.csv"]);
    // Another condition than the participant's: the header row only.
    for (const table of ["answers", "participants"])
      expect(
        readFileSync(join(out, `${table}.csv`), "utf8")
          .split("\r\n")
          .filter(Boolean),
        table,
      ).toHaveLength(1);
    const mine = join(dir, "mine");
    const again = exportPy([
      "--user",
      participant.userId,
      "--condition",
      participant.condition,
      "--table",
      "participants",
      "--out",
      mine,
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(mine, "participants.csv"), "utf8")).toContain(participant.userId);
  });

  it("ends with exit 1 and the server's reason for a wrong token or an unknown study, writing no table", () => {
    const out = join(dir, "refused");
    const badToken = exportPy(["--out", out], "not-a-researcher-token");
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain("the server refused /export/answers.csv (401 UNAUTHENTICATED");
    expect(badToken.stderr).not.toContain("not-a-researcher-token");
    const study = `typo-${Date.now()}`;
    const badStudy = exportPy(["--study", study, "--out", out]);
    expect(badStudy.code).toBe(1);
    expect(badStudy.stderr).toContain("(400 BAD_USER_INPUT");
    expect(badStudy.stderr).toContain(`"${study}"`);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    const noToken = exportPy(["--out", out], "");
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("LSP_RESEARCHER_TOKEN");
  });
});
