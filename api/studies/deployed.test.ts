import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDataApiServer } from "../../tests/support/data-api-server";
import { parseConfig } from "../config";
import { createDataApiDatabase } from "../store/mongo/data-api";
import { createMongoStore } from "../store/mongo/store";
import { type Store, withStoreErrors } from "../store/store";
import { createStudyCatalog } from "./catalog";
import { parseStudies, type StudyFile } from "./definition";
import { definitionProblem, registeredDefinitions, requireAvailable, studyProblems } from "./deployed";
import { conditionLlm } from "./llms";

/**
 * The domain's check of a deployed definition, on a real store (the MongoDB
 * store through the in-process Data API server, whose requests are counted):
 * the first registration of a (study, version) is kept, a changed file under
 * the same version is a problem, and a match is remembered per store.
 */

let server: Awaited<ReturnType<typeof startDataApiServer>>;
let store: Store;
beforeAll(async () => {
  server = await startDataApiServer({ dialect: "atlas", auth: { apiKey: "k" } });
  store = withStoreErrors(
    createMongoStore(
      createDataApiDatabase({
        url: server.url,
        dataSource: "mongodb-atlas",
        database: "deployed",
        auth: { kind: "api-key", key: "k" },
        timeoutMs: 5000,
        retries: 0,
      }),
    ),
  );
});
afterAll(() => server?.close());

const file = (id: string, fields: Record<string, unknown> = {}): StudyFile => ({
  file: `studies/${id}.json`,
  definition: {
    id,
    version: 4,
    title: "T",
    consent: "C",
    task: "T",
    conditions: [{ id: "a", llm: { provider: "scripted" } }],
    completion: { code: "X" },
    ...fields,
  },
});

/** The deps a deployment of these files has: the store above, its own catalog. */
function deployment(files: StudyFile[], env: Record<string, string> = {}) {
  const config = parseConfig({ SESSION_SECRETS: "s".repeat(40), ...env });
  const studies = createStudyCatalog(
    parseStudies(files),
    (study, condition, index) => conditionLlm(config, study, condition, index),
    files,
  );
  const study = studies.list()[0];
  if (!study) throw new Error("no study");
  return { deps: { store, studies }, study };
}

describe("definitionProblem", () => {
  it("registers the first use and asks the store only once per store after it matched", async () => {
    const { deps, study } = deployment([file("memo")]);
    expect(await definitionProblem(deps, study)).toBeNull();
    const before = server.requests.length;
    expect(await definitionProblem(deps, study)).toBeNull();
    expect(await studyProblems(deps, study)).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  it("a changed file under the same version is DEFINITION_CHANGED, asked again each time, and names the file", async () => {
    const first = deployment([file("edit")]);
    expect(await definitionProblem(first.deps, first.study)).toBeNull();
    const { deps, study } = deployment([file("edit", { title: "Changed" })]);
    const problem = await definitionProblem(deps, study);
    expect(problem).toEqual({
      code: "DEFINITION_CHANGED",
      condition: null,
      message: expect.stringMatching(
        /^study "edit": studies\/edit\.json changed since version 4 was first used \(\d{4}-.+Z\), but its "version" is still 4\. Raise "version" in studies\/edit\.json \(to 5\)/,
      ),
    });
    const before = server.requests.length;
    expect(await definitionProblem(deps, study)).toEqual(problem);
    expect(server.requests.length).toBeGreaterThan(before);
    await expect(requireAvailable(deps, study)).rejects.toMatchObject({
      code: "STUDY_UNAVAILABLE",
      details: { problems: [problem] },
    });
    const [stored] = await registeredDefinitions(deps, "edit");
    expect(stored).toMatchObject({ version: 4, deployedNow: false, definition: file("edit").definition });
  });

  it("a study made without its file is not checked", async () => {
    const config = parseConfig({ SESSION_SECRETS: "s".repeat(40) });
    const studies = createStudyCatalog(parseStudies([file("bare")]), (s, c, i) =>
      conditionLlm(config, s, c, i),
    );
    const study = studies.list()[0];
    if (!study) throw new Error("no study");
    expect(await definitionProblem({ store, studies }, study)).toBeNull();
    expect(await registeredDefinitions({ store, studies }, "bare")).toEqual([]);
  });
});

describe("studyProblems", () => {
  it("adds a condition's LLM without a key to the study's problems; a closed study has none", async () => {
    const conditions = [{ id: "m", llm: { provider: "default" } }];
    const open = deployment([file("nokey", { conditions })]);
    expect((await studyProblems(open.deps, open.study)).map((p) => [p.code, p.condition])).toEqual([
      ["LLM_NOT_CONFIGURED", "m"],
    ]);
    const closed = deployment([file("nokey-closed", { conditions, active: false })]);
    expect(await studyProblems(closed.deps, closed.study)).toEqual([]);
  });
});
