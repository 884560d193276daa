import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { parseStudies } from "./definition";
import { conditionLlm } from "./llms";

/** Which LLM a condition gets, and when it gets none but a problem (never the deployment's demo text). */

const study = (conditions: unknown[]) => {
  const [parsed] = parseStudies([
    {
      file: "studies/s.json",
      definition: {
        id: "s",
        version: 1,
        title: "T",
        consent: "C",
        task: "T",
        conditions,
        completion: { code: "X" },
      },
    },
  ]);
  if (!parsed) throw new Error("no study");
  return parsed;
};

const noKey = parseConfig({ SESSION_SECRETS: "s".repeat(40) });
const withKey = parseConfig({ SESSION_SECRETS: "s".repeat(40), OPENAI_API_KEY: "sk-test", LLM_MODEL: "m-1" });

describe("conditionLlm", () => {
  it.each(["default", "openai"])(
    "provider %s without a key: a problem naming study and condition, an LLM that cannot answer",
    async (provider) => {
      const s = study([
        { id: "a", llm: { provider: "scripted" } },
        { id: "b", llm: { provider } },
      ]);
      const { llm, problem } = conditionLlm(noKey, s, s.conditions[1] as never, 1);
      expect(problem).toMatchObject({ code: "LLM_NOT_CONFIGURED", condition: "b" });
      expect(problem?.message).toContain(
        `study "s", condition "b" (conditions[1]): llm.provider is "${provider}"`,
      );
      expect(problem?.message).toContain("Set OPENAI_API_KEY");
      await expect(llm.answer({ history: [], message: "hi" })).rejects.toMatchObject({
        name: "LlmUnavailableError",
      });
      const parts = async () => {
        for await (const _ of llm.stream({ history: [], message: "hi" })) return "a part";
      };
      await expect(parts()).rejects.toMatchObject({ name: "LlmUnavailableError" });
      expect(await llm.health()).toMatchObject({ ok: false, detail: problem?.message });
    },
  );

  it("a script or the scripted provider needs no key; with a key a default condition gets the model", () => {
    const s = study([
      { id: "a", llm: { provider: "scripted" } },
      { id: "b", script: { fallback: { answer: "Fixed." } } },
      { id: "c", llm: { provider: "default", model: "m-2" } },
    ]);
    const [a, b, c] = s.conditions.map((condition, i) => conditionLlm(noKey, s, condition, i));
    expect([a?.problem, b?.problem]).toEqual([null, null]);
    expect(a?.llm.name).toBe("scripted");
    expect(c?.problem?.code).toBe("LLM_NOT_CONFIGURED");
    const keyed = conditionLlm(withKey, s, s.conditions[2] as never, 2);
    expect(keyed.problem).toBeNull();
    expect([keyed.llm.name, keyed.llm.model]).toEqual(["openai", "m-2"]);
  });
});
