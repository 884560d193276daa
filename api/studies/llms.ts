import { type Config, ConfigError } from "../config";
import { defaultScript } from "../llm/default-script";
import type { Llm } from "../llm/llm";
import { createOpenAiLlm } from "../llm/openai";
import { createScriptedLlm } from "../llm/scripted";
import type { Condition, Study } from "./definition";

/**
 * A condition's LLM: its own script; or the scripted provider; or the
 * deployment's OpenAI-compatible provider (key and base URL from the
 * environment, never from a study file) with the condition's model, system
 * prompt and temperature over the deployment's defaults.
 */
export function conditionLlm(config: Config, study: Study, condition: Condition, index: number): Llm {
  const provider = condition.llm.provider === "default" ? config.llm.provider : condition.llm.provider;
  if (condition.script) return createScriptedLlm(condition.script);
  if (provider === "scripted") return createScriptedLlm(defaultScript);
  if (config.llm.provider !== "openai") {
    throw new ConfigError([
      `study "${study.id}": conditions[${index}].llm.provider is "openai", which needs OPENAI_API_KEY (and OPENAI_BASE_URL for a provider other than OpenAI)`,
    ]);
  }
  return createOpenAiLlm({
    ...config.llm,
    model: condition.llm.model ?? config.llm.model,
    systemPrompt: condition.llm.systemPrompt ?? config.llm.systemPrompt,
    temperature: condition.llm.temperature ?? config.llm.temperature,
  });
}
