import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseStudies, StudyDefinitionError, type StudyFile } from "./definition";

const FILE = "studies/x.json";

/** A minimal valid study; each test breaks one thing of a fresh copy. */
function validStudy(): Record<string, unknown> & {
  conditions: Record<string, unknown>[];
  completion: Record<string, unknown>;
} {
  return {
    id: "news-trust-2026",
    version: 1,
    title: "Trust in AI answers",
    consent: "Do you agree?",
    task: "Ask about coffee.",
    conditions: [{ id: "a" }, { id: "b", weight: 2 }],
    completion: { code: "DONE-1" },
  };
}

/** The problems that parseStudies reports, or [] when the files are valid. */
function problemsOf(files: StudyFile[]): string[] {
  try {
    parseStudies(files);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(StudyDefinitionError);
    return (error as StudyDefinitionError).problems;
  }
}

type Draft = ReturnType<typeof validStudy>;

function problemsAfter(change: (study: Draft) => Record<string, unknown>): string[] {
  return problemsOf([{ file: FILE, definition: change(validStudy()) }]);
}

/** The study with condition i replaced. */
function withCondition(s: Draft, i: number, condition: Record<string, unknown>): Draft {
  const conditions = [...s.conditions];
  conditions[i] = condition;
  return { ...s, conditions };
}

const withCompletion = (s: Draft, fields: Record<string, unknown>): Draft => ({
  ...s,
  completion: { ...s.completion, ...fields },
});

const scripted = (extra: Record<string, unknown> = {}) => ({
  llm: { provider: "scripted" },
  script: { tokenDelayMs: 0, rules: [], fallback: { answer: "Scripted." } },
  ...extra,
});

