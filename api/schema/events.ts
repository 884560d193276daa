import { z } from "zod";
import { isClickTarget } from "../answers/links";
import { builder } from "../builder";
import type { Context } from "../context";
import { apiError, ErrorCode } from "../errors";
import type { NewEvent, StudyTag } from "../store/store";
import { studyTag } from "../studies/participants";
import { extraDataSchema, idSchema, MAX_EVENTS_PER_BATCH, querySchema, urlTextSchema } from "../validation";
import { EventTypeRef } from "./records";

const LogEventInputRef = builder.inputType("LogEventInput", {
  description: "One interaction event of a participant.",
  fields: (t) => ({
    eventId: t.id({
      required: true,
      description: "Client-made UUID; the store keeps one event per eventId.",
      validate: idSchema,
    }),
    userId: t.id({ required: true, description: "The participant.", validate: idSchema }),
    sessionId: t.id({ required: true, description: "The participant's session.", validate: idSchema }),
    prolificStudyId: t.id({
      description: "Prolific's STUDY_ID from the participant's link, kept on the record.",
      validate: idSchema.optional(),
    }),
    studyId: t.id({
      description:
        "The study the participant is in: the record carries the study, the participant's condition and the study's version. Events of a participant who has not consented (or has withdrawn) are not stored, except STUDY_STEP events (condition null). Unknown study: NOT_FOUND.",
      validate: idSchema.optional(),
    }),
    eventType: t.field({ type: EventTypeRef, required: true, description: "What kind of interaction." }),
    query: t.string({
      description: "The message the event relates to, if any.",
      validate: querySchema.optional(),
    }),
    queryId: t.id({
      description: "The answer (QueryResult.id) that this event is about, where there is one.",
      validate: idSchema.optional(),
    }),
    targetUrl: t.string({ description: "Where a click led.", validate: urlTextSchema.optional() }),
    pageUrl: t.string({ description: "The page on which it happened.", validate: urlTextSchema.optional() }),
    extraData: t.field({ type: "JSON", description: "At most 8 KiB of JSON.", validate: extraDataSchema }),
    clientTime: t.field({ type: "DateTime", description: "When it happened on the participant's device." }),
  }),
});

type LogEventInputShape = typeof LogEventInputRef.$inferInput;

function toNewEvent(input: LogEventInputShape, tag: StudyTag): NewEvent {
  return {
    eventId: String(input.eventId),
    userId: String(input.userId),
    sessionId: String(input.sessionId),
    prolificStudyId: input.prolificStudyId ? String(input.prolificStudyId) : null,
    ...tag,
    eventType: input.eventType,
    query: input.query ?? null,
    queryId: input.queryId ? String(input.queryId) : null,
    targetUrl: input.targetUrl ?? null,
    pageUrl: input.pageUrl ?? null,
    extraData: input.extraData ?? null,
    clientTime: input.clientTime ?? null,
  };
}

/**
 * The events with their study fields: one assignment lookup per participant
 * and study in the batch (events outside a study need none, so their batch
 * stays one round trip to the store). A study's events of a participant
 * without an assignment (before consent, after withdrawal) are left out:
 * nobody is tracked without consent. STUDY_STEP events (consent shown,
 * declined) are kept: they record the study's own steps.
 */
