import { sign, signAll } from "../crypto/hmac";
import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { type Caller, checkStudyScope, requireParticipant } from "../participants/guard";
import type { Participant } from "../participants/participant";
import { type Assignment, type NewEvent, NO_STUDY, type StudyTag } from "../store/store";
import { chooseCondition } from "./assignment";
import type { Study } from "./definition";
import { requireAvailable } from "./deployed";

/**
 * A participant's place in a study: consent (their assignment, made once),
 * the study fields every record of theirs carries, and withdrawal (the
 * end of their part: end-study.ts, finish.ts). Plain functions on the ports; the caller is the authenticated
 * participant (or, to withdraw someone, a researcher).
 */

/** The study with this id, or NOT_FOUND naming it. */
export function studyOrError(deps: Pick<Deps, "studies">, studyId: string): Study {
  const study = deps.studies.get(studyId);
  if (!study) throw new DomainError(ErrorCode.NOT_FOUND, `There is no study with id "${studyId}".`);
  return study;
}

/**
 * Read from the store every time, never cached: a withdrawal in another
 * isolate must end the participation everywhere at once.
 */
export function assignmentOf(deps: Pick<Deps, "store">, studyId: string, userId: string) {
  return deps.store.getAssignment(studyId, userId);
}

/**
 * The study fields of a participant's record: the study's current version
 * and their condition (null before they consent, e.g. on the consent page).
 */
export async function studyTag(
  deps: Pick<Deps, "store" | "studies">,
  studyId: string | null,
  userId: string,
): Promise<StudyTag> {
  if (studyId === null) return NO_STUDY;
  const study = studyOrError(deps, studyId);
  const assignment = await assignmentOf(deps, studyId, userId);
  return { studyId, condition: assignment?.condition ?? null, studyVersion: study.version };
}

/** The fields of the participant's own records that say who they are. */
export function whoFields(participant: Participant) {
  return {
    userId: participant.userId,
    sessionId: participant.sessionId,
    prolificStudyId: participant.panel.studyId,
    panelParticipantId: participant.panel.participantId,
    panelSessionId: participant.panel.sessionId,
  };
}

/** A STUDY_STEP event of the participant (consent_given, completed, ...). */
export async function logStep(
  deps: Pick<Deps, "store" | "studies">,
  participant: Participant,
  studyId: string,
  step: string,
  clientTime: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  const event: NewEvent = {
    eventId: crypto.randomUUID(),
    ...whoFields(participant),
    ...(await studyTag(deps, studyId, participant.userId)),
    eventType: "STUDY_STEP",
    query: null,
    queryId: null,
    targetUrl: null,
    pageUrl: null,
    extraData: { step, ...details },
    clientTime,
  };
  await deps.store.recordEvents([event]);
}

/** What the audit keeps of a participant: HMACs, never the ids themselves. */
const participantMessage = (userId: string) => `participant:${userId}`;
const panelMessage = (panelId: string) => `panel:${panelId}`;

/** The participant withdrew from this study before (by their session or their panel id, under any secret). */
async function hasWithdrawn(deps: Pick<Deps, "store" | "config">, study: Study, participant: Participant) {
  const secrets = deps.config.sessionSecrets;
  const hmacs = await signAll(secrets, participantMessage(participant.userId));
  if (participant.panel.participantId) {
    hmacs.push(...(await signAll(secrets, panelMessage(participant.panel.participantId))));
  }
  return deps.store.isWithdrawn(study.id, hmacs);
}

/**
 * Whether the caller withdrew from the study: in this session, or under the
 * panel id (PROLIFIC_PID) their session carries. The consent page asks
 * first, so a returning withdrawn participant is told at once and nothing
 * of theirs is stored (not even consent_shown).
 */
export async function withdrewFrom(deps: Deps, caller: Caller, studyId: string): Promise<boolean> {
  const participant = requireParticipant(caller);
  checkStudyScope(participant, studyId);
  return hasWithdrawn(deps, studyOrError(deps, studyId), participant);
}

