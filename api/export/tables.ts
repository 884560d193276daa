import type { SignalSummary } from "../signals/flags";
import type { Assignment, EventRecord, QueryRecord, ShownSource } from "../store/store";
import { ANSWER_SIGNAL_COLUMNS, PARTICIPANT_SIGNAL_COLUMNS } from "./signal-columns";

/**
 * The downloads' tables and their columns, in one place: the CSV and NDJSON
 * writers (write.ts) and dataset_description.json (description.ts) both read
 * these lists, so a column cannot be written without being described.
 */

/** How a column's values are typed (in dataset_description.json, and how CSV writes them). */
export type ColumnType = "string" | "integer" | "number" | "boolean" | "datetime" | "json";

export type Column<R> = {
  name: string;
  type: ColumnType;
  description: string;
  /** The unit of a number (schema.org unitText), e.g. "milliseconds". */
  unit?: string;
  value: (row: R) => unknown;
};

/** One row of `sources`: a source shown with an answer, and the clicks on it. */
export type SourceRow = {
  answer: QueryRecord;
  source: ShownSource;
  clicks: number;
  firstClickAt: string | null;
  /** Its exposure (Store.sourceExposure); null when no exposure summary lists it. */
  visibleMs: number | null;
};

/** One row of `participants`: an assignment (consent) and what the participant did in the study. */
export type ParticipantRow = {
  assignment: Assignment;
  answers: number;
  sourceClicks: number;
  /** Their input signals summed (api/signals/flags.ts); null when none were recorded. */
  inputSignals: SignalSummary | null;
  attentionChecksPassed: number;
  attentionChecksFailed: number;
};

type Tagged = Pick<
  QueryRecord,
  | "userId"
  | "sessionId"
  | "panelParticipantId"
  | "panelSessionId"
  | "prolificStudyId"
  | "studyId"
  | "condition"
  | "studyVersion"
  | "receivedAt"
  | "clientTime"
>;

/** The participant and study columns every record table starts with (after its own id). */
function recordColumns<R>(of: (row: R) => Tagged): Column<R>[] {
  return [
    {
      name: "user_id",
      type: "string",
      description: "The participant (server-issued id).",
      value: (r) => of(r).userId,
    },
    {
      name: "session_id",
      type: "string",
      description: "The participant's session.",
      value: (r) => of(r).sessionId,
    },
    {
      name: "panel_participant_id",
      type: "string",
      description:
        "The recruiting panel's participant id (Prolific's PROLIFIC_PID) of the session; empty without one.",
      value: (r) => of(r).panelParticipantId,
    },
    {
      name: "panel_session_id",
      type: "string",
      description: "The panel's session id (Prolific's SESSION_ID); empty without one.",
      value: (r) => of(r).panelSessionId,
    },
    {
      name: "prolific_study_id",
      type: "string",
      description: "The panel's study id (Prolific's STUDY_ID); empty without one.",
      value: (r) => of(r).prolificStudyId,
    },
    {
      name: "study_id",
      type: "string",
      description: "The study (studies/<id>.json); empty outside a study.",
      value: (r) => of(r).studyId,
    },
    {
      name: "condition",
      type: "string",
      description: "The participant's condition in the study; empty before consent or outside a study.",
      value: (r) => of(r).condition,
    },
    {
      name: "study_version",
      type: "integer",
      description: "The study's version when the record was stored.",
      value: (r) => of(r).studyVersion,
    },
  ];
}

function timeColumns<R>(of: (row: R) => Tagged): Column<R>[] {
  return [
    {
      name: "received_at",
      type: "datetime",
      description: "When the server stored the record (ISO-8601, UTC, milliseconds).",
      value: (r) => of(r).receivedAt,
    },
    {
      name: "client_time",
      type: "datetime",
      description:
        "The participant's device clock when it happened, as the client sent it; empty if not sent.",
      value: (r) => of(r).clientTime,
    },
  ];
}

const answer = (q: QueryRecord) => q;

