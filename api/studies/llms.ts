import type { Config } from "../config";
import { defaultScript } from "../llm/default-script";
import { type Llm, LlmUnavailableError } from "../llm/llm";
import { createOpenAiLlm } from "../llm/openai";
import { createScriptedLlm } from "../llm/scripted";
import type { Condition, Study } from "./definition";
import type { StudyProblem } from "./problems";

/** A condition's LLM; with a problem, one that cannot answer, and the problem that makes its study unavailable. */
export type ConditionLlm = { llm: Llm; problem: StudyProblem | null };

/**
 * A condition's LLM: its own script; or the scripted provider; or the
 * deployment's OpenAI-compatible provider (key and base URL from the
 * environment, never from a study file) with the condition's model, system
 * prompt and temperature over the deployment's defaults. A condition that
 * needs the OpenAI-compatible provider (`openai`, or `default` on a
 * deployment without OPENAI_API_KEY) where none is configured gets a problem,
 * never the deployment's scripted demo text: its study takes no new
 * participants, and the others run (docs/decisions/013-study-definitions.md).
 */
export function conditionLlm(
  config: Config,
  study: Study,
  condition: Condition,
  index: number,
): ConditionLlm {
  if (condition.script) return { llm: createScriptedLlm(condition.script), problem: null };
  if (condition.llm.provider === "scripted") return { llm: createScriptedLlm(defaultScript), problem: null };
  if (config.llm.provider !== "openai")
    return unconfigured(notConfigured(study, condition, index), condition.llm.model ?? "none");
  const llm = createOpenAiLlm({
    ...config.llm,
    model: condition.llm.model ?? config.llm.model,
    systemPrompt: condition.llm.systemPrompt ?? config.llm.systemPrompt,
    temperature: condition.llm.temperature ?? config.llm.temperature,
  });
  return { llm, problem: null };
}

function notConfigured(study: Study, condition: Condition, index: number): StudyProblem {
  const provider =
    condition.llm.provider === "default"
      ? `"default" (the deployment's model)`
      : `"openai" (an OpenAI-compatible model)`;
  return {
    code: "LLM_NOT_CONFIGURED",
    condition: condition.id,
    message: `study "${study.id}", condition "${condition.id}" (conditions[${index}]): llm.provider is ${provider}, and this deployment has no OPENAI_API_KEY. Set OPENAI_API_KEY (and OPENAI_BASE_URL for a provider other than OpenAI), or give the condition scripted answers: a "script", or "llm": { "provider": "scripted" }.`,
  };
}

/** An LLM that never answers: a participant already in the condition sees that the assistant could not answer. */
function unconfigured(problem: StudyProblem, requestedModel: string): ConditionLlm {
  const fail = () => new LlmUnavailableError(problem.message);
  return {
    problem,
    llm: {
      name: "unconfigured",
      model: "none",
      // What a failed record of it carries: no provider was asked, nothing was sent.
      provenance: {
        provider: "unconfigured",
        endpoint: null,
        requestedModel,
        systemPromptHash: null,
        parameters: {},
      },
      answer: () => Promise.reject(fail()),
      // biome-ignore lint/correctness/useYield: it fails before its first part, as a provider that is down does
      stream: async function* () {
        throw fail();
      },
      health: async () => ({ ok: false, latencyMs: null, detail: problem.message }),
    },
  };
}
