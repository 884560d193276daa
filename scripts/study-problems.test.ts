import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../api/config";
import { parseStudies } from "../api/studies/definition";
import { readStudyFiles, STUDIES_DIR } from "./studies";
import { configurationProblems, startRefusal } from "./study-problems";

/**
 * What `npm start` refuses before it builds: a study directory written here,
 * read and validated as npm start reads studies/, against the configuration
 * of .dev.vars and the shell. (The refusal of a study changed without a new
 * version needs the Worker's store: tests/e2e/unavailable.test.ts runs it
 * against a real Worker.)
 */

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function studiesIn(files: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), "start-check-"));
  dirs.push(dir);
  for (const [name, definition] of Object.entries(files))
    writeFileSync(join(dir, name), JSON.stringify(definition));
  return parseStudies(readStudyFiles(dir));
}

const study = (id: string, conditions: unknown[], fields: Record<string, unknown> = {}) => ({
  id,
  version: 1,
  title: id,
  consent: "C",
  task: "T",
  conditions,
  completion: { code: "X" },
  ...fields,
});

const vars = (extra: Record<string, string> = {}) =>
  parseConfig({ SESSION_SECRETS: "s".repeat(40), ...extra });

describe("npm start's study check", () => {
  it("refuses a study with a condition on the deployment's model when no key is set: exit 1, which study and condition, what to do", () => {
    const studies = studiesIn({
      "news.json": study("news", [
        { id: "scripted", llm: { provider: "scripted" } },
        { id: "gpt", llm: { provider: "default", model: "gpt-4o-mini" } },
      ]),
      "fine.json": study("fine", [{ id: "a", llm: { provider: "scripted" } }]),
    });
    const refusal = startRefusal(configurationProblems(vars(), studies));
    expect(refusal?.exitCode).toBe(1);
    expect(refusal?.text).toBe(
      [
        "A study cannot take participants:",
        `  - study "news", condition "gpt" (conditions[1]): llm.provider is "default" (the deployment's model), and this deployment has no OPENAI_API_KEY. Set OPENAI_API_KEY (and OPENAI_BASE_URL for a provider other than OpenAI), or give the condition scripted answers: a "script", or "llm": { "provider": "scripted" }.`,
        "Fix the study file or the configuration (see docs/studies.md), then run npm start again.",
      ].join("\n"),
    );
  });

  it("starts with a key set, and ignores a closed study", () => {
    const studies = studiesIn({
      "news.json": study("news", [{ id: "gpt", llm: { provider: "openai" } }]),
      "old.json": study("old", [{ id: "gpt", llm: { provider: "default" } }], { active: false }),
    });
    expect(startRefusal(configurationProblems(vars({ OPENAI_API_KEY: "sk-test" }), studies))).toBeNull();
    expect(configurationProblems(vars(), studies)).toHaveLength(1);
  });

  it("starts the project's own studies/ with no key (a fresh clone)", () => {
    expect(configurationProblems(vars(), parseStudies(readStudyFiles(STUDIES_DIR)))).toEqual([]);
  });
});
