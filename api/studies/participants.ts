import type { Context } from "../context";
import { apiError, ErrorCode } from "../errors";
import { type Assignment, NO_STUDY, type Store, type StudyTag } from "../store/store";
import { chooseCondition } from "./assignment";
import type { Study } from "./definition";

/**
 * A participant's place in a study: their assignment (made once, when they
 * consent) and the study fields that every record of theirs carries.
 */

/** Assignments never change once made (withdrawal deletes them), so each isolate keeps the ones it has seen. */
const CACHE_LIMIT = 10_000;
const caches = new WeakMap<Store, Map<string, Assignment>>();

function cacheOf(store: Store): Map<string, Assignment> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  return cache;
}

const cacheKey = (studyId: string, userId: string) => `${studyId}\u0000${userId}`;

function remember(store: Store, assignment: Assignment): void {
  const cache = cacheOf(store);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(cacheKey(assignment.studyId, assignment.userId), assignment);
}

/** The study with this id, or a NOT_FOUND error naming it. */
export function studyOrError(ctx: Context, studyId: string): Study {
  const study = ctx.studies.get(studyId);
  if (!study) throw apiError(ErrorCode.NOT_FOUND, `There is no study with id "${studyId}".`);
  return study;
}

export async function assignmentOf(
  ctx: Context,
  studyId: string,
  userId: string,
): Promise<Assignment | null> {
  const cached = cacheOf(ctx.store).get(cacheKey(studyId, userId));
  if (cached) return cached;
  const stored = await ctx.store.getAssignment(studyId, userId);
  if (stored) remember(ctx.store, stored);
  return stored;
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
  const result = await ctx.store.assign({
    studyId: study.id,
    userId,
    studyVersion: study.version,
    choose: (seq) => chooseCondition(study, seq),
  });
  remember(ctx.store, result.assignment);
  return result;
}

/** Forgets a withdrawn participant's assignment in this isolate. */
export function forgetAssignment(ctx: Context, studyId: string, userId: string): void {
  cacheOf(ctx.store).delete(cacheKey(studyId, userId));
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
