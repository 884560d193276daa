import type { Context } from "../context";
import { apiError, ErrorCode } from "../errors";
import type { ChatTurn, Llm, LlmRequest } from "../llm/llm";
import { LlmUnavailableError } from "../llm/llm";
import { type NewQuery, NO_STUDY, type QueryRecord, type StudyTag } from "../store/store";
import { assignmentOf, studyOrError } from "../studies/participants";

/**
 * One participant message on its way to the model, whether the answer is
 * returned whole (ask.ts) or streamed (stream.ts): who asked, in which study
 * and condition, which LLM answers, and the conversation so far.
 */
export type AskInput = {
  userId: string;
  sessionId: string;
  prolificStudyId: string | null;
  /** The study the participant is in (they must have consented); null outside a study. */
  studyId: string | null;
  query: string;
  conversationId: string | null;
  clientTime: string | null;
};

type Outcome = Pick<NewQuery, "response" | "sources" | "model" | "ttftMs" | "stopped" | "error">;

export type PreparedTurn = {
  llm: Llm;
  request: LlmRequest;
  /** The id the stored query record will have. */
  id: string;
  conversationId: string;
  /** Stores the turn with its outcome, timed from when it was prepared. */
  save(outcome: Outcome): Promise<QueryRecord>;
  /** Milliseconds since the turn was prepared. */
  elapsed(): number;
};

/** Earlier turns sent to the model: enough for context, bounded in size. */
const MAX_HISTORY_TURNS = 20;

function historyOf(turns: QueryRecord[]): ChatTurn[] {
  const history: ChatTurn[] = [];
  for (const turn of turns.slice(-MAX_HISTORY_TURNS)) {
    if (!turn.response) continue; // a failed turn has no answer to show the model
    history.push({ role: "user", content: turn.query }, { role: "assistant", content: turn.response });
  }
  return history;
}

/** The participant's condition and its LLM; refuses when they have not consented or used up their turns. */
async function conditionOf(
  ctx: Context,
  studyId: string,
  userId: string,
): Promise<{ tag: StudyTag; llm: Llm }> {
  const study = studyOrError(ctx, studyId);
  const assignment = await assignmentOf(ctx, study.id, userId);
  if (!assignment) {
    throw apiError(
      ErrorCode.NOT_ENROLLED,
      `This participant has not consented to the study "${study.id}": open the study's link and give consent first.`,
    );
  }
  const condition = ctx.studies.condition(study, assignment.condition);
  const llm = condition && ctx.studies.llmFor(study, condition.id);
  if (!condition || !llm) {
    throw apiError(
      ErrorCode.NOT_FOUND,
      `The participant's condition "${assignment.condition}" is no longer in study "${study.id}" (version ${study.version}).`,
    );
  }
  // Taken before the model is asked, atomically: messages sent at once cannot pass the limit together.
  if (!(await ctx.store.takeTurn(study.id, userId, condition.maxTurns ?? null))) {
    throw apiError(
      ErrorCode.TURN_LIMIT_REACHED,
      `You have sent all ${condition.maxTurns} messages this study allows. Please continue to the end of the study.`,
      { maxTurns: condition.maxTurns },
    );
  }
  return { tag: { studyId: study.id, condition: condition.id, studyVersion: study.version }, llm };
}

export async function prepareTurn(ctx: Context, input: AskInput): Promise<PreparedTurn> {
  const conversationId = input.conversationId ?? crypto.randomUUID();
  const [{ tag, llm }, earlier] = await Promise.all([
    input.studyId ? conditionOf(ctx, input.studyId, input.userId) : { tag: NO_STUDY, llm: ctx.llm },
    input.conversationId ? ctx.store.conversationTurns(conversationId, input.userId) : [],
  ]);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const id = crypto.randomUUID();
  return {
    llm,
    id,
    conversationId,
    request: { history: historyOf(earlier), message: input.query },
    elapsed,
    save: (outcome) =>
      ctx.store.recordQuery({
        id,
        conversationId,
        userId: input.userId,
        sessionId: input.sessionId,
        prolificStudyId: input.prolificStudyId,
        ...tag,
        query: input.query,
        clientTime: input.clientTime,
        latencyMs: elapsed(),
        ...outcome,
      }),
  };
}

/** Why the provider failed, for the record and the participant (an unexpected error is logged, not shown). */
export function failureReason(error: unknown): string {
  if (error instanceof LlmUnavailableError) return error.message;
  console.error("LLM failed unexpectedly", error);
  return "the provider failed unexpectedly";
}

/** The LLM_UNAVAILABLE error for a failed turn that was stored. */
export function llmUnavailable(reason: string, record: QueryRecord) {
  return apiError(
    ErrorCode.LLM_UNAVAILABLE,
    `The language model is unavailable (${reason}). The message was saved; please try again.`,
    { queryId: record.id, conversationId: record.conversationId },
  );
}