export const ANSWER_COLUMNS: Column<QueryRecord>[] = [
  {
    name: "query_id",
    type: "string",
    description: "The answer (one question and its answer).",
    value: (q) => q.id,
  },
  {
    name: "conversation_id",
    type: "string",
    description: "The conversation the question was asked in.",
    value: (q) => q.conversationId,
  },
  ...recordColumns(answer),
  ...timeColumns(answer),
  {
    name: "provider",
    type: "string",
    description:
      "The LLM provider (openai: any OpenAI-compatible API; scripted); empty on answers stored before provenance was kept.",
    value: (q) => q.provenance?.provider ?? null,
  },
  {
    name: "endpoint",
    type: "string",
    description: "The host of the provider's API; empty for scripted answers.",
    value: (q) => q.provenance?.endpoint ?? null,
  },
  {
    name: "requested_model",
    type: "string",
    description: "The model asked for.",
    value: (q) => q.provenance?.requestedModel ?? null,
  },
  {
    name: "model",
    type: "string",
    description: "The model the provider says answered.",
    value: (q) => q.model,
  },
  {
    name: "system_prompt_hash",
    type: "string",
    description: "SHA-256 (hex) of the system prompt sent; empty when none was sent.",
    value: (q) => q.provenance?.systemPromptHash ?? null,
  },
  {
    name: "temperature",
    type: "number",
    description: "The temperature sent to the model; empty when none was sent.",
    value: (q) => q.provenance?.parameters.temperature ?? null,
  },
  {
    name: "parameters",
    type: "json",
    description: "Every generation parameter sent with the call, as JSON.",
    value: (q) => q.provenance?.parameters ?? null,
  },
  {
    name: "study_hash",
    type: "string",
    description: "SHA-256 (hex) of the study file as deployed when the answer was made.",
    value: (q) => q.provenance?.studyHash ?? null,
  },
  {
    name: "sources_shown",
    type: "boolean",
    description: "Whether the participant saw the source list.",
    value: (q) => q.provenance?.sourcesShown ?? null,
  },
  {
    name: "source_order",
    type: "string",
    description: "How the condition ordered the sources: model, reversed, random, fixed or latin-square.",
    value: (q) => q.provenance?.order ?? null,
  },
  {
    name: "latency_ms",
    type: "integer",
    description: "Total time the provider took.",
    unit: "milliseconds",
    value: (q) => q.latencyMs,
  },
  {
    name: "ttft_ms",
    type: "integer",
    description: "Time to the first token of a streamed answer; empty when not streamed or nothing arrived.",
    unit: "milliseconds",
    value: (q) => q.ttftMs,
  },
  {
    name: "prompt_tokens",
    type: "integer",
    description:
      "Prompt tokens the provider reported for the answer (system prompt, history and question); empty when it reported none (scripted answers, servers that send no usage, answers stored before schema 1.1.0).",
    unit: "tokens",
    value: (q) => q.usage?.promptTokens ?? null,
  },
  {
    name: "completion_tokens",
    type: "integer",
    description:
      "Completion tokens the provider reported for the answer (of a stopped or failed answer: what it had reported by then); empty when it reported none.",
    unit: "tokens",
    value: (q) => q.usage?.completionTokens ?? null,
  },
  {
    name: "total_tokens",
    type: "integer",
    description:
      "Total tokens the provider reported for the answer, as it counted them; empty when it reported none.",
    unit: "tokens",
    value: (q) => q.usage?.totalTokens ?? null,
  },
  {
    name: "stopped",
    type: "boolean",
    description: "True when the participant stopped the streamed answer (response holds what had arrived).",
    value: (q) => q.stopped,
  },
  {
    name: "error",
    type: "string",
    description: "Why the answer failed; empty when it did not.",
    value: (q) => q.error,
  },
  {
    name: "history_turns",
    type: "integer",
    description: "Earlier turns of the conversation sent to the model with this question.",
    value: (q) => q.historyTurns,
  },
  {
    name: "n_sources",
    type: "integer",
    description: "Number of sources shown with the answer (0 when the condition hides them).",
    value: (q) => (q.provenance?.sourcesShown === false ? 0 : q.sources.length),
  },
  { name: "query", type: "string", description: "The participant's question.", value: (q) => q.query },
  {
    name: "response",
    type: "string",
    description: "The answer as the model wrote it (what arrived, for a stopped or failed answer).",
    value: (q) => q.response,
  },
  {
    name: "displayed_response",
    type: "string",
    description: "The answer as the participant saw it (markers renumbered or removed by the condition).",
    value: (q) => q.displayedResponse,
  },
  ...ANSWER_SIGNAL_COLUMNS,
];

