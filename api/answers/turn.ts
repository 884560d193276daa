import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { takeLlmCall } from "../limits/llm-budget";
import type { ChatTurn, Llm, LlmRequest } from "../llm/llm";
import { LlmUnavailableError } from "../llm/llm";
import { type Caller, checkStudyScope, requireParticipant } from "../participants/guard";
import type { Participant } from "../participants/participant";
import { type NewQuery, NO_STUDY, type QueryRecord, type StudyTag } from "../store/store";
import { assignmentOf, studyOrError, whoFields } from "../studies/participants";
import { applyTimeLimit } from "../studies/time-up";
import { OPEN_CHAT_PRESENTATION, type PresentationSettings, presentAnswer } from "./presentation";

/**
 * One participant message on its way to the model, whether the answer is
 * returned whole (ask.ts) or streamed (stream.ts): who asked (the caller's
 * own participant), in which study and condition, which LLM answers, and
 * the conversation so far.
 */
export type AskInput = {
  /** The study the participant is in (they must have consented); null outside a study. */
  studyId: string | null;
  query: string;
  conversationId: string | null;
  clientTime: string | null;
};

/** How a turn ended, as the model answered: its text and sources before the condition presents them. */
type Outcome = Pick<
  NewQuery,
  "response" | "modelSources" | "model" | "ttftMs" | "stopped" | "error" | "usage"
>;

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

/** Earlier turns sent to the model: the latest ones, at most this many characters of text in all. */
export const MAX_HISTORY_CHARS = 24_000;
const MAX_HISTORY_TURNS = 20;

/**
 * The earlier turns sent to the model: the latest answered ones that fit the
 * cap, oldest first, as user/assistant message pairs (a failed turn has no
 * answer to show the model). Its length / 2 is the query's historyTurns.
 */
export function historyOf(turns: QueryRecord[]): ChatTurn[] {
  const kept: ChatTurn[][] = [];
  let chars = 0;
  for (const turn of turns.slice(-MAX_HISTORY_TURNS).reverse()) {
    if (!turn.response) continue;
    chars += turn.query.length + turn.response.length;
    if (chars > MAX_HISTORY_CHARS) break;
    kept.unshift([
      { role: "user", content: turn.query },
      { role: "assistant", content: turn.response },
    ]);
  }
  return kept.flat();
}

type Assigned = {
  studyId: string;
  maxTurns: number | null;
  tag: StudyTag;
  llm: Llm;
  settings: PresentationSettings;
  /** The participant's arrival number (a linked participant: that of the one they are linked to). */
  arrival: number | null;
  studyHash: string | null;
};

const finishedError = () =>
  new DomainError(
    ErrorCode.STUDY_FINISHED,
    "You have finished this study, so the assistant answers no more messages. Thank you!",
  );

const timeUpError = () =>
  new DomainError(
    ErrorCode.TIME_UP,
    "The time for this study is up, so the assistant answers no more messages. Please continue to the end of the study.",
    { outcome: "timed-out" },
  );

/** The error for a participant whose part has ended: TIME_UP when it ended because their time was up. */
const endedError = (outcome: string | null) => (outcome === "timed-out" ? timeUpError() : finishedError());

/** The participant's condition and its LLM; refuses when they have not consented or have finished. */
async function assignedCondition(deps: Deps, participant: Participant, studyId: string): Promise<Assigned> {
  const study = studyOrError(deps, studyId);
  const known = await assignmentOf(deps, study.id, participant.userId);
  if (!known) {
    throw new DomainError(
      ErrorCode.NOT_ENROLLED,
      `You have not consented to the study "${study.id}": open the study's link and give consent first.`,
    );
  }
  const assignment = await applyTimeLimit(deps, participant, study, known, null);
  if (assignment.finishedAt) throw endedError(assignment.outcome);
  const condition = deps.studies.condition(study, assignment.condition);
  const llm = condition && deps.studies.llmFor(study, condition.id);
  if (!condition || !llm) {
    throw new DomainError(
      ErrorCode.NOT_FOUND,
      `Your condition "${assignment.condition}" is no longer in study "${study.id}" (version ${study.version}).`,
    );
  }
  const linked = assignment.seq === null && assignment.linkedTo;
  const arrival = linked ? ((await assignmentOf(deps, study.id, linked))?.seq ?? null) : assignment.seq;
  return {
    studyId: study.id,
    maxTurns: condition.maxTurns ?? null,
    tag: { studyId: study.id, condition: condition.id, studyVersion: study.version },
    llm,
    settings: condition,
    arrival,
    studyHash: deps.studies.deployed(study)?.hash ?? null,
  };
}

