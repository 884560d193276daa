import { describe, expect, it } from "vitest";
import { parseStudies, StudyDefinitionError } from "../studies/definition";
import { missingConsentMentions, SIGNALS_CONSENT_EXAMPLE } from "./consent-rule";

const study = (fields: Record<string, unknown>) => ({
  id: "signals",
  version: 1,
  title: "Signals",
  consent: "We record your messages.",
  task: "Ask.",
  conditions: [{ id: "a", llm: { provider: "scripted" } }],
  completion: { code: "DONE" },
  ...fields,
});

const problemsOf = (definition: unknown): string[] => {
  try {
    parseStudies([{ file: "studies/signals.json", definition }]);
    return [];
  } catch (error) {
    if (error instanceof StudyDefinitionError) return error.problems;
    throw error;
  }
};

describe("botSignals and the consent text", () => {
  it("is off by default, and then the consent need not mention it", () => {
    const [parsed] = parseStudies([{ file: "studies/signals.json", definition: study({}) }]);
    expect(parsed?.botSignals).toBe(false);
  });

  it("refuses a study with botSignals on whose consent does not name pasting and typing", () => {
    const [problem, ...rest] = problemsOf(study({ botSignals: true }));
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^studies\/signals\.json: consent: botSignals is on/);
    expect(problem).toContain('pasting ("paste", "pasted" or "pasting")');
    expect(problem).toContain("typing");
    expect(problem).toContain(SIGNALS_CONSENT_EXAMPLE);
  });

  it("names only what is missing", () => {
    const [problem] = problemsOf(study({ botSignals: true, consent: "We count your keystrokes." }));
    expect(problem).toContain("pasting");
    expect(problem).not.toContain('typing ("typing"');
  });

  it("takes any inflection as a whole word, in any case", () => {
    expect(missingConsentMentions("We note what you Pasted and how long you spent Typing.")).toEqual([]);
    expect(missingConsentMentions("Pasting is counted; so are KEYSTROKES.")).toEqual([]);
    expect(missingConsentMentions("We record what you typed and pastes.")).toEqual([]);
    // Not the words themselves: "past", "toothpaste", "type", "prototype".
    expect(missingConsentMentions("In the past we used toothpaste of a prototype type.")).toHaveLength(2);
    expect(problemsOf(study({ botSignals: true, consent: SIGNALS_CONSENT_EXAMPLE }))).toEqual([]);
  });

  it("refuses a botSignals that is not a boolean", () => {
    expect(problemsOf(study({ botSignals: "yes" }))).toEqual([
      "studies/signals.json: botSignals: must be true or false",
    ]);
  });
});
