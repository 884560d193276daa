import { describe, expect, it } from "vitest";
import { parseStudies, StudyDefinitionError } from "./definition";
import { definedOutcomes, endingFor } from "./outcomes";

const FILE = "studies/x.json";

const study = (fields: Record<string, unknown>) => ({
  id: "outcomes-2026",
  version: 1,
  title: "Outcomes",
  consent: "Agree?",
  task: "Ask.",
  conditions: [{ id: "a" }],
  completion: { code: "DONE-1" },
  ...fields,
});

function problemsOf(definition: Record<string, unknown>): string[] {
  try {
    parseStudies([{ file: FILE, definition }]);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(StudyDefinitionError);
    return (error as StudyDefinitionError).problems;
  }
}

const parsed = (definition: Record<string, unknown>) => {
  const [s] = parseStudies([{ file: FILE, definition }]);
  if (!s) throw new Error("no study");
  return s;
};

describe("outcomes in the study file", () => {
  it("an old file's completion block is the completed outcome, with a 5 s redirect delay when it gives none", () => {
    const s = parsed(study({ completion: { code: "OLD-1", redirectUrl: "https://example.org/done" } }));
    expect(endingFor(s, "completed")).toEqual({
      outcome: "completed",
      code: "OLD-1",
      message: null,
      redirectUrl: "https://example.org/done",
      redirectDelaySeconds: 5,
    });
    expect(endingFor(s, "timed-out")).toBeUndefined();
    expect(definedOutcomes(s)).toEqual(["completed"]);
  });

  it("reads each outcome's code, message, redirect and delay; completed may live in outcomes instead", () => {
    const s = parsed(
      study({
        completion: { minTurns: 1, maxSeconds: 600 },
        outcomes: {
          completed: { code: "C1", message: "Thanks!" },
          "timed-out": { code: "T1", redirectUrl: "https://example.org/t", redirectDelaySeconds: 0 },
          "partial-credit": { code: "P1" },
        },
      }),
    );
    expect(endingFor(s, "completed")).toMatchObject({ code: "C1", message: "Thanks!", redirectUrl: null });
    expect(endingFor(s, "timed-out")).toEqual({
      outcome: "timed-out",
      code: "T1",
      message: null,
      redirectUrl: "https://example.org/t",
      redirectDelaySeconds: 0,
    });
    expect(endingFor(s, "partial-credit")?.code).toBe("P1");
    expect(definedOutcomes(s)).toEqual(["completed", "timed-out", "partial-credit"]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "completed defined twice",
      { outcomes: { completed: { code: "C2" } } },
      [
        `${FILE}: completion.code: the completed outcome is defined in outcomes.completed: move this field there, or drop outcomes.completed`,
      ],
    ],
    [
      "completed defined nowhere",
      { completion: { minTurns: 1 } },
      [
        `${FILE}: completion.code: is required (or define the completed outcome in outcomes.completed with its code)`,
      ],
    ],
    [
      "maxSeconds without a timed-out code",
      { completion: { code: "C", maxSeconds: 60 } },
      [
        `${FILE}: outcomes.timed-out: is required with completion.maxSeconds: participants whose time is up end with the outcome "timed-out", which needs its code, such as {"code": "TIMEDOUT1"}`,
      ],
    ],
    [
      "maxSeconds not above minSeconds",
      { completion: { code: "C", minSeconds: 60, maxSeconds: 60 }, outcomes: { "timed-out": { code: "T" } } },
      [
        `${FILE}: completion.maxSeconds: must be more than completion.minSeconds (60), or nobody could finish`,
      ],
    ],
    [
      "a code that breaks the code rule",
      { outcomes: { "timed-out": { code: "two words" } } },
      [`${FILE}: outcomes.timed-out.code: must be 1 to 64 letters, digits, dashes or underscores`],
    ],
    [
      "an outcome without a code",
      { outcomes: { "screened-out": { message: "Sorry." } } },
      [`${FILE}: outcomes.screened-out.code: Invalid input: expected string, received undefined`],
    ],
    [
      "an unknown field in an outcome",
      { outcomes: { "screened-out": { code: "S", url: "https://x.org" } } },
      [`${FILE}: outcomes.screened-out: Unrecognized key: "url"`],
    ],
    [
      "a redirect that is not http(s)",
      { outcomes: { "screened-out": { code: "S", redirectUrl: "javascript:alert(1)" } } },
      [`${FILE}: outcomes.screened-out.redirectUrl: must be an http(s) URL`],
    ],
  ])("refuses %s, naming the field", (_name, fields, problems) => {
    expect(problemsOf(study(fields))).toEqual(problems);
  });

  it("refuses an outcome name that is not a slug", () => {
    expect(problemsOf(study({ outcomes: { "Timed Out": { code: "T" } } }))).toEqual([
      `${FILE}: outcomes.Timed Out: is not an outcome name: 1 to 63 lowercase letters, digits and dashes, like "timed-out" or "partial-credit"`,
    ]);
  });
});
