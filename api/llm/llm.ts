import type { ComponentHealth, LlmProvenance, Source } from "../domain/records";

/** One earlier message of the conversation, as sent to the model. */
export type ChatTurn = { role: "user" | "assistant"; content: string };

export type LlmAnswer = { text: string; sources: Source[]; model: string };

/**
 * What a streamed answer yields: text deltas as the provider sends them, then
 * one `done` with the sources and model (the text is the deltas joined). A
 * provider failure, before or during the stream, is thrown as
 * LlmUnavailableError after whatever deltas arrived; aborting the signal ends
 * the stream early: the iterator returns without `done` and throws nothing
 * (so a stream that ends without `done` was stopped by its caller's signal).
 */
export type LlmStreamPart =
  | { type: "delta"; text: string }
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

/** The provider failed or timed out: an expected error, shown to callers as LLM_UNAVAILABLE. */
export class LlmUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LlmUnavailableError";
  }
}
