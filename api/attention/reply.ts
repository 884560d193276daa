import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { type Caller, checkStudyScope, requireParticipant } from "../participants/guard";
import type { Participant } from "../participants/participant";
import type { Assignment, AttentionResult } from "../store/store";
import type { Study } from "../studies/definition";
import { endStudy } from "../studies/end-study";
import { assignmentOf, studyOrError, whoFields } from "../studies/participants";
import { applyTimeLimit } from "../studies/time-up";
import type { AttentionCheck } from "./definition";
import { dueCheck, failuresOf } from "./due";
import { attentionEventId } from "./event-id";
import { judge } from "./judge";

/**
 * A participant's way through the study's attention checks: which one is
 * due, and their reply, judged on the server by the check's rule and stored
 * as an ATTENTION_CHECK event (once per check: its eventId is derived from
 * study, participant and check). After the policy's maxFailures failed
 * checks, action "end" ends the participation with the policy's outcome;
 * "flag" never ends anything. A screening item (a check with failOutcome)
 * ends it at its first failed reply, with that outcome.
 */

export type AttentionReplyInput = {
  studyId: string;
  checkId: string;
  reply: string;
  clientTime: string | null;
};

export type AttentionReply = {
  checkId: string;
  /** True when this reply ended the participation (the policy's outcome). */
  ended: boolean;
  /** The outcome it ended with; null when it did not end. */
  outcome: string | null;
};

type Place = { study: Study; assignment: Assignment; results: AttentionResult[] };

/** The participant's study, assignment (consented, not finished) and stored replies. */
async function placeOf(deps: Deps, participant: Participant, studyId: string): Promise<Place> {
  const study = studyOrError(deps, studyId);
  const known = await assignmentOf(deps, study.id, participant.userId);
  if (!known) {
    throw new DomainError(ErrorCode.NOT_ENROLLED, `You have not consented to the study "${study.id}".`);
  }
  // A participant whose time is up (completion.maxSeconds) has ended: timed-out, not a check.
  const assignment = await applyTimeLimit(deps, participant, study, known, null);
  if (assignment.finishedAt) {
    throw new DomainError(
      assignment.outcome === "timed-out" ? ErrorCode.TIME_UP : ErrorCode.STUDY_FINISHED,
      "Your part in this study has ended, so there is nothing more to answer. Thank you!",
      { outcome: assignment.outcome },
    );
  }
  const results = study.attentionChecks.length
    ? await deps.store.attentionResults(study.id, participant.userId)
    : [];
  return { study, assignment, results };
}

/**
 * The check the participant must answer now in this study, or null. The
 * answer path (api/answers/turn.ts) refuses a message while one is due.
 */
export async function pendingCheck(
  deps: Deps,
  caller: Caller,
  studyId: string,
): Promise<AttentionCheck | null> {
  const participant = requireParticipant(caller);
  checkStudyScope(participant, studyId);
  const study = studyOrError(deps, studyId);
  if (study.attentionChecks.length === 0) return null;
  const assignment = await assignmentOf(deps, study.id, participant.userId);
  if (!assignment || assignment.finishedAt) return null;
  const results = await deps.store.attentionResults(study.id, participant.userId);
  return dueCheck(study, assignment, results, Date.now());
}

/** The ATTENTION_CHECK_DUE error for a message sent while a check is due. */
export function checkDueError(check: AttentionCheck): DomainError {
  return new DomainError(
    ErrorCode.ATTENTION_CHECK_DUE,
    "Please answer the message from the researchers first: the assistant answers again after that.",
    { checkId: check.id },
  );
}

/**
 * Refuses a message to the assistant while a check is due; the caller has
 * read the assignment already (a study without checks reads nothing more).
 */
export async function refuseWhileCheckDue(deps: Deps, study: Study, assignment: Assignment): Promise<void> {
  if (study.attentionChecks.length === 0) return;
  const results = await deps.store.attentionResults(study.id, assignment.userId);
  const due = dueCheck(study, assignment, results, Date.now());
  if (due) throw checkDueError(due);
}

export async function answerAttentionCheck(
  deps: Deps,
  caller: Caller,
  input: AttentionReplyInput,
): Promise<AttentionReply> {
  const participant = requireParticipant(caller);
  checkStudyScope(participant, input.studyId);
  await deps.limits.take("answer", { sessionId: participant.sessionId, ip: caller.ip });
  const { study, assignment, results } = await placeOf(deps, participant, input.studyId);
  const check = study.attentionChecks.find((c) => c.id === input.checkId);
  if (!check) {
    throw new DomainError(
      ErrorCode.NOT_FOUND,
      `The study "${study.id}" has no attention check "${input.checkId}".`,
    );
  }
  // A reply sent twice (a form posted again): the first one stands.
  if (results.some((r) => r.checkId === check.id)) return { checkId: check.id, ended: false, outcome: null };
  const due = dueCheck(study, assignment, results, Date.now());
  if (due?.id !== check.id) {
    throw new DomainError(
      ErrorCode.ATTENTION_CHECK_NOT_DUE,
      due
        ? `The attention check due now is "${due.id}", not "${check.id}".`
        : `The attention check "${check.id}" is not due yet.`,
      { checkId: due?.id ?? null },
    );
  }
  const passed = judge(check.rule, input.reply);
  const failures = failuresOf(results) + (passed ? 0 : 1);
  const policy = study.attentionPolicy;
  // A screening item ends at its first failed reply; attention checks once the policy's failures are reached.
  const outcome = check.failOutcome ?? policy.outcome;
  const ends =
    !passed &&
    (check.failOutcome !== undefined || (policy.action === "end" && failures >= policy.maxFailures));
  const [stored] = await deps.store.recordEvents([
    {
      eventId: await attentionEventId(study.id, participant.userId, check.id),
      ...whoFields(participant),
      studyId: study.id,
      condition: assignment.condition,
      studyVersion: study.version,
      eventType: "ATTENTION_CHECK",
      query: null,
      queryId: null,
      targetUrl: null,
      pageUrl: null,
      extraData: { checkId: check.id, reply: input.reply, passed, failures, ended: ends },
      clientTime: input.clientTime,
    },
  ]);
  // Another request stored this check's reply first: it decided what followed.
  if (!stored || stored.duplicate) return { checkId: check.id, ended: false, outcome: null };
  if (!ends) return { checkId: check.id, ended: false, outcome: null };
  // The first end wins: a participant who had ended otherwise meanwhile keeps that outcome.
  const ending = await endStudy(deps, participant, study, outcome, input.clientTime);
  return { checkId: check.id, ended: true, outcome: ending.outcome };
}
