import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import type { StudyFile } from "../../api/studies/definition";
import { definitionHash } from "../../api/studies/definition-hash";
import { appWithStudies, askOk, enroll, enrollOk, onlyError, studyRecords, uid } from "./helpers";
import { gql, RESEARCHER_TOKEN } from "./support";

/**
 * A study's definition as deployed, on this file's real D1: stored with the
 * first use of its (study, version); a file changed without a new version,
 * or a condition whose LLM has no key, makes its study unavailable (no new
 * participants, status.ok false) and leaves the other studies running.
 * Each test deploys its own files (fresh apps on the same D1, as a new
 * deployment of the Worker would be).
 */

const tag = () => uid().slice(0, 8);

const scripted = (id: string) => ({
  id,
  llm: { provider: "scripted" },
  script: { tokenDelayMs: 0, fallback: { answer: `Condition ${id} answers: {{query}}` } },
});

function studyFile(id: string, fields: Record<string, unknown> = {}): StudyFile {
  return {
    file: `studies/${id}.json`,
    definition: {
      id,
      version: 1,
      title: `Study ${id}`,
      consent: "Do you agree?",
      task: "Ask about coffee.",
      conditions: [scripted("alpha")],
      completion: { code: "CODE-1" },
      ...fields,
    },
  };
}

const participant = (studyId: string, userId = uid()) => ({
  studyId,
  userId,
  sessionId: `${userId}-session`,
});

type Problem = { code: string; condition: string | null; message: string };
type StatusStudy = { id: string; available: boolean; problems: Problem[] };

async function status(app: App): Promise<{ ok: boolean; studies: StatusStudy[] }> {
  const result = await gql<{ status: { ok: boolean; studies: StatusStudy[] } }>(
    app,
    "{ status { ok studies { id available problems { code condition message } } } }",
  );
  expect(result.errors).toBeUndefined();
  if (!result.data) throw new Error("no status");
  return result.data.status;
}

type Definition = {
  studyId: string;
  version: number;
  hash: string;
  definition: unknown;
  firstSeenAt: string;
  deployedNow: boolean;
};

const DEFINITIONS = `query D($studyId: ID) {
  studyDefinitions(studyId: $studyId) { studyId version hash definition firstSeenAt deployedNow }
}`;