/** Takes one of the participant's turns, atomically: messages sent at once cannot pass the limit together. */
async function takeTurn(deps: Deps, participant: Participant, assigned: Assigned): Promise<void> {
  if (await deps.store.takeTurn(assigned.studyId, participant.userId, assigned.maxTurns)) return;
  if (assigned.maxTurns === null) {
    // Without a limit, only the end of the participant's part refuses a turn: it ended meanwhile.
    const now = await deps.store.getAssignment(assigned.studyId, participant.userId);
    throw endedError(now?.outcome ?? null);
  }
  throw new DomainError(
    ErrorCode.TURN_LIMIT_REACHED,
    `You have sent all ${assigned.maxTurns} messages this study allows. Please continue to the end of the study.`,
    { maxTurns: assigned.maxTurns },
  );
}

export async function prepareTurn(deps: Deps, caller: Caller, input: AskInput): Promise<PreparedTurn> {
  const participant = requireParticipant(caller);
  checkStudyScope(participant, input.studyId);
  if (input.studyId === null && !deps.config.openChat) {
    throw new DomainError(ErrorCode.NOT_FOUND, "The open chat is switched off on this deployment.");
  }
  await deps.limits.take("answer", { sessionId: participant.sessionId, ip: caller.ip });
  const conversationId = input.conversationId ?? crypto.randomUUID();
  const [earlier, assigned] = await Promise.all([
    input.conversationId ? deps.store.conversationTurns(conversationId, participant.userId) : [],
    input.studyId ? assignedCondition(deps, participant, input.studyId) : null,
  ]);
  // The deployment-wide cap once the participant may ask, before a turn is
  // taken: a caller who may not ask spends none of it, and a refused call
  // costs the participant no turn.
  await takeLlmCall(deps.store, deps.config.llmCallsPerHour);
  if (assigned) await takeTurn(deps, participant, assigned);
  const { tag, llm, settings, arrival, studyHash } = assigned ?? {
    tag: NO_STUDY,
    llm: deps.llm,
    settings: OPEN_CHAT_PRESENTATION,
    arrival: null,
    studyHash: null,
  };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const id = crypto.randomUUID();
  const history = historyOf(earlier);
  return {
    llm,
    id,
    conversationId,
    request: { history, message: input.query },
    elapsed,
    save: (outcome) => {
      const shown = presentAnswer(outcome.response, outcome.modelSources, settings, {
        arrival,
        random: randomFraction,
      });
      return deps.store.recordQuery({
        id,
        conversationId,
        ...whoFields(participant),
        ...tag,
        query: input.query,
        clientTime: input.clientTime,
        latencyMs: elapsed(),
        // What the model saw: the pairs of the capped history, not the conversation's length.
        historyTurns: history.length / 2,
        ...outcome,
        displayedResponse: shown.text,
        sources: shown.sources,
        provenance: { ...llm.provenance, ...shown.presentation, studyHash },
      });
    },
  };
}

/** A uniform number in [0, 1) from the platform's CSPRNG (a fresh source order per answer). */
function randomFraction(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] as number) / 2 ** 32;
}

/** Why the provider failed, for the record (never shown to the participant; an unexpected error is logged). */
export function failureReason(error: unknown): string {
  if (error instanceof LlmUnavailableError) return error.message;
  console.error(`LLM failed unexpectedly: ${error instanceof Error ? error.name : typeof error}`);
  return "the provider failed unexpectedly";
}

/** The LLM_UNAVAILABLE error for a failed turn that was stored: a plain message, never the provider's text. */
export function llmUnavailable(record: QueryRecord) {
  return new DomainError(
    ErrorCode.LLM_UNAVAILABLE,
    "The assistant could not answer just now. Your message was saved; please try again.",
    { queryId: record.id, conversationId: record.conversationId },
  );
}
