import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseStudies, StudyDefinitionError } from "../api/studies/definition";
import { readStudyFiles, STUDIES_DIR } from "./studies";

const VALID = {
  id: "tmp-study",
  version: 1,
  title: "Temp",
  consent: "Yes?",
  task: "Chat.",
  conditions: [{ id: "a" }],
  completion: { code: "DONE" },
};

let dirs: string[] = [];

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "studies-test-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe("readStudyFiles", () => {
  it("names the file that is not valid JSON", () => {
    const dir = tempDir({
      "good.json": JSON.stringify(VALID),
      "broken.json": '{ "id": "broken", ',
    });
    let error: unknown;
    try {
      readStudyFiles(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StudyDefinitionError);
    const problems = (error as StudyDefinitionError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/broken\.json: not valid JSON \(.+\)$/);
    expect((error as Error).message).toContain("broken.json");
  });

  it("reads every .json file (and nothing else) in name order", () => {
    const dir = tempDir({
      "b.json": JSON.stringify({ ...VALID, id: "b" }),
      "a.json": JSON.stringify({ ...VALID, id: "a" }),
      "notes.md": "# not a study",
      "registry.generated.ts": "export {};",
    });
    const files = readStudyFiles(dir);
    expect(files.map((f) => f.name)).toEqual(["a.json", "b.json"]);
    expect(files.map((f) => (f.definition as { id: string }).id)).toEqual(["a", "b"]);
    expect(files[0]?.file).toMatch(/a\.json$/);
  });

  it("leaves validation to parseStudies, whose problems then name the file", () => {
    const dir = tempDir({ "bad.json": JSON.stringify({ ...VALID, version: 0 }) });
    const files = readStudyFiles(dir);
    expect(() => parseStudies(files)).toThrow(/bad\.json: version: must be at least 1/);
  });

  it("finds the project's own studies/ valid, the demo study among them", () => {
    const files = readStudyFiles(STUDIES_DIR);
    expect(files.map((f) => f.file)).toContain("studies/demo.json");
    const studies = parseStudies(files);
    expect(studies.map((s) => s.id)).toContain("demo");
  });
});

describe("studies/demo.json", () => {
  const demo = parseStudies(readStudyFiles(STUDIES_DIR)).find((s) => s.id === "demo");

  it("runs with no key: every condition has scripted answers of its own", () => {
    for (const condition of demo?.conditions ?? []) {
      expect(condition.llm.provider, condition.id).toBe("scripted");
      expect(condition.script, condition.id).toBeDefined();
    }
    expect(demo?.conditions.length).toBe(3);
  });

  it("sources-shown and sources-hidden differ only in whether the sources are shown", () => {
    const [shown, hidden] = ["sources-shown", "sources-hidden"].map((id) =>
      demo?.conditions.find((c) => c.id === id),
    );
    expect(shown?.showSources).toBe(true);
    expect(hidden?.showSources).toBe(false);
    const manipulated = ["id", "description", "showSources"];
    const rest = (c: typeof shown) =>
      Object.fromEntries(Object.entries(c ?? {}).filter(([key]) => !manipulated.includes(key)));
    expect(rest(hidden)).toEqual(rest(shown));
    expect(shown?.script?.rules.length).toBeGreaterThan(0);
  });
});
