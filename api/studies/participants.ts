import type { Context } from "../context";
import { apiError, ErrorCode } from "../errors";
import { type Assignment, NO_STUDY, type StudyTag } from "../store/store";
import { chooseCondition } from "./assignment";
import type { Study } from "./definition";

/**
 * A participant's place in a study: their assignment (made once, when they
 * consent) and the study fields that every record of theirs carries.
 */

/** The study with this id, or a NOT_FOUND error naming it. */
export function studyOrError(ctx: Context, studyId: string): Study {
  const study = ctx.studies.get(studyId);
  if (!study) throw apiError(ErrorCode.NOT_FOUND, `There is no study with id "${studyId}".`);
  return study;
}

/**
 * Read from the store every time, never cached: a withdrawal in another
 * isolate must end the participation everywhere at once.
 */
export function assignmentOf(ctx: Context, studyId: string, userId: string): Promise<Assignment | null> {
  return ctx.store.getAssignment(studyId, userId);
}

/** Assigns the participant (once; later calls return the same assignment). Only active studies enrol. */
export async function enroll(
  ctx: Context,
  study: Study,
  userId: string,
): Promise<{ assignment: Assignment; created: boolean }> {
  const known = await assignmentOf(ctx, study.id, userId);
  if (known) return { assignment: known, created: false };
  if (!study.active) {
    throw apiError(
      ErrorCode.STUDY_CLOSED,
      `The study "${study.id}" is closed: it takes no new participants.`,
    );
  }
  return ctx.store.assign({
    studyId: study.id,
    userId,
    studyVersion: study.version,
    choose: (seq) => chooseCondition(study, seq),
  });
}

/**
 * The study fields of a participant's record: the study's current version
 * and their condition (null before they consent, e.g. on the consent page).
 */
export async function studyTag(ctx: Context, studyId: string | null, userId: string): Promise<StudyTag> {
  if (studyId === null) return NO_STUDY;
  const study = studyOrError(ctx, studyId);
  const assignment = await assignmentOf(ctx, studyId, userId);
  return { studyId, condition: assignment?.condition ?? null, studyVersion: study.version };
}
