import { verifyLink } from "../answers/link-signature";
import { clickTargets, markdownLinks } from "../answers/links";
import { displayOf } from "../answers/presentation";
import type { Deps } from "../deps";
import { type ClickElement, SERVER_ONLY_EVENT_TYPES } from "../domain/records";
import { DomainError, ErrorCode } from "../errors";
import { type Caller, checkStudyScope, requireParticipant } from "../participants/guard";
import type { Participant } from "../participants/participant";
import { withoutUrlToken } from "../participants/url-token-param";
import type { NewEvent, QueryRecord, RecordedEvent } from "../store/store";
import { END_STEPS } from "../studies/end-study";
import { studyOrError, studyTag, whoFields } from "../studies/participants";

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

/**
 * The caller's events with who they are and their study's version; the
 * condition (and whether the event is kept at all) is the store's to fill
 * from the assignment as it writes (Store.recordParticipantEvents), so the
 * consent check is part of the write rather than a read before it.
 */
function toNewEvents(deps: Deps, participant: Participant, inputs: EventInput[]): NewEvent[] {
  const versions = new Map<string, number>();
  const versionOf = (studyId: string) => {
    let version = versions.get(studyId);
    if (version === undefined) {
      version = studyOrError(deps, studyId).version; // an unknown study: NOT_FOUND, before anything is written
      versions.set(studyId, version);
    }
    return version;
  };
  for (const input of inputs) {
    checkStudyScope(participant, input.studyId); // before anything else
    refuseServerOnly(input.eventType);
  }
  for (const input of inputs) refuseEndStep(input);
  const who = whoFields(participant);
  return inputs.map((input) => {
    return {
      ...input,
      // A study page's URL token is never stored (participants/url-token.ts).
      pageUrl: withoutUrlToken(input.pageUrl),
      ...who,
      condition: null,
      studyVersion: input.studyId === null ? null : versionOf(input.studyId),
    };
  });
}

const serverOnly: ReadonlySet<string> = new Set(SERVER_ONLY_EVENT_TYPES);

/** Events only the server records (an attention check's result) are refused from participants, whole batch. */
function refuseServerOnly(eventType: string): void {
  if (!serverOnly.has(eventType)) return;
  throw new DomainError(
    ErrorCode.BAD_USER_INPUT,
    `eventType ${eventType} is recorded by the server only; participants cannot send it (nothing of the batch was stored).`,
    { eventType },
  );
}

/** A participant's STUDY_STEP may not say their part ended: only the server records that (endStudy). */
function refuseEndStep(input: EventInput): void {
  if (input.eventType !== "STUDY_STEP") return;
  const step = (input.extraData as { step?: unknown } | null)?.step;
  if (typeof step === "string" && END_STEPS.has(step)) {
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      `A STUDY_STEP event with extraData.step "${step}" is recorded by the server when a participant's part of a study ends; it cannot be sent.`,
    );
  }
}

export type RecordedBatch = { results: RecordedEvent[]; ignored: number };

/** Records the caller's events in one round trip to the store, each idempotent on its eventId. */
export async function recordEvents(deps: Deps, caller: Caller, inputs: EventInput[]): Promise<RecordedBatch> {
  const participant = requireParticipant(caller, true);
  await deps.limits.take("ingest", { sessionId: participant.sessionId, ip: caller.ip });
  const events = toNewEvents(deps, participant, inputs);
  const written = events.length > 0 ? await deps.store.recordParticipantEvents(events) : [];
  const results = written.filter((r) => r !== null);
  return { results, ignored: written.length - results.length };
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
  /** Which element the link was (the page says; checked against the answer); null: not said. */
  element: ClickElement | null;
  /** The tracker's page view and number of this click (JS on); null: none. */
  pageViewId: string | null;
  seq: number | null;
};

/** Whether the answer's page shows `url` as that element: a marker or list entry of a source shown, a link of its text. */
function showsAs(answer: QueryRecord, url: string, element: ClickElement): boolean {
  const display = displayOf(answer);
  if (element === "answer-link") {
    return display.answerLinks === "links" && markdownLinks(answer.displayedResponse ?? "").has(url);
  }
  if (!display.sourcesShown || (element === "marker" && display.markers !== "linked")) return false;
  return answer.sources.some((s) => s.url === url);
}

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
  if (input.element && !showsAs(answer, input.targetUrl, input.element)) {
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      `element: that answer's page shows no ${input.element} for targetUrl.`,
    );
  }
  const source = displayOf(answer).sourcesShown
    ? answer.sources.find((s) => s.url === input.targetUrl)
    : undefined;
  const [result] = await deps.store.recordEvents([
    {
      eventId: input.eventId ?? crypto.randomUUID(),
      ...whoFields(participant),
      ...(await studyTag(deps, input.studyId, participant.userId)),
      eventType: "CLICK",
      query: answer.query,
      queryId: answer.id,
      targetUrl: input.targetUrl,
      pageUrl: withoutUrlToken(input.pageUrl),
      // The same fields as the tracker's CLICK (web/tracker): whichever arrives first is stored.
      extraData: {
        via: "redirect",
        element: input.element,
        rank: source?.rank ?? null,
        originalRank: source?.originalRank ?? null,
        ...(input.pageViewId === null ? {} : { pageViewId: input.pageViewId }),
        ...(input.seq === null ? {} : { seq: input.seq }),
      },
      clientTime: input.clientTime,
    },
  ]);
  if (!result) throw new Error("the store returned no result for the click");
  return result;
}