/** extraData keys the platform itself writes (docs/tracking.md), as columns of `events`. */
const EXTRA_DATA_KEYS: { key: string; name: string; type: ColumnType; description: string; unit?: string }[] =
  [
    { key: "kind", name: "kind", type: "string", description: "BROWSE: page, answer or exposure." },
    {
      key: "pageType",
      name: "page_type",
      type: "string",
      description: "BROWSE page views: the kind of page.",
    },
    {
      key: "scrollDepth",
      name: "scroll_depth",
      type: "number",
      description: "SCROLL: the fraction of the latest answer scrolled into view (0 to 1).",
      unit: "fraction",
    },
    {
      key: "label",
      name: "label",
      type: "string",
      description: "CONVERSION: the element's data-study-target.",
    },
    {
      key: "step",
      name: "step",
      type: "string",
      description:
        "STUDY_STEP: consent_shown, consent_given, consent_declined, task_shown, chat_shown, completed, ended (a part that ended with another outcome than completed; extraData.outcome names it).",
    },
    {
      key: "element",
      name: "element",
      type: "string",
      description: "CLICK: what was clicked (marker, source, link, ...).",
    },
    {
      key: "rank",
      name: "rank",
      type: "integer",
      description: "CLICK: the source's displayed rank (1 first).",
    },
    {
      key: "originalRank",
      name: "original_rank",
      type: "integer",
      description: "CLICK: the source's rank as the model gave it; empty for an injected source.",
    },
    {
      key: "pageViewId",
      name: "page_view_id",
      type: "string",
      description: "The page view the event happened in.",
    },
    {
      key: "seq",
      name: "seq",
      type: "integer",
      description: "The event's number in its page view (0 first).",
    },
    {
      key: "via",
      name: "via",
      type: "string",
      description: "How the event arrived: tracker, redirect, noscript.",
    },
    {
      key: "checkId",
      name: "check_id",
      type: "string",
      description: "ATTENTION_CHECK: the study's attention check replied to.",
    },
    {
      key: "passed",
      name: "passed",
      type: "boolean",
      description: "ATTENTION_CHECK: whether the reply passed the check's rule (judged on the server).",
    },
  ];

/** extraData's value at a key, when extraData is an object. */
const extra = (e: EventRecord, key: string): unknown =>
  e.extraData !== null && typeof e.extraData === "object" && !Array.isArray(e.extraData)
    ? ((e.extraData as Record<string, unknown>)[key] ?? null)
    : null;

const event = (e: EventRecord) => e;

export const EVENT_COLUMNS: Column<EventRecord>[] = [
  {
    name: "event_id",
    type: "string",
    description: "The event (unique; sent by the client).",
    value: (e) => e.eventId,
  },
  ...recordColumns(event),
  ...timeColumns(event),
  {
    name: "event_type",
    type: "string",
    description: "BROWSE, CLICK, SCROLL, CONVERSION, STUDY_STEP or ATTENTION_CHECK (docs/tracking.md).",
    value: (e) => e.eventType,
  },
  {
    name: "query_id",
    type: "string",
    description: "The answer the event is about (answers.query_id); empty when none.",
    value: (e) => e.queryId,
  },
  {
    name: "query",
    type: "string",
    description: "The question the event is about, if sent.",
    value: (e) => e.query,
  },
  { name: "target_url", type: "string", description: "CLICK: the link's URL.", value: (e) => e.targetUrl },
  {
    name: "page_url",
    type: "string",
    description: "The page the event happened on.",
    value: (e) => e.pageUrl,
  },
  ...EXTRA_DATA_KEYS.map(
    ({ key, ...column }): Column<EventRecord> => ({
      ...column,
      description: `extraData.${key}: ${column.description}`,
      value: (e) => extra(e, key),
    }),
  ),
  {
    name: "extra_data",
    type: "json",
    description: "The event's whole extraData, as JSON.",
    value: (e) => e.extraData,
  },
];

export const SOURCE_COLUMNS: Column<SourceRow>[] = [
  {
    name: "query_id",
    type: "string",
    description: "The answer (answers.query_id).",
    value: (s) => s.answer.id,
  },
  { name: "user_id", type: "string", description: "The participant.", value: (s) => s.answer.userId },
  { name: "study_id", type: "string", description: "The study.", value: (s) => s.answer.studyId },
  {
    name: "condition",
    type: "string",
    description: "The participant's condition.",
    value: (s) => s.answer.condition,
  },
  {
    name: "rank",
    type: "integer",
    description: "The displayed rank (1 first).",
    value: (s) => s.source.rank,
  },
  {
    name: "original_rank",
    type: "integer",
    description: "The rank the model gave it; empty for an injected source.",
    value: (s) => s.source.originalRank,
  },
  {
    name: "injected",
    type: "boolean",
    description: "True for a source the condition injected.",
    value: (s) => s.source.injected,
  },
  { name: "title", type: "string", description: "The source's title.", value: (s) => s.source.title },
  { name: "url", type: "string", description: "The source's URL.", value: (s) => s.source.url },
  {
    name: "sources_shown",
    type: "boolean",
    description:
      "Whether the source list was shown (false: the condition hid it; clicks can still come from markers).",
    value: (s) => s.answer.provenance?.sourcesShown ?? null,
  },
  {
    name: "clicked",
    type: "boolean",
    description: "Whether a CLICK event with this answer's query_id and this URL was stored.",
    value: (s) => s.clicks > 0,
  },
  {
    name: "first_click_at",
    type: "datetime",
    description: "When the first such click was stored (server time); empty if never clicked.",
    value: (s) => s.firstClickAt,
  },
  {
    name: "clicks",
    type: "integer",
    description: "How many such clicks were stored.",
    value: (s) => s.clicks,
  },
  {
    name: "seen",
    type: "boolean",
    description:
      "Whether an exposure summary (a BROWSE event with extra_data.kind exposure and this query_id) lists this rank and URL with visibleMs above 0.",
    value: (s) => s.visibleMs !== null && s.visibleMs > 0,
  },
  {
    name: "visible_ms",
    type: "integer",
    description:
      "Time the source was at least half in view: per page view the last summary's visibleMs (the highest), summed over page views; empty when no summary lists it (no tracker, or sources hidden).",
    unit: "milliseconds",
    value: (s) => s.visibleMs,
  },
];

