import type { Deps } from "../deps";
import { type LlmAnswer, LlmUnavailableError } from "../llm/llm";
import type { Caller } from "../participants/guard";
import type { QueryRecord } from "../store/store";
import { type AskInput, failureReason, llmUnavailable, prepareTurn } from "./turn";

export type { AskInput } from "./turn";

/**
 * Runs one participant message through the LLM of their condition and
 * stores it with its whole answer. A provider failure is stored too, with
 * its error, before the caller hears LLM_UNAVAILABLE: nothing the
 * participant did is lost.
 */
export async function ask(deps: Deps, caller: Caller, input: AskInput): Promise<QueryRecord> {
  const turn = await prepareTurn(deps, caller, input);
  let answer: LlmAnswer;
  try {
    answer = await turn.llm.answer(turn.request);
  } catch (error) {
    const reason = failureReason(error);
    const failed = await turn.save({
      response: null,
      modelSources: [],
      model: turn.llm.model,
      ttftMs: null,
      stopped: false,
      error: reason,
      // What the provider reported before it failed (a completion without text), else null.
      usage: error instanceof LlmUnavailableError ? error.usage : null,
    });
    throw llmUnavailable(failed);
  }
  return await turn.save({
    response: answer.text,
    modelSources: answer.sources,
    model: answer.model,
    ttftMs: null,
    stopped: false,
    error: null,
    usage: answer.usage,
  });
}