async function toNewEvents(
  ctx: Context,
  inputs: LogEventInputShape[],
): Promise<{ events: NewEvent[]; ignored: number }> {
  const tags = new Map<string, Promise<StudyTag>>();
  const tagOf = (input: LogEventInputShape) => {
    const studyId = input.studyId ? String(input.studyId) : null;
    const key = `${studyId}\u0000${input.userId}`;
    let tag = tags.get(key);
    if (!tag) {
      tag = studyTag(ctx, studyId, String(input.userId));
      tags.set(key, tag);
    }
    return tag;
  };
  const all = await Promise.all(inputs.map(async (input) => toNewEvent(input, await tagOf(input))));
  const events = all.filter(
    (e) => e.studyId === null || e.condition !== null || e.eventType === "STUDY_STEP",
  );
  return { events, ignored: all.length - events.length };
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
    description: "Record one interaction event. Idempotent: a repeated eventId is stored once.",
    args: { input: t.arg({ type: LogEventInputRef, required: true, description: "The event." }) },
    resolve: async (_root, { input }, ctx) => {
      const { events } = await toNewEvents(ctx, [input]);
      if (events.length === 0) {
        throw apiError(
          ErrorCode.NOT_ENROLLED,
          `This participant has not consented to the study "${input.studyId}": their events are not stored.`,
        );
      }
      const [result] = await ctx.store.recordEvents(events);
      if (!result) throw new Error("the store returned no result for the event");
      return result;
    },
  }),
  logEvents: t.field({
    type: LogEventsResultRef,
    description: `Record up to ${MAX_EVENTS_PER_BATCH} events in one call, each idempotent on its eventId. The batch is written in one round trip to the store; an invalid event rejects the whole batch and nothing is written.`,
    args: {
      events: t.arg({
        type: [LogEventInputRef],
        required: true,
        description: `The events, at most ${MAX_EVENTS_PER_BATCH}.`,
        validate: z
          .array(z.unknown())
          .max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per call`),
      }),
    },
    resolve: async (_root, { events }, ctx) => {
      const batch = await toNewEvents(ctx, events);
      const results = batch.events.length > 0 ? await ctx.store.recordEvents(batch.events) : [];
      const duplicates = results.filter((r) => r.duplicate).length;
      return { accepted: results.length - duplicates, duplicates, ignored: batch.ignored };
    },
  }),
}));

const LogClickInputRef = builder.inputType("LogClickInput", {
  description: "A click on a link of a stored answer, logged by the site's redirect route.",
  fields: (t) => ({
    eventId: t.id({
      description: "The tracker's eventId for this click, so the click is stored once; omitted: a new one.",
      validate: idSchema.optional(),
    }),
    userId: t.id({ required: true, description: "The participant.", validate: idSchema }),
    sessionId: t.id({ required: true, description: "The participant's session.", validate: idSchema }),
    prolificStudyId: t.id({ description: "Prolific's STUDY_ID, when given.", validate: idSchema.optional() }),
    studyId: t.id({
      description: "The study the participant is in (see LogEventInput.studyId).",
      validate: idSchema.optional(),
    }),
    queryId: t.id({ required: true, description: "The answer whose link was clicked.", validate: idSchema }),
    targetUrl: t.string({ required: true, description: "The link's URL.", validate: urlTextSchema }),
    pageUrl: t.string({
      description: "The page on which it was clicked.",
      validate: urlTextSchema.optional(),
    }),
    clientTime: t.field({
      type: "DateTime",
      description: "When it was clicked, on the participant's device.",
    }),
  }),
});

builder.mutationField("logClick", (t) =>
  t.field({
    type: LogEventResultRef,
    description:
      "Record a CLICK on a link of a stored answer, after checking that the answer (its Markdown links or its sources) really contains targetUrl: anything else is refused with BAD_USER_INPUT, so the site's redirect is no open redirect. Idempotent on eventId.",
    args: { input: t.arg({ type: LogClickInputRef, required: true, description: "The click." }) },
    resolve: async (_root, { input }, ctx) => {
      const answer = await ctx.store.getQuery(String(input.queryId));
      if (!answer) throw apiError(ErrorCode.NOT_FOUND, "No answer has that queryId.");
      if (!isClickTarget(answer, input.targetUrl)) {
        throw apiError(ErrorCode.BAD_USER_INPUT, "targetUrl is not a link or source of that answer.");
      }
      const userId = String(input.userId);
      const [result] = await ctx.store.recordEvents([
        {
          eventId: input.eventId ? String(input.eventId) : crypto.randomUUID(),
          userId,
          sessionId: String(input.sessionId),
          prolificStudyId: input.prolificStudyId ? String(input.prolificStudyId) : null,
          ...(await studyTag(ctx, input.studyId ? String(input.studyId) : null, userId)),
          eventType: "CLICK",
          query: answer.query,
          queryId: answer.id,
          targetUrl: input.targetUrl,
          pageUrl: input.pageUrl ?? null,
          extraData: {
            via: "redirect",
            rank: answer.sources.find((s) => s.url === input.targetUrl)?.rank ?? null,
          },
          clientTime: input.clientTime ?? null,
        },
      ]);
      if (!result) throw new Error("the store returned no result for the click");
      return result;
    },
  }),
);