export const PARTICIPANT_COLUMNS: Column<ParticipantRow>[] = [
  { name: "user_id", type: "string", description: "The participant.", value: (p) => p.assignment.userId },
  { name: "study_id", type: "string", description: "The study.", value: (p) => p.assignment.studyId },
  {
    name: "condition",
    type: "string",
    description: "The condition assigned at consent.",
    value: (p) => p.assignment.condition,
  },
  {
    name: "study_version",
    type: "integer",
    description: "The study's version at consent.",
    value: (p) => p.assignment.studyVersion,
  },
  {
    name: "panel_participant_id",
    type: "string",
    description: "The panel participant id (PROLIFIC_PID) of the session that consented; empty without one.",
    value: (p) => p.assignment.panelParticipantId,
  },
  {
    name: "linked_to",
    type: "string",
    description:
      "The participant whose assignment this copies (same panel id, another session); empty otherwise.",
    value: (p) => p.assignment.linkedTo,
  },
  {
    name: "consented_at",
    type: "datetime",
    description: "When the participant consented (and was assigned).",
    value: (p) => p.assignment.assignedAt,
  },
  {
    name: "finished_at",
    type: "datetime",
    description:
      "When the participant finished the study; empty while they take part (or after the filter's `to`).",
    value: (p) => p.assignment.finishedAt,
  },
  {
    name: "time_on_task_s",
    type: "number",
    description: "Consent to finish; empty when not finished.",
    unit: "seconds",
    value: (p) =>
      p.assignment.finishedAt === null
        ? null
        : (Date.parse(p.assignment.finishedAt) - Date.parse(p.assignment.assignedAt)) / 1000,
  },
  {
    name: "answers",
    type: "integer",
    description: "Answers the participant got in the study.",
    value: (p) => p.answers,
  },
  {
    name: "source_clicks",
    type: "integer",
    description: "CLICK events on the participant's answers (with a query_id) in the study.",
    value: (p) => p.sourceClicks,
  },
  {
    name: "attention_checks_passed",
    type: "integer",
    description:
      "The participant's replies to the study's attention checks that passed (ATTENTION_CHECK events).",
    value: (p) => p.attentionChecksPassed,
  },
  {
    name: "attention_checks_failed",
    type: "integer",
    description:
      "The participant's replies to the study's attention checks that failed (ATTENTION_CHECK events).",
    value: (p) => p.attentionChecksFailed,
  },
  {
    name: "completed",
    type: "boolean",
    description:
      "Whether the participant's part of the study ended, with any outcome (see outcome); false while they take part.",
    value: (p) => p.assignment.finishedAt !== null,
  },
  {
    name: "outcome",
    type: "string",
    description:
      "How the participant's part ended: completed, timed-out (completion.maxSeconds passed), failed-attention-check, screened-out or the study's own outcome; empty while they take part (or after the filter's `to`). Participants who finished before schema 1.2.0 have completed.",
    value: (p) => p.assignment.outcome,
  },
  ...PARTICIPANT_SIGNAL_COLUMNS,
];

export const TABLES = {
  answers: ANSWER_COLUMNS,
  sources: SOURCE_COLUMNS,
  events: EVENT_COLUMNS,
  participants: PARTICIPANT_COLUMNS,
} as const;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/**
 * The schema version of the tables: raised when a column is added, renamed
 * or changes meaning. 1.2.0 added participants.outcome (and
 * participants.completed now means any outcome), the input signals,
 * participants.attention_checks_passed and attention_checks_failed,
 * events.check_id and events.passed.
 */
export const SCHEMA_VERSION = "1.2.0";

/**
 * The columns each schema version added, as "<table>.<column>", listed in
 * dataset_description.json (and docs/export.md).
 */
export const COLUMNS_ADDED: Record<string, string[]> = {
  "1.2.0": [
    "participants.outcome",
    "participants.attention_checks_passed",
    "participants.attention_checks_failed",
    "events.check_id",
    "events.passed",
    // signals: the input signals' columns (api/export/signal-columns.ts).
    ...ANSWER_SIGNAL_COLUMNS.map((c) => `answers.${c.name}`),
    ...PARTICIPANT_SIGNAL_COLUMNS.map((c) => `participants.${c.name}`),
  ],
};
