import { verifyLink } from "../answers/link-signature";
import { clickTargets } from "../answers/links";
import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import { type Caller, checkStudyScope, requireParticipant } from "../participants/guard";
import type { Participant } from "../participants/participant";
import type { NewEvent, RecordedEvent, StudyTag } from "../store/store";
import { studyTag, whoFields } from "../studies/participants";

/**
 * The participant's own interaction events: who they are comes from their
 * credential, the study fields from their assignment. Nobody is tracked
 * without consent: a study's events from a participant without an
 * assignment (before consent, after withdrawal) are left out, except
 * STUDY_STEP events, which record the study's own steps.
 */
/** An event as its participant describes it: who they are comes from the credential, the study fields from the store. */
export type EventInput = Pick<
  NewEvent,
  "eventId" | "eventType" | "query" | "queryId" | "targetUrl" | "pageUrl" | "extraData" | "clientTime"
> & { studyId: string | null };

async function toNewEvents(
  deps: Deps,
  participant: Participant,
  inputs: EventInput[],
): Promise<{ events: NewEvent[]; ignored: number }> {
  // One assignment lookup per study in the batch (events outside a study need none).
  const tags = new Map<string | null, Promise<StudyTag>>();
  const tagOf = (studyId: string | null) => {
    let tag = tags.get(studyId);
    if (!tag) {
      tag = studyTag(deps, studyId, participant.userId);
      tags.set(studyId, tag);
    }
    return tag;
  };
  for (const input of inputs) checkStudyScope(participant, input.studyId); // before anything is read
  const who = whoFields(participant);
  const all = await Promise.all(
    inputs.map(async (input): Promise<NewEvent> => ({ ...input, ...who, ...(await tagOf(input.studyId)) })),
  );
  const events = all.filter(
    (e) => e.studyId === null || e.condition !== null || e.eventType === "STUDY_STEP",
  );
  return { events, ignored: all.length - events.length };
}

export type RecordedBatch = { results: RecordedEvent[]; ignored: number };

/** Records the caller's events in one round trip to the store, each idempotent on its eventId. */
export async function recordEvents(deps: Deps, caller: Caller, inputs: EventInput[]): Promise<RecordedBatch> {
  const participant = requireParticipant(caller, true);
  await deps.limits.take("ingest", { sessionId: participant.sessionId, ip: caller.ip });
  const batch = await toNewEvents(deps, participant, inputs);
  const results = batch.events.length > 0 ? await deps.store.recordEvents(batch.events) : [];
  return { results, ignored: batch.ignored };
}

export type ClickInput = {
  eventId: string | null;
  studyId: string | null;
  queryId: string;
  targetUrl: string;
  /** The link's signature, as the page rendered it (AnswerLink.signature). */
  signature: string;
  pageUrl: string | null;
  clientTime: string | null;
};

/**
 * A click on a link of one of the caller's own answers, which the click
 * route logs before it redirects: only to a URL of that answer's sources or
 * text that the participant did not type themselves, and only with the
 * signature the page was given for it, so the route is no open redirect.
 */
export async function recordClick(deps: Deps, caller: Caller, input: ClickInput): Promise<RecordedEvent> {
  const participant = requireParticipant(caller);
  checkStudyScope(participant, input.studyId);
  await deps.limits.take("ingest", { sessionId: participant.sessionId, ip: caller.ip });
  const answer = await deps.store.getQuery(input.queryId);
  if (!answer || answer.userId !== participant.userId) {
    throw new DomainError(ErrorCode.NOT_FOUND, "None of your answers has that id.");
  }
  const signed = await verifyLink(deps.config.sessionSecrets, answer.id, input.targetUrl, input.signature);
  if (!signed || !clickTargets(answer).has(input.targetUrl)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, "targetUrl is not a link or source of that answer.");
  }
  const [result] = await deps.store.recordEvents([
    {
      eventId: input.eventId ?? crypto.randomUUID(),
      ...whoFields(participant),
      ...(await studyTag(deps, input.studyId, participant.userId)),
      eventType: "CLICK",
      query: answer.query,
      queryId: answer.id,
      targetUrl: input.targetUrl,
      pageUrl: input.pageUrl,
      extraData: {
        via: "redirect",
        rank: answer.sources.find((s) => s.url === input.targetUrl)?.rank ?? null,
      },
      clientTime: input.clientTime,
    },
  ]);
  if (!result) throw new Error("the store returned no result for the click");
  return result;
}