async function definitions(app: App, studyId: string): Promise<Definition[]> {
  const result = await gql<{ studyDefinitions: Definition[] }>(
    app,
    DEFINITIONS,
    { studyId },
    { token: RESEARCHER_TOKEN },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.studyDefinitions ?? [];
}

describe("a study file changed without a new version", () => {
  it("is refused to new participants with STUDY_UNAVAILABLE, reported by status, and stores nothing", async () => {
    const id = `changed-${tag()}`;
    const original = studyFile(id);
    const earlier = participant(id);
    await enrollOk(appWithStudies([original]), earlier);

    const edited = studyFile(id, { consent: "Do you agree? (edited)" });
    const app = appWithStudies([edited, studyFile(`other-${tag()}`)]);
    const newcomer = participant(id);
    const error = onlyError(await enroll(app, newcomer));
    expect(error.code).toBe("STUDY_UNAVAILABLE");
    expect(error.message).toContain(`studies/${id}.json changed since version 1 was first used`);
    expect(error.message).toContain(`Raise "version" in studies/${id}.json (to 2)`);
    expect(error.extensions.problems).toEqual([
      { code: "DEFINITION_CHANGED", condition: null, message: expect.stringContaining("Raise") },
    ]);
    expect((await studyRecords(app, { userIds: [newcomer.userId] })).totalCount).toBe(0);

    const { ok, studies } = await status(app);
    expect(ok).toBe(false);
    const [changed, other] = studies;
    expect(changed).toMatchObject({ id, available: false, problems: [{ code: "DEFINITION_CHANGED" }] });
    // One study's problem leaves the others running.
    expect(other).toMatchObject({ available: true, problems: [] });

    // The stored definition stays the first one; the edited file is not the one of version 1.
    const [stored, ...more] = await definitions(app, id);
    expect(more).toEqual([]);
    expect(stored).toMatchObject({
      version: 1,
      hash: definitionHash(original.definition),
      deployedNow: false,
    });
    expect(stored?.definition).toEqual(original.definition);
  });

  it("lets a participant who enrolled before the change carry on (docs/decisions/013)", async () => {
    const id = `carry-${tag()}`;
    const earlier = participant(id);
    const before = await enrollOk(appWithStudies([studyFile(id)]), earlier);
    const app = appWithStudies([studyFile(id, { task: "Ask about tea." })]);
    const again = await enrollOk(app, earlier);
    expect(again.assignedAt).toBe(before.assignedAt);
    const answer = await askOk(app, { ...earlier, query: "Is tea fine?" });
    expect(answer.response).toBe("Condition alpha answers: Is tea fine?");
  });

  it("runs again once its version is raised: both versions are kept, the new one deployed now", async () => {
    const id = `raised-${tag()}`;
    const v1 = studyFile(id);
    await enrollOk(appWithStudies([v1]), participant(id));
    const v2 = studyFile(id, { version: 2, consent: "Do you agree? (edited)" });
    const app = appWithStudies([v2]);
    await enrollOk(app, participant(id));
    const { studies } = await status(app);
    expect(studies[0]).toMatchObject({ id, available: true, problems: [] });
    const stored = await definitions(app, id);
    expect(stored.map((d) => [d.version, d.hash, d.deployedNow])).toEqual([
      [1, definitionHash(v1.definition), false],
      [2, definitionHash(v2.definition), true],
    ]);
    expect(stored[1]?.definition).toEqual(v2.definition);
  });

  it("an unchanged file (reformatted: keys in another order) stays available", async () => {
    const id = `same-${tag()}`;
    const file = studyFile(id);
    await enrollOk(appWithStudies([file]), participant(id));
    const reordered = Object.fromEntries(Object.entries(file.definition as object).reverse());
    const app = appWithStudies([{ file: file.file, definition: reordered }]);
    await enrollOk(app, participant(id));
    expect(await status(app)).toEqual({ ok: true, studies: [{ id, available: true, problems: [] }] });
  });

  it("a closed study is not checked: closing it needs no new version", async () => {
    const id = `closing-${tag()}`;
    await enrollOk(appWithStudies([studyFile(id)]), participant(id));
    const app = appWithStudies([studyFile(id, { active: false })]);
    expect(onlyError(await enroll(app, participant(id))).code).toBe("STUDY_CLOSED");
    expect((await status(app)).ok).toBe(true);
  });
});

describe("a condition on a model without a key", () => {
  const onDeploymentModel = (id: string, provider: "default" | "openai") =>
    studyFile(id, {
      conditions: [scripted("alpha"), { id: "model", llm: { provider, model: "gpt-4o-mini" } }],
    });

  it.each(["default", "openai"] as const)(
    'provider "%s": its study is unavailable with the reason, the other studies run',
    async (provider) => {
      const id = `nokey-${tag()}`;
      const fine = `fine-${tag()}`;
      const app = appWithStudies([onDeploymentModel(id, provider), studyFile(fine)], { OPENAI_API_KEY: "" });
      const error = onlyError(await enroll(app, participant(id)));
      expect(error.code).toBe("STUDY_UNAVAILABLE");
      expect(error.message).toContain(`study "${id}", condition "model" (conditions[1])`);
      expect(error.message).toContain("Set OPENAI_API_KEY");
      expect(error.message).toContain('"llm": { "provider": "scripted" }');
      expect(error.extensions.problems).toEqual([
        { code: "LLM_NOT_CONFIGURED", condition: "model", message: expect.stringContaining(provider) },
      ]);
      const { ok, studies } = await status(app);
      expect(ok).toBe(false);
      expect(studies.map((s) => [s.id, s.available, s.problems.map((p) => p.code)])).toEqual([
        [id, false, ["LLM_NOT_CONFIGURED"]],
        [fine, true, []],
      ]);
      await enrollOk(app, participant(fine));
    },
  );

  it("with a key, the same study takes participants", async () => {
    const id = `withkey-${tag()}`;
    const app = appWithStudies([onDeploymentModel(id, "default")], { OPENAI_API_KEY: "sk-test-never-used" });
    await enrollOk(app, participant(id));
    expect((await status(app)).studies[0]).toMatchObject({ available: true, problems: [] });
  });
});

describe("studyDefinitions", () => {
  it("gives researchers the study file as deployed, with its hash; every study's without studyId", async () => {
    const id = `defs-${tag()}`;
    const file = studyFile(id, { conditions: [scripted("alpha"), scripted("beta")] });
    const app = appWithStudies([file]);
    await status(app); // the first use registers it
    const [stored] = await definitions(app, id);
    expect(stored).toEqual({
      studyId: id,
      version: 1,
      hash: definitionHash(file.definition),
      definition: file.definition,
      firstSeenAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      deployedNow: true,
    });
    const all = await gql<{ studyDefinitions: Definition[] }>(
      app,
      DEFINITIONS,
      {},
      { token: RESEARCHER_TOKEN },
    );
    expect(all.data?.studyDefinitions.map((d) => d.studyId)).toContain(id);
  });

  it("refuses anybody without a researcher token, a participant too", async () => {
    const id = `defs-${tag()}`;
    const app = appWithStudies([studyFile(id)]);
    const anonymous = onlyError(await gql(app, DEFINITIONS, { studyId: id }, { participant: null }));
    expect(anonymous.code).toBe("UNAUTHENTICATED");
    expect(anonymous.message).toContain("researcher token");
    const p = participant(id);
    await enrollOk(app, p);
    const asParticipant = onlyError(await gql(app, DEFINITIONS, { studyId: id }, { participant: p }));
    expect(asParticipant.code).toBe("UNAUTHENTICATED");
    expect(
      onlyError(await gql(app, DEFINITIONS, { studyId: "x".repeat(129) }, { token: RESEARCHER_TOKEN })).code,
    ).toBe("BAD_USER_INPUT");
  });
});
