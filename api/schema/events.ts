import { z } from "zod";
import { builder } from "../builder";
import type { Context } from "../context";
import type { ClickElement } from "../domain/records";
import {
  extraDataSchema,
  idSchema,
  MAX_EVENTS_PER_BATCH,
  querySchema,
  urlTextSchema,
} from "../domain/validation";
import { DomainError, ErrorCode } from "../errors";
import { type EventInput, recordClick, recordEvents } from "../events/record";
import { CREDENTIAL_NOTE, idOrNull, participantCaller } from "./caller";
import { optionalClaims, requiredClaims } from "./claims";
import { EventTypeRef } from "./records";

/**
 * LogEventInput's rules, checked where the input is taken (logEvent's
 * `input`, logEvents' `events`) with one parse of the whole value, rather
 * than on each field: a batch of 50 events is one zod parse, not 600
 * validator calls (docs/benchmarks.md). A field left out or null is not
 * checked, as GraphQL's nullable fields allow; the rest pass as they are.
 */
const logEventInputSchema = z.looseObject({
  eventId: idSchema,
  userId: idSchema,
  sessionId: idSchema,
  prolificStudyId: idSchema.nullish(),
  studyId: idSchema.nullish(),
  query: querySchema.nullish(),
  queryId: idSchema.nullish(),
  targetUrl: urlTextSchema.nullish(),
  pageUrl: urlTextSchema.nullish(),
  extraData: extraDataSchema.optional(),
});

const LogEventInputRef = builder.inputType("LogEventInput", {
  description: "One interaction event of a participant.",
  fields: (t) => ({
    eventId: t.id({
      required: true,
      description: "Client-made UUID; the store keeps one event per eventId.",
    }),
    ...requiredClaims(t, { validated: false }),
    studyId: t.id({
      description:
        "The study the participant is in: the record carries the study, the participant's condition and the study's version. Events of a participant who has not consented (or has withdrawn) are not stored, except STUDY_STEP events (condition null). Unknown study: NOT_FOUND.",
    }),
    eventType: t.field({ type: EventTypeRef, required: true, description: "What kind of interaction." }),
    query: t.string({
      description: "The message the event relates to, if any.",
    }),
    queryId: t.id({
      description: "The answer (QueryResult.id) that this event is about, where there is one.",
    }),
    targetUrl: t.string({ description: "Where a click led." }),
    pageUrl: t.string({ description: "The page on which it happened." }),
    extraData: t.field({ type: "JSON", description: "At most 8 KiB of JSON." }),
    clientTime: t.field({ type: "DateTime", description: "When it happened on the participant's device." }),
  }),
});

type LogEventInputShape = typeof LogEventInputRef.$inferInput;

function eventInput(input: LogEventInputShape): EventInput {
  return {
    eventId: String(input.eventId),
    studyId: idOrNull(input.studyId),
    eventType: input.eventType,
    query: input.query ?? null,
    queryId: idOrNull(input.queryId),
    targetUrl: input.targetUrl ?? null,
    pageUrl: input.pageUrl ?? null,
    extraData: input.extraData ?? null,
    clientTime: input.clientTime ?? null,
  };
}

/**
 * The caller, after checking every event's claims (userId, sessionId,
 * prolificStudyId) against their credential: once per distinct claim, as
 * a batch's events usually all make the same one.
 */
function eventsCaller(ctx: Context, inputs: LogEventInputShape[]) {
  const checked = new Set<string>();
  for (const input of inputs) {
    const claims = {
      userId: String(input.userId),
      sessionId: String(input.sessionId),
      prolificStudyId: idOrNull(input.prolificStudyId),
    };
    const key = JSON.stringify([claims.userId, claims.sessionId, claims.prolificStudyId]);
    if (checked.has(key)) continue;
    participantCaller(ctx, claims, true);
    checked.add(key);
  }
  return ctx.caller;
}

const LogEventResultRef = builder
  .objectRef<{ eventId: string; duplicate: boolean; receivedAt: string }>("LogEventResult")
  .implement({
    description: "What happened to one event.",
    fields: (t) => ({
      eventId: t.exposeID("eventId", { description: "The event's id." }),
      duplicate: t.exposeBoolean("duplicate", {
        description: "True when this eventId had been stored before: nothing new was written.",
      }),
      receivedAt: t.field({
        type: "DateTime",
        description: "Server time at which the event was first stored.",
        resolve: (r) => r.receivedAt,
      }),
    }),
  });

const LogEventsResultRef = builder
  .objectRef<{ accepted: number; duplicates: number; ignored: number }>("LogEventsResult")
  .implement({
    description: "What happened to a batch of events.",
    fields: (t) => ({
      accepted: t.exposeInt("accepted", { description: "Events newly stored." }),
      duplicates: t.exposeInt("duplicates", {
        description: "Events whose eventId was already stored (or repeated in the batch).",
      }),
      ignored: t.exposeInt("ignored", {
        description:
          "Events of a study from a participant without an assignment (before consent, after withdrawal), which are not stored. STUDY_STEP events always are.",
      }),
    }),
  });