/**
 * The participant consents: they are assigned (once; later calls return the
 * same assignment). A panel id (PROLIFIC_PID) that already has an
 * assignment in the study, seen in this new session, gets a linked
 * assignment: the same condition, but turns, conversations, finish and
 * withdrawal of its own. A participant who withdrew is refused, and so is a
 * new participant of a study that is unavailable (api/studies/deployed.ts):
 * those already in it carry on.
 */
export async function enroll(
  deps: Deps,
  caller: Caller,
  studyId: string,
  clientTime: string | null,
): Promise<Assignment> {
  const participant = requireParticipant(caller);
  checkStudyScope(participant, studyId);
  const study = studyOrError(deps, studyId);
  const known = await assignmentOf(deps, study.id, participant.userId);
  if (known) return known;
  await deps.limits.take("enroll", { sessionId: participant.sessionId, ip: caller.ip });
  if (!study.active) {
    throw new DomainError(
      ErrorCode.STUDY_CLOSED,
      `The study "${study.id}" is closed: it takes no new participants.`,
    );
  }
  await requireAvailable(deps, study);
  const panelId = participant.panel.participantId;
  const [withdrawn, earlier] = await Promise.all([
    hasWithdrawn(deps, study, participant),
    panelId ? deps.store.findPanelAssignment(study.id, panelId) : null,
  ]);
  if (withdrawn) {
    throw new DomainError(
      ErrorCode.WITHDRAWN,
      "You withdrew from this study, so you cannot take part in it again. Thank you for your time.",
    );
  }
  const { assignment, created } = await deps.store.assign({
    studyId: study.id,
    userId: participant.userId,
    studyVersion: study.version,
    panelParticipantId: panelId,
    choose: (seq) => chooseCondition(study, seq),
    ...(earlier && earlier.userId !== participant.userId ? { linkTo: earlier } : {}),
  });
  if (created) await logStep(deps, participant, study.id, "consent_given", clientTime);
  return assignment;
}

export type Withdrawn = { deletedQueries: number; deletedEvents: number };

/**
 * Withdrawal: deletes the participant's records of the study (consent_shown
 * included) and their records outside any study (the open chat), and
 * writes an audit entry without content: study, version, condition, time,
 * counts, and HMACs by which a returning participant is recognised. A
 * participant withdraws themselves; a researcher withdraws anyone by id.
 */
export async function withdraw(
  deps: Deps,
  caller: Caller,
  studyId: string,
  userId: string | null,
): Promise<Withdrawn> {
  const study = studyOrError(deps, studyId);
  // Not with the tracker's events-only credential: it records events and nothing else.
  const participant = caller.participant?.scope === "full" ? caller.participant : null;
  let subject: { userId: string; panelId: string | null; by: "participant" | "researcher" };
  if (participant && (userId === null || userId === participant.userId)) {
    checkStudyScope(participant, studyId);
    subject = {
      userId: participant.userId,
      panelId: participant.panel.participantId,
      by: "participant",
    };
  } else if (caller.researcher) {
    if (userId === null) {
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        "A researcher withdraws a participant by their userId.",
      );
    }
    subject = { userId, panelId: null, by: "researcher" };
  } else if (participant) {
    throw new DomainError(ErrorCode.FORBIDDEN, "A participant can only withdraw themselves.");
  } else {
    requireParticipant(caller);
    throw new Error("unreachable");
  }
  const assignment = await assignmentOf(deps, study.id, subject.userId);
  const panelId = subject.panelId ?? assignment?.panelParticipantId ?? null;
  const secrets = deps.config.sessionSecrets;
  const deleted = await deps.store.withdrawParticipant(subject.userId, {
    id: crypto.randomUUID(),
    studyId: study.id,
    studyVersion: study.version,
    condition: assignment?.condition ?? null,
    panelIdHmac: panelId ? await sign(secrets, panelMessage(panelId)) : null,
    participantHmac: await sign(secrets, participantMessage(subject.userId)),
    by: subject.by,
  });
  return { deletedQueries: deleted.queries, deletedEvents: deleted.events };
}
