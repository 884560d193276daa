import OpenAI from "openai";
import type { ChatTurn, Llm, LlmAnswer } from "./llm";
import { LlmUnavailableError } from "./llm";
import { sourcesFromCompletion } from "./sources";

export type OpenAiOptions = {
  apiKey: string;
  baseUrl: string | undefined;
  model: string;
  systemPrompt: string | undefined;
  temperature: number | undefined;
  timeoutMs: number;
  maxRetries: number;
};

/** Why a call failed, in words a researcher can act on (never the key, even if the provider echoes it). */
function describe(error: unknown, apiKey: string): string {
  const text = explain(error);
  return apiKey ? text.replaceAll(apiKey, "[redacted]") : text;
}

function explain(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return "the provider did not answer in time";
  if (error instanceof OpenAI.APIConnectionError) return "the provider could not be reached";
  if (error instanceof OpenAI.APIError) {
    const status = error.status ? `HTTP ${error.status}` : "an error";
    // The SDK's message starts with the status ("500 The server had an error..."): say it once.
    const prefix = `${error.status} `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return `the provider answered with ${status}${message ? `: ${message}` : ""}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Any OpenAI-compatible chat completions API: OpenAI, OpenRouter, Perplexity, Ollama, vLLM, LiteLLM. */
export function createOpenAiLlm(options: OpenAiOptions): Llm {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  const where = options.baseUrl ? new URL(options.baseUrl).host : "api.openai.com";

  return {
    name: "openai",
    model: options.model,
    async answer({ history, message }): Promise<LlmAnswer> {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
      if (options.systemPrompt) messages.push({ role: "system", content: options.systemPrompt });
      for (const turn of history)
        messages.push({ role: turn.role, content: turn.content } satisfies ChatTurn);
      messages.push({ role: "user", content: message });
      let completion: OpenAI.Chat.ChatCompletion;
      try {
        completion = await client.chat.completions.create({
          model: options.model,
          messages,
          ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
        });
      } catch (error) {
        throw new LlmUnavailableError(describe(error, options.apiKey), { cause: error });
      }
      const choice = completion.choices?.[0];
      const text = choice?.message?.content;
      if (typeof text !== "string" || text.trim() === "") {
        throw new LlmUnavailableError("the provider returned no answer text");
      }
      return {
        text,
        sources: sourcesFromCompletion(completion, choice?.message),
        model: completion.model || options.model,
      };
    },
    async health() {
      // Configuration only: calling the provider on every status check would
      // cost money and rate limit; the first query reports real failures.
      return { ok: true, latencyMs: null, detail: `model ${options.model} at ${where}` };
    },
  };
}