builder.mutationFields((t) => ({
  logEvent: t.field({
    type: LogEventResultRef,
    description: `Record one interaction event of the caller. Idempotent: a repeated eventId is stored once. ${CREDENTIAL_NOTE}`,
    args: {
      input: t.arg({
        type: LogEventInputRef,
        required: true,
        description: "The event.",
        validate: logEventInputSchema,
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const { results } = await recordEvents(ctx, eventsCaller(ctx, [input]), [eventInput(input)]);
      const [result] = results;
      if (!result) {
        throw new DomainError(
          ErrorCode.NOT_ENROLLED,
          `You have not consented to the study "${input.studyId}": your events are not stored.`,
        );
      }
      return result;
    },
  }),
  logEvents: t.field({
    type: LogEventsResultRef,
    description: `Record up to ${MAX_EVENTS_PER_BATCH} events of the caller in one call, each idempotent on its eventId. The batch is written in one round trip to the store; an invalid event rejects the whole batch and nothing is written. ${CREDENTIAL_NOTE}`,
    args: {
      events: t.arg({
        type: [LogEventInputRef],
        required: true,
        description: `The events, at most ${MAX_EVENTS_PER_BATCH}.`,
        validate: z
          .array(logEventInputSchema)
          .max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per call`),
      }),
    },
    resolve: async (_root, { events }, ctx) => {
      const batch = await recordEvents(ctx, eventsCaller(ctx, events), events.map(eventInput));
      const duplicates = batch.results.filter((r) => r.duplicate).length;
      return { accepted: batch.results.length - duplicates, duplicates, ignored: batch.ignored };
    },
  }),
}));

const ClickElementRef = builder.enumType("ClickElement", {
  description: "Which element of an answer a click was on.",
  values: {
    MARKER: { value: "marker", description: "A citation marker ([1]) in the answer's text." },
    SOURCE_LIST: { value: "source-list", description: "An entry of the answer's source list." },
    ANSWER_LINK: { value: "answer-link", description: "A link the model wrote into the answer's text." },
  } satisfies Record<string, { value: ClickElement; description: string }>,
});

const LogClickInputRef = builder.inputType("LogClickInput", {
  description: "A click on a link of a stored answer, logged by the site's redirect route.",
  fields: (t) => ({
    eventId: t.id({
      description: "The tracker's eventId for this click, so the click is stored once; omitted: a new one.",
      validate: idSchema.optional(),
    }),
    ...optionalClaims(t),
    studyId: t.id({
      description: "The study the participant is in (see LogEventInput.studyId).",
      validate: idSchema.optional(),
    }),
    queryId: t.id({
      required: true,
      description: "The caller's answer whose link was clicked.",
      validate: idSchema,
    }),
    targetUrl: t.string({ required: true, description: "The link's URL.", validate: urlTextSchema }),
    signature: t.string({
      required: true,
      description: "The link's signature from QueryRecord.links.",
      validate: z.string().min(1).max(128),
    }),
    pageUrl: t.string({
      description: "The page on which it was clicked.",
      validate: urlTextSchema.optional(),
    }),
    clientTime: t.field({
      type: "DateTime",
      description: "When it was clicked, on the participant's device.",
    }),
    element: t.field({
      type: ClickElementRef,
      description:
        "Which element the link was: a citation marker, an entry of the source list or a link in the answer's text. Checked against what the answer's page shows (BAD_USER_INPUT otherwise).",
    }),
    pageViewId: t.id({
      description: "The tracker's page view of the click (its extraData.pageViewId), when the page has one.",
      validate: idSchema.optional(),
    }),
    seq: t.int({
      description: "The tracker's number of the click in its page view (extraData.seq).",
      validate: z.number().int().min(0).max(1_000_000).optional(),
    }),
  }),
});

builder.mutationField("logClick", (t) =>
  t.field({
    type: LogEventResultRef,
    description:
      "Record a CLICK on a link of one of the caller's own answers (another's: NOT_FOUND), after checking the link's signature and that the answer (its sources or its Markdown links, not text the participant typed) contains targetUrl: anything else is refused with BAD_USER_INPUT, so the site's redirect is no open redirect. Idempotent on eventId.",
    args: { input: t.arg({ type: LogClickInputRef, required: true, description: "The click." }) },
    resolve: (_root, { input }, ctx) =>
      recordClick(
        ctx,
        participantCaller(ctx, {
          userId: idOrNull(input.userId),
          sessionId: idOrNull(input.sessionId),
          prolificStudyId: idOrNull(input.prolificStudyId),
        }),
        {
          eventId: idOrNull(input.eventId),
          studyId: idOrNull(input.studyId),
          queryId: String(input.queryId),
          targetUrl: input.targetUrl,
          signature: input.signature,
          pageUrl: input.pageUrl ?? null,
          clientTime: input.clientTime ?? null,
          element: input.element ?? null,
          pageViewId: idOrNull(input.pageViewId),
          seq: input.seq ?? null,
        },
      ),
  }),
);
