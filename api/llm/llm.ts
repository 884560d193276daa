import type { ComponentHealth, Source } from "../store/store";

/** One earlier message of the conversation, as sent to the model. */
export type ChatTurn = { role: "user" | "assistant"; content: string };

export type LlmAnswer = { text: string; sources: Source[]; model: string };

/**
 * The LLM port. Providers: `openai` (any OpenAI-compatible API through the
 * openai SDK) and `scripted` (the researcher's own answers, no network).
 */
export interface Llm {
  /** Provider name shown in `status`: openai, scripted. */
  readonly name: string;
  /** The model that answers by default (shown in `status`, stored on each query). */
  readonly model: string;
  answer(input: { history: ChatTurn[]; message: string }): Promise<LlmAnswer>;
  health(): Promise<ComponentHealth>;
}

/** The provider failed or timed out: an expected error, shown to callers as LLM_UNAVAILABLE. */
export class LlmUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LlmUnavailableError";
  }
}
