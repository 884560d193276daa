import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import type { SignalSummary } from "../signals/flags";
import { withSignals } from "../signals/with-signals";
import { InvalidCursorError, type ParticipantActivity } from "../store/store";
import { studyOrError } from "./participants";

/** The most participants one page of a study's list holds. */
export const MAX_PARTICIPANTS_PAGE = 500;

/**
 * A study's participants for its monitor: their assignments, the latest
 * consent first, with their answers and source clicks (the store's
 * exportParticipants, the `participants` download's rows, walked newest
 * first), `first` at a time after the cursor of an earlier page, each
 * with their input signals summary (null: none recorded).
 */
export type ListedParticipant = ParticipantActivity & { inputSignals: SignalSummary | null };
export type ListedParticipantPage = { rows: ListedParticipant[]; hasNextPage: boolean };

export async function studyParticipants(
  deps: Pick<Deps, "studies" | "store">,
  studyId: string,
  first: number,
  after: string | null,
): Promise<ListedParticipantPage> {
  const study = studyOrError(deps, studyId);
  try {
    const page = await deps.store.exportParticipants({ studyIds: [study.id] }, first, after, "newest");
    return { rows: await withSignals(deps.store, page.rows, null), hasNextPage: page.hasNextPage };
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `after: ${error.message}.`);
    throw error;
  }
}