describe("parseStudies", () => {
  it("accepts the demo study shipped with the project, with every kind of condition", () => {
    const definition: unknown = JSON.parse(
      readFileSync(new URL("../../studies/demo.json", import.meta.url), "utf8"),
    );
    const [demo, ...others] = parseStudies([{ file: "studies/demo.json", definition }]);
    expect(others).toEqual([]);
    expect(demo).toMatchObject({ id: "demo", active: true, assignment: "weighted" });
    expect(demo?.conditions.map((c) => [c.id, c.weight, c.showSources])).toEqual([
      ["sources-shown", 1, true],
      ["sources-hidden", 1, false],
      ["controlled-stimulus", 2, true],
    ]);
    expect(demo?.conditions[2]?.maxTurns).toBe(3);
    expect(demo?.conditions[2]?.script?.rules.length).toBeGreaterThan(0);
    expect(demo?.completion.redirectUrl).toMatch(/^https:\/\//);
  });

  it("fills the defaults of a minimal study", () => {
    const [study] = parseStudies([{ file: FILE, definition: validStudy() }]);
    expect(study).toMatchObject({
      active: true,
      assignment: "weighted",
      completion: { code: "DONE-1" },
    });
    expect(study?.conditions[0]).toMatchObject({
      weight: 1,
      showSources: true,
      llm: { provider: "default" },
    });
  });

  it.each<[string, (s: Draft) => Record<string, unknown>, string]>([
    ["an id with capitals", (s) => ({ ...s, id: "News_Trust" }), "id: must be 1 to 63 lowercase letters"],
    ["an id starting with a dash", (s) => ({ ...s, id: "-x" }), "id: must be 1 to 63 lowercase letters"],
    ["version 0", (s) => ({ ...s, version: 0 }), "version: must be at least 1"],
    ["version 1.5", (s) => ({ ...s, version: 1.5 }), "version: must be a whole number"],
    ["an empty title", (s) => ({ ...s, title: "" }), "title: must not be empty"],
    ["an empty consent", (s) => ({ ...s, consent: "" }), "consent: must not be empty"],
    ["a blank consent", (s) => ({ ...s, consent: "  \n " }), "consent: must not be empty"],
    ["an empty task", (s) => ({ ...s, task: "" }), "task: must not be empty"],
    ["an unknown assignment mode", (s) => ({ ...s, assignment: "random" }), 'assignment: must be "weighted"'],
    ["no conditions", (s) => ({ ...s, conditions: [] }), "conditions: a study needs at least one condition"],
    [
      "weight 0",
      (s) => withCondition(s, 1, { id: "b", weight: 0 }),
      "conditions[1].weight: must be greater than 0",
    ],
    [
      "a negative weight",
      (s) => withCondition(s, 1, { id: "b", weight: -2 }),
      "conditions[1].weight: must be greater than 0",
    ],
    [
      "a bad condition id",
      (s) => withCondition(s, 0, { id: "A B" }),
      "conditions[0].id: must be 1 to 63 lowercase letters",
    ],
    [
      "a duplicate condition id",
      (s) => withCondition(s, 1, { id: "a" }),
      'conditions[1].id: "a" is used twice',
    ],
    [
      "temperature 3",
      (s) => withCondition(s, 0, { id: "a", llm: { temperature: 3 } }),
      "conditions[0].llm.temperature: must be from 0 to 2",
    ],
    [
      "temperature -0.1",
      (s) => withCondition(s, 0, { id: "a", llm: { temperature: -0.1 } }),
      "conditions[0].llm.temperature: must be from 0 to 2",
    ],
    [
      "an unknown provider",
      (s) => withCondition(s, 1, { id: "b", llm: { provider: "anthropic" } }),
      'conditions[1].llm.provider: must be "default"',
    ],
    [
      "an empty model",
      (s) => withCondition(s, 0, { id: "a", llm: { model: " " } }),
      "conditions[0].llm.model: must not be empty",
    ],
    [
      "a script with provider openai",
      (s) => withCondition(s, 0, scripted({ id: "a", llm: { provider: "openai" } })),
      'conditions[0].script: a script answers instead of a model: drop it, or set llm.provider to "scripted"',
    ],
    [
      "a script pattern that is no regular expression",
      (s) =>
        withCondition(s, 0, {
          id: "a",
          llm: { provider: "scripted" },
          script: { rules: [{ pattern: "coffee(", answer: "x" }], fallback: { answer: "y" } },
        }),
      "conditions[0].script.rules[0].pattern: pattern must be a valid regular expression",
    ],
    [
      "a script without a fallback",
      (s) => withCondition(s, 0, { id: "a", llm: { provider: "scripted" }, script: { rules: [] } }),
      "conditions[0].script.fallback:",
    ],
    [
      "maxTurns 0",
      (s) => withCondition(s, 0, { id: "a", maxTurns: 0 }),
      "conditions[0].maxTurns: must be at least 1",
    ],
    [
      "maxTurns 2.5",
      (s) => withCondition(s, 0, { id: "a", maxTurns: 2.5 }),
      "conditions[0].maxTurns: must be a whole number",
    ],
    [
      "a completion code with a space",
      (s) => withCompletion(s, { code: "DONE 1" }),
      "completion.code: must be 1 to 64 letters",
    ],
    [
      "an empty completion code",
      (s) => withCompletion(s, { code: "" }),
      "completion.code: must be 1 to 64 letters",
    ],
    [
      "a completion code of 65 characters",
      (s) => withCompletion(s, { code: "x".repeat(65) }),
      "completion.code: must be 1 to 64 letters",
    ],
    [
      "an ftp redirectUrl",
      (s) => withCompletion(s, { redirectUrl: "ftp://example.org/done" }),
      "completion.redirectUrl: must be an http(s) URL",
    ],
    [
      "a javascript: redirectUrl",
      (s) => withCompletion(s, { redirectUrl: "javascript:alert(1)" }),
      "completion.redirectUrl: must be an http(s) URL",
    ],
    [
      "a redirectUrl that is no URL",
      (s) => withCompletion(s, { redirectUrl: "prolific" }),
      "completion.redirectUrl: must be an http(s) URL",
    ],
  ])("names the file and field of %s", (_name, change, expected) => {
    const problems = problemsAfter(change);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${FILE}: ${expected}`);
  });

  it.each<[string, (s: Draft) => Record<string, unknown>, string]>([
    ["the study", (s) => ({ ...s, colour: "blue" }), `${FILE}: Unrecognized key: "colour"`],
    [
      "a condition",
      (s) => withCondition(s, 1, { id: "b", wieght: 2 }),
      `${FILE}: conditions[1]: Unrecognized key: "wieght"`,
    ],
    [
      "a condition's llm",
      (s) => withCondition(s, 0, { id: "a", llm: { apiKey: "sk-x" } }),
      `${FILE}: conditions[0].llm: Unrecognized key: "apiKey"`,
    ],
    [
      "the completion",
      (s) => withCompletion(s, { url: "https://x.org" }),
      `${FILE}: completion: Unrecognized key: "url"`,
    ],
  ])("refuses an unknown field of %s (strict), naming it", (_name, change, expected) => {
    expect(problemsAfter(change)).toEqual([expected]);
  });

  it("accepts http and https redirect URLs and a scripted condition with its own script", () => {
    for (const redirectUrl of [
      "https://app.prolific.com/submissions/complete?cc=X",
      "http://localhost:8787/done",
    ]) {
      const problems = problemsAfter((s) =>
        withCompletion(withCondition(s, 0, scripted({ id: "a", maxTurns: 1 })), { redirectUrl }),
      );
      expect(problems).toEqual([]);
    }
  });

  it("refuses a study id used by two files, naming both files", () => {
    const problems = problemsOf([
      { file: "studies/a.json", definition: { ...validStudy(), id: "same" } },
      { file: "studies/b.json", definition: { ...validStudy(), id: "other" } },
      { file: "studies/c.json", definition: { ...validStudy(), id: "same", version: 2 } },
    ]);
    expect(problems).toEqual(['studies/c.json: id: "same" is already the id of studies/a.json']);
  });

  it("reports every problem of every file at once, each with its file", () => {
    const first = validStudy();
    first.version = 0;
    first.conditions = [
      { id: "a", weight: 0, llm: { temperature: 3 } },
      { id: "a", maxTurns: 0 },
    ];
    first.completion = { code: "bad code", redirectUrl: "ftp://x.org" };
    const second = validStudy();
    second.id = "Second";
    second.consent = "";
    const problems = problemsOf([
      { file: "studies/first.json", definition: first },
      { file: "studies/fine.json", definition: validStudy() },
      { file: "studies/second.json", definition: second },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        "studies/first.json: version: must be at least 1",
        "studies/first.json: conditions[0].weight: must be greater than 0",
        "studies/first.json: conditions[0].llm.temperature: must be from 0 to 2",
        "studies/first.json: conditions[1].maxTurns: must be at least 1",
        'studies/first.json: conditions[1].id: "a" is used twice',
        "studies/first.json: completion.code: must be 1 to 64 letters, digits, dashes or underscores",
        "studies/first.json: completion.redirectUrl: must be an http(s) URL",
        expect.stringMatching(/^studies\/second\.json: id: must be 1 to 63 lowercase letters/),
        "studies/second.json: consent: must not be empty",
      ]),
    );
    expect(problems).toHaveLength(9);
    expect(problems.some((p) => p.includes("fine.json"))).toBe(false);
  });

  it("puts every problem in the error's message, one a line", () => {
    const error = (() => {
      try {
        parseStudies([{ file: FILE, definition: { ...validStudy(), version: 0, title: "" } }]);
      } catch (e) {
        return e as Error;
      }
      throw new Error("no error");
    })();
    expect(error.message).toContain(`  - ${FILE}: version: must be at least 1`);
    expect(error.message).toContain(`  - ${FILE}: title: must not be empty`);
  });

  it("refuses a file whose content is not an object, naming the file", () => {
    const problems = problemsOf([{ file: "studies/list.json", definition: [] }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^studies\/list\.json: /);
  });
});
