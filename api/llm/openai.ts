import { createHash } from "node:crypto";
import OpenAI from "openai";
import { usageOf } from "../domain/usage";
import type { ChatTurn, Llm, LlmAnswer, LlmRequest, LlmStreamPart } from "./llm";
import { LlmUnavailableError } from "./llm";
import { sourcesFromCompletion, streamedSources } from "./sources";

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
  return redact(explain(error), apiKey);
}

/** Why a streamed answer broke off after the provider had begun to send it (its headers, maybe some chunks). */
function describeBreak(error: unknown, apiKey: string): string {
  return redact(`the provider's answer broke off: ${explainBreak(error)}`, apiKey);
}

function redact(text: string, apiKey: string): string {
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

function explainBreak(error: unknown): string {
  // An `error` object in the event stream (OpenAI, OpenRouter): the SDK throws it as an APIError without status.
  if (error instanceof OpenAI.APIError && error.status === undefined)
    return `it sent an error: ${error.message}`;
  if (error instanceof SyntaxError) return "it sent a chunk that is not valid JSON";
  // undici: TypeError("terminated"), caused by "other side closed" or a reset.
  return "the connection closed before the end";
}

function messagesOf(
  systemPrompt: string | undefined,
  { history, message }: LlmRequest,
): OpenAI.Chat.ChatCompletionMessageParam[] {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (systemPrompt) messages.push({ role: "system", content: systemPrompt });
  for (const turn of history) messages.push({ role: turn.role, content: turn.content } satisfies ChatTurn);
  messages.push({ role: "user", content: message });
  return messages;
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
    provenance: {
      provider: "openai",
      endpoint: where,
      requestedModel: options.model,
      systemPromptHash: options.systemPrompt
        ? createHash("sha256").update(options.systemPrompt).digest("hex")
        : null,
      parameters: { temperature: options.temperature ?? null },
    },
    async answer(input): Promise<LlmAnswer> {
      let completion: OpenAI.Chat.ChatCompletion;
      try {
        completion = await client.chat.completions.create({
          model: options.model,
          messages: messagesOf(options.systemPrompt, input),
          ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
        });
      } catch (error) {
        throw new LlmUnavailableError(describe(error, options.apiKey), { cause: error });
      }
      const choice = completion.choices?.[0];
      const text = choice?.message?.content;
      const usage = usageOf(completion.usage);
      if (typeof text !== "string" || text.trim() === "") {
        throw new LlmUnavailableError("the provider returned no answer text", { usage });
      }
      return {
        text,
        sources: sourcesFromCompletion(completion, choice?.message),
        model: completion.model || options.model,
        usage,
      };
    },
    /**
     * Streams the completion. Before the provider answers, the SDK's timeout
     * and retries apply as in `answer`; once it streams, a gap of more than
     * timeoutMs between two chunks ends the answer as stalled. An aborted
     * signal stops reading (the request is aborted, so the connection
     * closes) and the iterator returns without `done`, throwing nothing.
     * The request asks for usage (stream_options.include_usage): OpenAI
     * then sends it in a last chunk without choices, yielded as `usage`;
     * servers that ignore the option send none, and none is yielded.
     */
    async *stream({ signal, ...input }): AsyncGenerator<LlmStreamPart> {
      if (signal?.aborted) return;
      // What the SDK listens to: the caller's signal, or the stall timer.
      const stop = new AbortController();
      const onAbort = () => stop.abort(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stalled = false;
      try {
        let chunks: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>;
        try {
          chunks = await client.chat.completions.create(
            {
              model: options.model,
              messages: messagesOf(options.systemPrompt, input),
              ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
              stream: true,
              stream_options: { include_usage: true },
            },
            { signal: stop.signal },
          );
        } catch (error) {
          if (signal?.aborted) return;
          throw new LlmUnavailableError(describe(error, options.apiKey), { cause: error });
        }
        const iterator = chunks[Symbol.asyncIterator]();
        const sources = streamedSources();
        let model = "";
        let answered = false;
        try {
          while (true) {
            timer = setTimeout(() => {
              stalled = true;
              stop.abort();
            }, options.timeoutMs);
            let next: IteratorResult<OpenAI.Chat.ChatCompletionChunk>;
            try {
              next = await iterator.next();
            } catch (error) {
              if (signal?.aborted) return;
              throw new LlmUnavailableError(describeBreak(error, options.apiKey), { cause: error });
            } finally {
              clearTimeout(timer);
            }
            if (signal?.aborted) return;
            // The SDK ends an aborted stream quietly: the stall timer's abort looks like the end.
            if (stalled) {
              throw new LlmUnavailableError(
                `the provider's answer stalled: nothing arrived for ${options.timeoutMs} ms`,
              );
            }
            if (next.done) break;
            const chunk = next.value;
            model ||= chunk.model ?? "";
            sources.add(chunk);
            const usage = usageOf(chunk.usage);
            if (usage) {
              yield { type: "usage", usage };
              if (signal?.aborted) return;
            }
            const piece = chunk.choices?.[0]?.delta?.content;
            if (typeof piece === "string" && piece !== "") {
              if (piece.trim() !== "") answered = true;
              yield { type: "delta", text: piece };
              if (signal?.aborted) return;
            }
          }
        } finally {
          // When the loop ended early (abort, stall, the caller stopped iterating): the SDK aborts the request.
          await iterator.return?.();
        }
        if (!answered) throw new LlmUnavailableError("the provider returned no answer text");
        yield { type: "done", sources: sources.sources(), model: model || options.model };
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
    },
    async health() {
      // Configuration only: calling the provider on every status check would
      // cost money and rate limit; the first query reports real failures.
      return { ok: true, latencyMs: null, detail: `model ${options.model} at ${where}` };
    },
  };
}
