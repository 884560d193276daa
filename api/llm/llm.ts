import type { ComponentHealth, LlmProvenance, Source, TokenUsage } from "../domain/records";

/** One earlier message of the conversation, as sent to the model. */
export type ChatTurn = { role: "user" | "assistant"; content: string };

/** A whole answer; `usage` is what the provider reported for it, null when it reported none. */
export type LlmAnswer = { text: string; sources: Source[]; model: string; usage: TokenUsage | null };

/**
 * What a streamed answer yields: text deltas as the provider sends them, then
 * one `done` with the sources and model (the text is the deltas joined).
 * `usage` comes when the provider reports the tokens it counted (OpenAI: in
 * the last chunk, before the end), so a stream that then fails still has
 * it; a provider that reports none never yields it. A
 * provider failure, before or during the stream, is thrown as
 * LlmUnavailableError after whatever deltas arrived; aborting the signal ends
 * the stream early: the iterator returns without `done` and throws nothing
 * (so a stream that ends without `done` was stopped by its caller's signal).
 */
export type LlmStreamPart =
  | { type: "delta"; text: string }
  | { type: "usage"; usage: TokenUsage }
  | { type: "done"; sources: Source[]; model: string };

export type LlmRequest = { history: ChatTurn[]; message: string };

/**
 * The LLM port. Providers: `openai` (any OpenAI-compatible API through the
 * openai SDK) and `scripted` (the researcher's own answers, no network).
 */
export interface Llm {
  /** Provider name shown in `status`: openai, scripted. */
  readonly name: string;
  /** The model that answers by default (shown in `status`, stored on each query). */
  readonly model: string;
  /** What every call sends (provider, model, prompt hash, parameters): stored on each answer. */
  readonly provenance: LlmProvenance;
  answer(input: LlmRequest): Promise<LlmAnswer>;
  stream(input: LlmRequest & { signal?: AbortSignal }): AsyncIterable<LlmStreamPart>;
  health(): Promise<ComponentHealth>;
}

/**
 * The provider failed or timed out: an expected error, shown to callers as
 * LLM_UNAVAILABLE. `usage` is what the provider reported before it failed
 * (a completion without text can still count tokens), else null.
 */
export class LlmUnavailableError extends Error {
  readonly usage: TokenUsage | null;
  constructor(message: string, options?: { cause?: unknown; usage?: TokenUsage | null }) {
    super(message, options);
    this.name = "LlmUnavailableError";
    this.usage = options?.usage ?? null;
  }
}
