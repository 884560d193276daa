import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { InvalidCursorError, type ParticipantPage } from "../store/store";
import { studyOrError } from "./participants";

/** The most participants one page of a study's list holds. */
export const MAX_PARTICIPANTS_PAGE = 500;

/**
 * A study's participants for its monitor: their assignments, the latest
 * consent first, with their answers and source clicks (the store's
 * exportParticipants, the `participants` download's rows, walked newest
 * first), `first` at a time after the cursor of an earlier page.
 */
export async function studyParticipants(
  deps: Pick<Deps, "studies" | "store">,
  studyId: string,
  first: number,
  after: string | null,
): Promise<ParticipantPage> {
  const study = studyOrError(deps, studyId);
  try {
    return await deps.store.exportParticipants({ studyIds: [study.id] }, first, after, "newest");
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `after: ${error.message}.`);
    throw error;
  }
}
