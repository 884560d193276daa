import { builder } from "../builder";
import type { EVENT_TYPES, EventRecord, LogRecord, QueryRecord, RECORD_KINDS } from "../store/store";
import { SourceRef } from "./sources";

export const EventTypeRef = builder.enumType("EventType", {
  description: "What kind of interaction an event records.",
  values: {
    BROWSE: { description: "A page or a result was viewed." },
    CLICK: { description: "A link was clicked (targetUrl says where to)." },
    SCROLL: { description: "The page was scrolled (extraData.scrollDepth, 0..1)." },
    CONVERSION: { description: "A target action of the study was taken (extraData.label names it)." },
    STUDY_STEP: {
      description:
        "A step of the participant's way through a study (extraData.step: consent_shown, consent_given, consent_declined, task_shown, chat_shown, completed).",
    },
  } satisfies Record<(typeof EVENT_TYPES)[number], { description: string }>,
});

export const LogRecordKindRef = builder.enumType("LogRecordKind", {
  description: "The two kinds of stored record.",
  values: {
    QUERY: { description: "A participant's message with the model's answer." },
    EVENT: { description: "An interaction event." },
  } satisfies Record<(typeof RECORD_KINDS)[number], { description: string }>,
});

export const LogRecordRef = builder.interfaceRef<LogRecord>("LogRecord").implement({
  description: "A stored record of either kind: the unit of the export.",
  resolveType: (record) => (record.kind === "QUERY" ? "QueryRecord" : "EventRecord"),
  fields: (t) => ({
    id: t.exposeID("id", { description: "The record's id (a query's id, or an event's eventId)." }),
    userId: t.exposeID("userId", {
      description: "The participant (Prolific's PROLIFIC_PID when they came from Prolific).",
    }),
    sessionId: t.exposeID("sessionId", {
      description: "The participant's session (Prolific's SESSION_ID when given).",
    }),
    prolificStudyId: t.exposeID("prolificStudyId", {
      nullable: true,
      description: "Prolific's STUDY_ID from the participant's link, when there was one.",
    }),
    studyId: t.exposeID("studyId", {
      nullable: true,
      description: "The study it belongs to (studies/<id>.json); null outside a study.",
    }),
    condition: t.exposeString("condition", {
      nullable: true,
      description: "The participant's condition in the study; null before they consented.",
    }),
    studyVersion: t.exposeInt("studyVersion", {
      nullable: true,
      description: "The study's version when the record was stored.",
    }),
    receivedAt: t.field({
      type: "DateTime",
      description: "Server time at which it was stored; the export order.",
      resolve: (r) => r.receivedAt,
    }),
    clientTime: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it happened on the participant's device, as the device reported it.",
      resolve: (r) => r.clientTime,
    }),
  }),
});

export const QueryRecordRef = builder.objectRef<QueryRecord>("QueryRecord").implement({
  description: "A participant's message and the model's answer, as stored.",
  interfaces: [LogRecordRef],
  isTypeOf: (value) => (value as LogRecord).kind === "QUERY",
  fields: (t) => ({
    conversationId: t.exposeID("conversationId", { description: "The conversation this turn belongs to." }),
    query: t.exposeString("query", { description: "The participant's message." }),
    response: t.exposeString("response", { nullable: true, description: "Null when the provider failed." }),
    sources: t.field({
      type: [SourceRef],
      description: "Sources of the answer, in rank order.",
      resolve: (r) => r.sources,
    }),
    model: t.exposeString("model", {
      description: "The model that answered (or was asked, when it failed).",
    }),
    latencyMs: t.exposeInt("latencyMs", {
      nullable: true,
      description: "Time the provider took, in milliseconds (of a streamed answer: to its last token).",
    }),
    timeToFirstTokenMs: t.exposeInt("ttftMs", {
      nullable: true,
      description:
        "Of a streamed answer: milliseconds from the request to the first token. Null when not streamed.",
    }),
    stopped: t.exposeBoolean("stopped", {
      description: "True when the participant stopped the streamed answer: response holds what had arrived.",
    }),
    error: t.exposeString("error", { nullable: true, description: "Why the provider failed, when it did." }),
  }),
});

export const EventRecordRef = builder.objectRef<EventRecord>("EventRecord").implement({
  description: "An interaction event, as stored.",
  interfaces: [LogRecordRef],
  isTypeOf: (value) => (value as LogRecord).kind === "EVENT",
  fields: (t) => ({
    eventId: t.exposeID("eventId", { description: "The client-made id on which the event is deduplicated." }),
    eventType: t.field({
      type: EventTypeRef,
      description: "What kind of interaction.",
      resolve: (r) => r.eventType,
    }),
    query: t.exposeString("query", {
      nullable: true,
      description: "The message the event relates to, if any.",
    }),
    queryId: t.exposeID("queryId", {
      nullable: true,
      description: "The answer (QueryRecord.id) this event is about.",
    }),
    targetUrl: t.exposeString("targetUrl", { nullable: true, description: "Where a click led." }),
    pageUrl: t.exposeString("pageUrl", { nullable: true, description: "The page on which it happened." }),
    extraData: t.field({
      type: "JSON",
      nullable: true,
      description: "Further data of the event (scrollDepth, label, ...).",
      resolve: (r) => r.extraData,
    }),
  }),
});
