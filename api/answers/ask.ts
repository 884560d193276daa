import type { Context } from "../context";
import { apiError, ErrorCode } from "../errors";
import type { ChatTurn, LlmAnswer } from "../llm/llm";
import { LlmUnavailableError } from "../llm/llm";
import type { QueryRecord } from "../store/store";

export type AskInput = {
  userId: string;
  sessionId: string;
  prolificStudyId: string | null;
  query: string;
  conversationId: string | null;
  clientTime: string | null;
};

/** Earlier turns sent to the model: enough for context, bounded in size. */
const MAX_HISTORY_TURNS = 20;

function historyOf(turns: QueryRecord[]): ChatTurn[] {
  const history: ChatTurn[] = [];
  for (const turn of turns.slice(-MAX_HISTORY_TURNS)) {
    if (turn.response === null) continue; // a failed turn has no answer to show the model
    history.push({ role: "user", content: turn.query }, { role: "assistant", content: turn.response });
  }
  return history;
}

/**
 * Runs one participant message through the LLM and stores it with its
 * answer. A provider failure is stored too, with its error, before the
 * caller hears LLM_UNAVAILABLE: nothing the participant did is lost.
 */
export async function ask(ctx: Context, input: AskInput): Promise<QueryRecord> {
  const conversationId = input.conversationId ?? crypto.randomUUID();
  const earlier = input.conversationId ? await ctx.store.conversationTurns(conversationId, input.userId) : [];
  const base = {
    id: crypto.randomUUID(),
    conversationId,
    userId: input.userId,
    sessionId: input.sessionId,
    prolificStudyId: input.prolificStudyId,
    query: input.query,
    clientTime: input.clientTime,
  };
  const started = performance.now();
  let answer: LlmAnswer;
  try {
    answer = await ctx.llm.answer({ history: historyOf(earlier), message: input.query });
  } catch (error) {
    const reason = error instanceof LlmUnavailableError ? error.message : "the provider failed unexpectedly";
    if (!(error instanceof LlmUnavailableError)) console.error("LLM failed unexpectedly", error);
    const failed = await ctx.store.recordQuery({
      ...base,
      response: null,
      sources: [],
      model: ctx.llm.model,
      latencyMs: Math.round(performance.now() - started),
      error: reason,
    });
    throw apiError(
      ErrorCode.LLM_UNAVAILABLE,
      `The language model is unavailable (${reason}). The message was saved; please try again.`,
      {
        queryId: failed.id,
        conversationId,
      },
    );
  }
  return await ctx.store.recordQuery({
    ...base,
    response: answer.text,
    sources: answer.sources,
    model: answer.model,
    latencyMs: Math.round(performance.now() - started),
    error: null,
  });
}
