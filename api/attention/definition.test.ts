import { describe, expect, it } from "vitest";
import { parseStudies, StudyDefinitionError } from "../studies/definition";
import { judge } from "./judge";

const FILE = "studies/x.json";

const study = (fields: Record<string, unknown>) => ({
  id: "checks",
  version: 1,
  title: "Checks",
  consent: "Do you agree?",
  task: "Ask.",
  conditions: [{ id: "a" }],
  completion: { code: "DONE-1" },
  outcomes: { "failed-attention-check": { code: "FAILED-1" } },
  ...fields,
});

const check = (fields: Record<string, unknown> = {}) => ({
  id: "colour",
  afterTurns: 2,
  message: "Type **blue**.",
  rule: { equals: "blue" },
  ...fields,
});

function problemsOf(fields: Record<string, unknown>): string[] {
  try {
    parseStudies([{ file: FILE, definition: study(fields) }]);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(StudyDefinitionError);
    return (error as StudyDefinitionError).problems;
  }
}

describe("attention checks in the study file", () => {
  it("are optional: none, and the default policy (end after 2 failures with failed-attention-check)", () => {
    const [parsed] = parseStudies([{ file: FILE, definition: study({}) }]);
    expect(parsed?.attentionChecks).toEqual([]);
    expect(parsed?.attentionPolicy).toEqual({
      maxFailures: 2,
      action: "end",
      outcome: "failed-attention-check",
    });
  });

  it("takes a screening item's failOutcome only when the study defines that outcome", () => {
    expect(
      problemsOf({
        attentionChecks: [check({ failOutcome: "screened-out" })],
        outcomes: { "failed-attention-check": { code: "FAILED-1" }, "screened-out": { code: "SCREEN-1" } },
      }),
    ).toEqual([]);
    expect(problemsOf({ attentionChecks: [check({ failOutcome: "screened-out" })] })).toEqual([
      `${FILE}: attentionChecks[0].failOutcome: a failed reply ends participants with the outcome "screened-out": define outcomes["screened-out"] with its code`,
    ]);
    expect(problemsOf({ attentionChecks: [check({ failOutcome: "Screened Out" })] })).toContain(
      `${FILE}: attentionChecks[0].failOutcome: must be an outcome name: 1 to 63 lowercase letters, digits and dashes, like "failed-attention-check"`,
    );
  });

  it("takes checks by turn or by time, each rule kind, and a policy", () => {
    expect(
      problemsOf({
        attentionChecks: [
          check(),
          check({ id: "two", afterTurns: undefined, afterSeconds: 60, rule: { oneOf: ["cat", "a cat"] } }),
          check({ id: "three", rule: { matches: "^b(lue)?$", caseSensitive: true } }),
        ],
        attentionPolicy: { maxFailures: 1, action: "flag" },
      }),
    ).toEqual([]);
  });

  it("refuses checks that end participants with an outcome the study gives no code for", () => {
    expect(problemsOf({ attentionChecks: [check()], outcomes: undefined })).toEqual([
      'studies/x.json: attentionPolicy.outcome: failed attention checks end participants with the outcome "failed-attention-check": define outcomes["failed-attention-check"] with its code, or set attentionPolicy.action to "flag"',
    ]);
    expect(
      problemsOf({ attentionChecks: [check()], outcomes: undefined, attentionPolicy: { action: "flag" } }),
    ).toEqual([]);
    expect(problemsOf({ outcomes: undefined })).toEqual([]);
  });

  it("names the field of each mistake", () => {
    expect(problemsOf({ attentionChecks: [check({ rule: { matches: "(" } })] })).toEqual([
      expect.stringMatching(
        /^studies\/x\.json: attentionChecks\[0\]\.rule\.matches: is not a valid regular expression/,
      ),
    ]);
    expect(problemsOf({ attentionChecks: [check({ afterSeconds: 10 })] })).toEqual([
      'studies/x.json: attentionChecks[0].afterTurns: needs exactly one of "afterTurns" or "afterSeconds": when the check is shown',
    ]);
    expect(problemsOf({ attentionChecks: [check({ afterTurns: undefined })] })).toHaveLength(1);
    expect(problemsOf({ attentionChecks: [check({ rule: { equals: "a", oneOf: ["b"] } })] })).toEqual([
      'studies/x.json: attentionChecks[0].rule: needs exactly one of "equals", "oneOf" or "matches" (it has equals and oneOf), such as {"equals": "blue"}',
    ]);
    expect(problemsOf({ attentionChecks: [check(), check()] })).toEqual([
      'studies/x.json: attentionChecks[1].id: "colour" is used twice',
    ]);
    expect(problemsOf({ attentionChecks: [check({ colour: "x" })] })[0]).toMatch(
      /^studies\/x\.json: attentionChecks\[0\]/,
    );
    expect(problemsOf({ attentionPolicy: { maxFailures: 0 } })).toEqual([
      "studies/x.json: attentionPolicy.maxFailures: must be at least 1",
    ]);
    expect(problemsOf({ attentionPolicy: { action: "kick" } })[0]).toMatch(
      /^studies\/x\.json: attentionPolicy\.action: must be "end"/,
    );
  });
});

describe("judge", () => {
  it("ignores case and runs of spaces by default", () => {
    expect(judge({ equals: "light blue", caseSensitive: false }, "  Light   BLUE ")).toBe(true);
    expect(judge({ equals: "blue", caseSensitive: false }, "blue.")).toBe(false);
    expect(judge({ equals: "Blue", caseSensitive: true }, "blue")).toBe(false);
  });

  it("oneOf takes any listed answer; matches tests the regular expression", () => {
    expect(judge({ oneOf: ["cat", "a cat"], caseSensitive: false }, "A cat")).toBe(true);
    expect(judge({ oneOf: ["cat", "a cat"], caseSensitive: false }, "dog")).toBe(false);
    expect(judge({ matches: "^y(es)?$", caseSensitive: false }, " YES ")).toBe(true);
    expect(judge({ matches: "^y(es)?$", caseSensitive: false }, "yes please")).toBe(false);
    expect(judge({ matches: "^Y", caseSensitive: true }, "yes")).toBe(false);
  });
});
