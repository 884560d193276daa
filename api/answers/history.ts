import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { type Caller, checkStudyScope, readerOf } from "../participants/guard";
import type { ConversationSummary, QueryRecord } from "../store/store";

/**
 * A participant's conversations, rebuilt from the store, so a reload or
 * another tab shows the same history: only their own (a researcher may read
 * anyone's by id).
 */
export function conversationOf(
  deps: Pick<Deps, "store">,
  caller: Caller,
  conversationId: string,
  userId: string | null,
): Promise<QueryRecord[]> {
  const reader = readerOf(caller, userId);
  return deps.store.conversationTurns(conversationId, reader.userId);
}

export function conversationsOf(
  deps: Pick<Deps, "store" | "config">,
  caller: Caller,
  userId: string | null,
  studyId: string | null,
): Promise<ConversationSummary[]> {
  const reader = readerOf(caller, userId);
  if (reader.participant) checkStudyScope(reader.participant, studyId);
  if (studyId === null && !deps.config.openChat && reader.participant) {
    throw new DomainError(ErrorCode.NOT_FOUND, "The open chat is switched off on this deployment.");
  }
  return deps.store.conversations(reader.userId, studyId);
}
