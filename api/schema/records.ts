import { signLink } from "../answers/link-signature";
import { clickTargets } from "../answers/links";
import { builder } from "../builder";
import type { EVENT_TYPES, RECORD_KINDS } from "../domain/records";
import type { EventRecord, LogRecord, QueryRecord, Store } from "../store/store";
import { addPresentationFields, shownSources } from "./presentation";
import { forResearchers } from "./researcher";
import { SourceRef } from "./sources";
import { TokenUsageRef } from "./usage";

/** A record as the export returns it: with how many participants share its panel id. */
type Exported<R extends LogRecord> = R & { panelParticipants?: number | null };

/** How many participants each panel id of these records has: one store call per page. */
export async function panelCountsOf(store: Store, records: LogRecord[]): Promise<Map<string, number>> {
  const ids = [...new Set(records.flatMap((r) => (r.panelParticipantId ? [r.panelParticipantId] : [])))];
  return ids.length === 0 ? new Map() : store.panelParticipantCounts(ids);
}

export function withPanelCount<R extends LogRecord>(record: R, counts: Map<string, number>): Exported<R> {
  const id = record.panelParticipantId;
  return { ...record, panelParticipants: id ? (counts.get(id) ?? 1) : null };
}

type AnswerLink = { url: string; signature: string };

const AnswerLinkRef = builder.objectRef<AnswerLink>("AnswerLink").implement({
  description:
    "A link of an answer that a participant may open: one of its sources or of its text's links, never a URL the participant typed. The click route (logClick) takes the signature.",
  fields: (t) => ({
    url: t.exposeString("url", { description: "The link's URL." }),
    signature: t.exposeString("signature", {
      description: "HMAC over (answer id, URL): pass it to logClick with the URL.",
    }),
  }),
});

export const EventTypeRef = builder.enumType("EventType", {
  description: "What kind of interaction an event records.",
  values: {
    BROWSE: { description: "A page or a result was viewed." },
    CLICK: { description: "A link was clicked (targetUrl says where to)." },
    SCROLL: { description: "The page was scrolled (extraData.scrollDepth, 0..1)." },
    CONVERSION: { description: "A target action of the study was taken (extraData.label names it)." },
    STUDY_STEP: {
      description:
        "A step of the participant's way through a study (extraData.step: consent_shown, consent_given, consent_declined, task_shown, chat_shown, completed, ended). completed and ended, stored by the server when the participant's part ends, carry extraData.outcome (ended: any outcome but completed); logEvents refuses them.",
    },
    ATTENTION_CHECK: {
      description:
        "A participant's reply to one of the study's attention checks, judged and recorded by the server (extraData: checkId, reply, passed, failures, ended). Participants cannot send it through logEvents.",
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

export const LogRecordRef = builder.interfaceRef<Exported<LogRecord>>("LogRecord").implement({
  description: "A stored record of either kind: the unit of the export.",
  resolveType: (record) => (record.kind === "QUERY" ? "QueryRecord" : "EventRecord"),
  fields: (t) => ({
    id: t.exposeID("id", { description: "The record's id (a query's id, or an event's eventId)." }),
    userId: t.exposeID("userId", {
      description:
        "The participant, as the server issued them (a second device of the same panel participant is a participant of its own: see panelParticipantId).",
    }),
    sessionId: t.exposeID("sessionId", {
      description: "The participant's session, as the server issued it.",
    }),
    prolificStudyId: t.exposeID("prolificStudyId", {
      nullable: true,
      description:
        "The panel's study id from the participant's link (Prolific's STUDY_ID, MTurk's hitId, ...), when there was one; the same as panelStudyId.",
    }),
    panelStudyId: t.exposeID("prolificStudyId", {
      nullable: true,
      description:
        "The panel's study id from the participant's link (Prolific's STUDY_ID, MTurk's hitId, Connect's projectId), when there was one.",
    }),
    panelParticipantId: t.exposeID("panelParticipantId", {
      nullable: true,
      description: "The recruiting panel's participant id (Prolific's PROLIFIC_PID) bound to the session.",
    }),
    panelSessionId: t.exposeID("panelSessionId", {
      nullable: true,
      description: "The panel's session id (Prolific's SESSION_ID) bound to the session.",
    }),
    panelParticipants: t.int({
      nullable: true,
      description:
        "In the export: how many participants have records with this panelParticipantId. More than 1 flags a panel id seen on several devices (or used by someone else): decide how to count such participants. Null without a panel id, and outside the export.",
      resolve: (r) => r.panelParticipants ?? null,
    }),
    studyId: t.exposeID("studyId", {
      nullable: true,
      description: "The study it belongs to (studies/<id>.json); null outside a study.",
    }),
    condition: t.string({
      nullable: true,
      description:
        "The participant's condition in the study; null before they consented. Shown to researchers only (a participant reading their own conversation sees null).",
      resolve: (r, _args, ctx) => forResearchers(ctx, r.condition),
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

export const QueryRecordRef = builder.objectRef<Exported<QueryRecord>>("QueryRecord").implement({
  description: "A participant's message and the model's answer, as stored.",
  interfaces: [LogRecordRef],
  isTypeOf: (value) => (value as LogRecord).kind === "QUERY",
  fields: (t) => ({
    conversationId: t.exposeID("conversationId", { description: "The conversation this turn belongs to." }),
    query: t.exposeString("query", { description: "The participant's message." }),
    response: t.exposeString("response", { nullable: true, description: "Null when the provider failed." }),
    sources: t.field({
      type: [SourceRef],
      description:
        "The answer's sources in the order shown (rank), each with the model's rank (originalRank). Empty for a participant whose condition hides them.",
      resolve: (r, _args, ctx) => shownSources(ctx, r),
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
    historyTurns: t.exposeInt("historyTurns", {
      description:
        "How many earlier turns of the conversation were sent to the model with this message (the history is capped by size).",
    }),
    error: t.exposeString("error", { nullable: true, description: "Why the provider failed, when it did." }),
    usage: t.field({
      type: TokenUsageRef,
      nullable: true,
      description:
        "The tokens the provider reported for the answer (of a stopped or failed one: what it had reported by then). Researchers only; null for participants, when the provider reported none (scripted answers, servers that ignore stream_options.include_usage) and on answers stored before usage was kept.",
      resolve: (r, _args, ctx) => forResearchers(ctx, r.usage),
    }),
    links: t.field({
      type: [AnswerLinkRef],
      description:
        "The links a participant may open from this answer, each with its signature for the click route.",
      resolve: (r, _args, ctx) =>
        Promise.all(
          [...clickTargets(r)].map(async (url) => ({
            url,
            signature: await signLink(ctx.config.sessionSecrets, r.id, url),
          })),
        ),
    }),
  }),
});

addPresentationFields(QueryRecordRef);

export const EventRecordRef = builder.objectRef<Exported<EventRecord>>("EventRecord").implement({
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
