/**
 * The storage port. Narrow and typed on purpose: every adapter (D1 now,
 * MongoDB later) implements exactly these operations, so the schema code
 * never sees a query language.
 */

import type {
  AnswerPresentation,
  ComponentHealth,
  EventType,
  Provenance,
  RecordKind,
  ShownSource,
  Source,
  TokenUsage,
} from "../domain/records";

export type {
  AnswerPresentation,
  ComponentHealth,
  EventType,
  Provenance,
  RecordKind,
  ShownSource,
  Source,
  TokenUsage,
};

/** Limits every adapter keeps, so the stores behave alike. */
export const STORE_LIMITS = {
  /** How many conversations `conversations` lists (the newest). */
  conversations: 100,
  /** How many arrival numbers one `assign` call tries before it gives up (each taken by a concurrent call). */
  assignAttempts: 50,
  /** How many hours of activity (the latest with any) `studyMonitor` returns: a week. */
  monitorHours: 168,
} as const;

/** Fields every stored record carries. Times are ISO-8601 strings in UTC with milliseconds. */
type RecordBase = {
  id: string;
  userId: string;
  sessionId: string;
  /** Prolific's STUDY_ID (or another recruiting platform's study id) when the participant came with one. */
  prolificStudyId: string | null;
  /**
   * The recruiting panel's participant id (Prolific's PROLIFIC_PID) bound to
   * the participant's session; never the participant id itself, which the
   * server issues (docs/decisions/007-participant-identity.md).
   */
  panelParticipantId: string | null;
  /** The panel's session id (Prolific's SESSION_ID) bound to the participant's session. */
  panelSessionId: string | null;
  /** The study (studies/<id>.json) the record belongs to; null outside a study. */
  studyId: string | null;
  /** The participant's condition in that study; null before they consented (or outside a study). */
  condition: string | null;
  /** The study's version when the record was stored. */
  studyVersion: number | null;
  receivedAt: string;
  clientTime: string | null;
};

/** The study fields of a record, resolved by the API from the participant's assignment. */
export type StudyTag = Pick<RecordBase, "studyId" | "condition" | "studyVersion">;
export const NO_STUDY: StudyTag = { studyId: null, condition: null, studyVersion: null };

export type QueryRecord = RecordBase & {
  kind: "QUERY";
  conversationId: string;
  query: string;
  /** The answer's text as the model wrote it (what arrived, for a stopped or broken answer). */
  response: string | null;
  /** The text as the participant saw it: markers renumbered or removed by the condition (presentation.ts). */
  displayedResponse: string | null;
  /** The sources in the order the condition shows them (also when it hides them: see provenance.sourcesShown). */
  sources: ShownSource[];
  /** The sources as the model returned them, in its order, none cut or injected. */
  modelSources: Source[];
  /** The model the provider says answered (provenance.requestedModel is the one asked for). */
  model: string;
  /** What produced the answer and how it was shown; null on records stored before it was kept (migration 0004). */
  provenance: Provenance | null;
  /** Total time the provider took, in milliseconds. */
  latencyMs: number | null;
  /** Time to the first token of a streamed answer, in milliseconds; null when not streamed or nothing arrived. */
  ttftMs: number | null;
  /** True when the participant stopped the streamed answer: `response` holds what had arrived. */
  stopped: boolean;
  /**
   * How many earlier turns (question and answer pairs) of the conversation
   * were sent to the model with this message: the history is capped by size,
   * so it can be fewer than the conversation had. 0 for a first message.
   */
  historyTurns: number;
  error: string | null;
  /**
   * The tokens the provider reported for the answer (also for a stopped or
   * failed one, when it reported them before); null when it reported none
   * (scripted answers, servers that ignore stream_options.include_usage,
   * answers stored before usage was kept: migration 0006).
   */
  usage: TokenUsage | null;
};

export type EventRecord = RecordBase & {
  kind: "EVENT";
  eventId: string;
  eventType: EventType;
  query: string | null;
  queryId: string | null;
  targetUrl: string | null;
  pageUrl: string | null;
  extraData: unknown;
};

export type LogRecord = QueryRecord | EventRecord;

export type NewQuery = Omit<QueryRecord, "kind" | "receivedAt">;
export type NewEvent = Omit<EventRecord, "kind" | "receivedAt" | "id">;

export type RecordedEvent = { eventId: string; duplicate: boolean; receivedAt: string };

export type ExportFilter = {
  kinds?: RecordKind[];
  userIds?: string[];
  sessionIds?: string[];
  /** Queries have no event type: a filter on event types returns events only. */
  eventTypes?: EventType[];
  /** Server time, inclusive. */
  from?: string;
  /** Server time, exclusive. */
  to?: string;
  studyIds?: string[];
  conditions?: string[];
  /** Panel participant ids (PROLIFIC_PID). */
  panelParticipantIds?: string[];
};

/** A participant's condition in a study: made once, when they consent, and kept. */
export type Assignment = {
  studyId: string;
  userId: string;
  condition: string;
  studyVersion: number;
  /**
   * Arrival number in the study (0, 1, 2, ...): unique per study, the basis
   * of balanced assignment. Null for a linked participant, who takes no
   * arrival number (they are the same panel participant on another device).
   */
  seq: number | null;
  /** Messages the participant has sent in the study (each one taken with takeTurn). */
  turns: number;
  assignedAt: string;
  /** The panel participant id (PROLIFIC_PID) of the session that consented, if any. */
  panelParticipantId: string | null;
  /**
   * The participant whose assignment this one copies (same panel id, seen in
   * a new session): same condition, own turns, conversations, finish and
   * withdrawal. Null for a participant assigned in their own right.
   */
  linkedTo: string | null;
  /** When the participant finished the study (finishAssignment); null while they take part. */
  finishedAt: string | null;
  /**
   * How the participant's part ended (finishAssignment: `completed`,
   * `timed-out`, `failed-attention-check`, `screened-out` or a study's own
   * outcome); null while they take part. Set with finishedAt, once.
   */
  outcome: string | null;
};

export type NewAssignment = {
  studyId: string;
  userId: string;
  studyVersion: number;
  panelParticipantId: string | null;
  /** Picks the condition for the arrival number the store reserved. */
  choose: (seq: number) => string;
  /**
   * Link to this existing assignment instead of drawing: the new one gets its
   * condition, no arrival number (seq null) and linkedTo = its userId.
   */
  linkTo?: Assignment;
};

/** An audit entry of a withdrawal: no content, only what researchers must account for. */
export type NewWithdrawal = {
  id: string;
  studyId: string;
  studyVersion: number;
  /** The participant's condition; null when they withdrew before an assignment. */
  condition: string | null;
  /** HMAC of the panel participant id (PROLIFIC_PID), when the session had one. */
  panelIdHmac: string | null;
  /** HMAC of the server participant id. */
  participantHmac: string;
  /** Who withdrew them: the participant, or a researcher (by id). */
  by: "participant" | "researcher";
};

export type Withdrawal = NewWithdrawal & {
  withdrawnAt: string;
  deletedQueries: number;
  deletedEvents: number;
};

/** A study's definition as deployed, registered with its first use (api/studies/deployed.ts). */
export type NewStudyDefinition = {
  studyId: string;
  version: number;
  /** definitionHash of the file as written (api/studies/definition-hash.ts). */
  hash: string;
  /** The study file's JSON as written. */
  definition: unknown;
};

export type StudyDefinitionRecord = NewStudyDefinition & {
  /** When this (study, version) was first registered: the store's clock. */
  firstSeenAt: string;
};

/** One conversation of a participant, for their history list. */
export type ConversationSummary = {
  conversationId: string;
  /** The first message, which names the conversation. */
  title: string;
  turns: number;
  startedAt: string;
  lastAt: string;
};

/**
 * A study's live monitor, counted by the store (aggregates, never every
 * record in the Worker): docs/research.md says what each number counts.
 */
export type StudyMonitor = {
  /** Distinct participants with a STUDY_STEP consent_shown event in the study (before any assignment). */
  consentShown: number;
  /** Distinct participants with a STUDY_STEP consent_declined event in the study. */
  consentDeclined: number;
  /** Withdrawals (the audit) of participants who had no assignment yet. */
  withdrawnUnassigned: number;
  /** Panel participant ids (PROLIFIC_PID) that more than one of the study's assignments carry. */
  duplicatePanelIds: number;
  /** One entry per condition that the study's assignments, answers or withdrawals name, by condition id. */
  conditions: ConditionMonitor[];
  /** Answers and events per hour (UTC, `2026-01-31T13`), oldest first: the latest STORE_LIMITS.monitorHours hours with any. */
  activity: { hour: string; answers: number; events: number }[];
};

export type ConditionMonitor = {
  condition: string;
  /** Participants assigned to it (withdrawn ones are gone from the assignments). */
  consented: number;
  /** Of them, those who have not finished. */
  inProgress: number;
  finished: number;
  /** Withdrawals in the audit with this condition. */
  withdrawn: number;
  answers: number;
  /** Distinct participants with at least one answer. */
  answering: number;
  /** Answers whose error is not null (the LLM failed). */
  failures: number;
  /** Answers the participant stopped. */
  stopped: number;
  /**
   * Medians over the answers that have the value; null when none has. An
   * even count's median is the mean of the two middle values.
   */
  medianLatencyMs: number | null;
  medianTtftMs: number | null;
  /** The tokens its answers used, as the providers reported them (TokenTotals). */
  tokens: TokenTotals;
};

/**
 * Sums of the token usage that providers reported for a condition's answers
 * (QueryRecord.usage); an answer without usage (a scripted one, a provider
 * that sends none) adds nothing but is not counted in answersWithUsage, and a
 * count missing from a report adds 0.
 */
export type TokenTotals = {
  answersWithUsage: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
};

/**
 * How many of a study's answers one combination of what produced them gave:
 * its condition, study version and hash, provider, models and system prompt
 * (QueryRecord.provenance). More than one row for a condition means its
 * answers were not all produced alike (a changed prompt, model or file).
 */
export type AnswerProvenanceCount = {
  condition: string;
  studyVersion: number | null;
  /** Null for answers stored before provenance was recorded (their provider, prompt and parameters too). */
  studyHash: string | null;
  provider: string | null;
  requestedModel: string | null;
  /** The model the provider says answered. */
  model: string;
  systemPromptHash: string | null;
  parameters: Record<string, number | null> | null;
  answers: number;
};

/**
 * Edges of the time-on-task histogram in ms (consent to finish): a bucket
 * runs from one edge (inclusive) to the next (exclusive), the last from the
 * last edge with no end. Finer where study sessions are short (seconds,
 * minutes), coarser past an hour.
 */
export const DURATION_EDGES_MS = [
  0, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_200_000, 1_800_000, 2_700_000, 3_600_000,
  5_400_000, 7_200_000,
] as const;

/** questionsPerParticipant counts 0 to this many - 1 questions one by one, then "at least" this many. */
export const QUESTIONS_AT_LEAST = 10;

/** scrollDepth's buckets: this many of equal width over 0..1, the last including 1. */
export const DEPTH_BUCKETS = 10;

export type DurationBucket = { fromMs: number; toMs: number | null; participants: number };

/** Consent (assignment) to finish, over the condition's finished participants. */
export type TimeOnTask = {
  finished: number;
  /** Exact median in ms (an even count: the mean of the two middle values); null when nobody finished. */
  medianMs: number | null;
  /** One bucket per DURATION_EDGES_MS edge, in order, empty ones too. */
  buckets: DurationBucket[];
};

/** Consented participants who asked `questions` questions (at least that many when `atLeast`). */
export type QuestionCount = { questions: number; atLeast: boolean; participants: number };

export type DepthBucket = { from: number; to: number; participants: number };

/** Each participant's deepest extraData.scrollDepth (a number 0..1) over their SCROLL events. */
export type ScrollDepth = {
  /** Participants with at least one SCROLL event with a scrollDepth. */
  participants: number;
  /** DEPTH_BUCKETS buckets, from (inclusive) to (exclusive; the last includes 1). */
  buckets: DepthBucket[];
};

/** CONVERSION events with this extraData.label (a string), and the distinct participants who sent them. */
export type ConversionCount = { label: string; events: number; participants: number };

/**
 * A condition's participant measures (studyMeasures), over its consented
 * participants (their assignments: withdrawn ones are gone) and their
 * records in the study.
 */
export type ConditionMeasures = {
  condition: string;
  timeOnTask: TimeOnTask;
  /** From 0 questions to QUESTIONS_AT_LEAST (the last "at least"), every entry present. */
  questionsPerParticipant: QuestionCount[];
  scrollDepth: ScrollDepth;
  /** By label, in code-point order. */
  conversions: ConversionCount[];
};

export type ExportPage = {
  records: { cursor: string; record: LogRecord }[];
  hasNextPage: boolean;
};

/** Clicks (CLICK events) with one answer's queryId and one targetUrl. */
export type SourceClicks = { queryId: string; targetUrl: string; clicks: number; firstClickAt: string };

/**
 * Exposure of one source of an answer (queryId, its displayed rank and URL),
 * from the BROWSE events with extraData.kind "exposure" that list it
 * (docs/tracking.md#exposure): per page view the highest visibleMs of its
 * summaries (they hold running totals), summed over page views.
 */
export type SourceExposure = { queryId: string; rank: number; url: string; visibleMs: number };

/** Click-through counts of the sources shown at one rank (or of all of a condition's sources). */
export type ClickThroughCounts = {
  /** Sources shown: one per answer and displayed rank, of answers whose condition shows its sources. */
  shown: number;
  /** Of them, those an exposure summary lists (same rank and URL) with visibleMs > 0. */
  seen: number;
  /** Of them, those with at least one CLICK event with the answer's queryId and the source's URL. */
  clicked: number;
  /** Of them, those seen and clicked. */
  seenClicked: number;
};

export type RankClickThrough = ClickThroughCounts & { rank: number };

/**
 * A condition's click-through, counted by the store: totals, and the same
 * counts by displayed rank and by original rank (injected sources, with
 * no original rank, count only by displayed rank); ranks ascending, only
 * ranks with sources shown.
 */
export type ClickThrough = ClickThroughCounts & {
  byDisplayedRank: RankClickThrough[];
  byOriginalRank: RankClickThrough[];
};

export type ConditionClickThrough = ClickThrough & { condition: string };

/** A participant's assignment with what they did in the study: the `participants` download's row. */
export type ParticipantActivity = {
  cursor: string;
  assignment: Assignment;
  /** Queries (answers) of the participant in the study. */
  answers: number;
  /** CLICK events of the participant in the study with a queryId (clicks on an answer's links and sources). */
  sourceClicks: number;
};

/** The participants' order: by consent (assignedAt, studyId, userId), oldest or newest first. */
export type ParticipantOrder = "oldest" | "newest";

export type ParticipantPage = { rows: ParticipantActivity[]; hasNextPage: boolean };

export interface Store {
  /** Adapter name shown in `status`: d1, mongodb, mongodb-data-api. */
  readonly name: string;
  recordQuery(query: NewQuery): Promise<QueryRecord>;
  getQuery(id: string): Promise<QueryRecord | null>;
  /** Earlier turns of a conversation of this participant, oldest first. */
  conversationTurns(conversationId: string, userId: string): Promise<QueryRecord[]>;
  /**
   * Stores events idempotently on eventId, in one round trip to the store.
   * Returns one result per input event, in input order.
   */
  recordEvents(events: NewEvent[]): Promise<RecordedEvent[]>;
  /**
   * A participant's own events (logEvents, the tracker), stored as
   * recordEvents stores them, with the consent rule applied in the same
   * write: an event of a study takes the condition of its participant's
   * assignment in that study as it is at the moment of writing (the events'
   * `condition` is not read); an event of a study whose participant has no
   * assignment there (before consent, after withdrawal) is not stored and
   * its result is null, except STUDY_STEP events (stored, condition null).
   * Events outside any study are stored as they are. One round trip where
   * the store allows it (D1: the consent check is part of the insert).
   */
  recordParticipantEvents(events: NewEvent[]): Promise<(RecordedEvent | null)[]>;
  /**
   * One page of records in export order (oldest first in server time), after
   * the opaque `after` cursor. Throws InvalidCursorError for a cursor that
   * this store did not make.
   */
  exportPage(filter: ExportFilter, first: number, after: string | null): Promise<ExportPage>;
  count(filter: ExportFilter): Promise<number>;
  /**
   * Per answer of `queryIds` and clicked URL: how many CLICK events carry that
   * queryId and targetUrl, and when the first was stored; only clicks stored
   * before `before` (exclusive) when it is given. Pairs never clicked are absent.
   */
  sourceClicks(queryIds: string[], before: string | null): Promise<SourceClicks[]>;
  /**
   * Per source of the answers of `queryIds` that an exposure summary lists
   * (by rank and URL): its SourceExposure, from the events stored before
   * `before` (exclusive) when it is given. Sources no summary lists are absent.
   */
  sourceExposure(queryIds: string[], before: string | null): Promise<SourceExposure[]>;
  /**
   * One page of assignments in the order (assignedAt, studyId, userId), after
   * the opaque `after` cursor, each with its counts of answers and source
   * clicks. The filter's studyIds, conditions, userIds and
   * panelParticipantIds select assignments by their own fields, from and to
   * by assignedAt; the counts take only records stored before `to`. Other
   * filter fields are ignored. `order` "newest" walks the same order
   * backwards (the latest consent first; its cursors continue backwards).
   * Throws InvalidCursorError for a cursor that this store did not make.
   */
  exportParticipants(
    filter: ExportFilter,
    first: number,
    after: string | null,
    order?: ParticipantOrder,
  ): Promise<ParticipantPage>;
  /**
   * Which of these study ids and conditions are on any stored query, event
   * or assignment (a retired study's records keep its ids exportable).
   */
  storedStudyValues(values: {
    studyIds: string[];
    conditions: string[];
  }): Promise<{ studyIds: string[]; conditions: string[] }>;
  /**
   * The participant's assignment in the study, made with `choose` if there is
   * none yet. Concurrent calls reserve distinct arrival numbers (seq), and a
   * participant gets one assignment however many calls race.
   */
  assign(input: NewAssignment): Promise<{ assignment: Assignment; created: boolean }>;
  getAssignment(studyId: string, userId: string): Promise<Assignment | null>;
  /**
   * Counts one more message of an assigned participant, atomically, if they
   * have sent fewer than `limit` (null: no limit). False when the limit is
   * reached or there is no assignment. Concurrent calls never exceed it.
   */
  takeTurn(studyId: string, userId: string, limit: number | null): Promise<boolean>;
  /**
   * The first assignment in the study made for this panel participant id
   * (linkedTo null), if any: a new session with the same PROLIFIC_PID is
   * linked to it.
   */
  findPanelAssignment(studyId: string, panelParticipantId: string): Promise<Assignment | null>;
  /**
   * Ends the participant's part with this outcome, once: the first end wins.
   * `first` is true only for the call that set finishedAt and the outcome
   * (concurrent calls: exactly one); a later call, with any outcome, returns
   * the stored assignment (its outcome unchanged) with first false. Null when
   * there is no assignment. After it, takeTurn returns false.
   */
  finishAssignment(
    studyId: string,
    userId: string,
    outcome: string,
  ): Promise<{ assignment: Assignment; first: boolean } | null>;
  /** The participant's conversations in this study (null: outside any study), newest first. */
  conversations(userId: string, studyId: string | null): Promise<ConversationSummary[]>;
  /**
   * Withdrawal, atomically: deletes every query and event of the participant
   * in the study, their records outside any study (the open chat), and the
   * assignment, and stores the audit entry with the counts deleted.
   */
  withdrawParticipant(
    userId: string,
    withdrawal: NewWithdrawal,
  ): Promise<{ queries: number; events: number }>;
  /** The audit entries of a study (null: every study), oldest first. */
  listWithdrawals(studyId: string | null): Promise<Withdrawal[]>;
  /** True when an audit entry of the study has one of these HMACs as its participantHmac or panelIdHmac. */
  isWithdrawn(studyId: string, hmacs: string[]): Promise<boolean>;
  /**
   * For each of these panel participant ids, how many distinct participants
   * (userId) have records or assignments with it. Ids with none are absent.
   */
  panelParticipantCounts(panelParticipantIds: string[]): Promise<Map<string, number>>;
  /**
   * Deployment-wide counter: counts one more use of `key` (e.g. the LLM calls
   * of one hour, "llm:2026-12-01T13") if fewer than `limit` were counted,
   * atomically. False once the limit is reached.
   */
  takeBudget(key: string, limit: number): Promise<boolean>;
  /**
   * Stores the definition of a (study, version) if none is stored yet, and
   * returns the stored one: the first ever registered (concurrent calls
   * store one; a later call with another hash gets the first back).
   */
  registerStudyDefinition(entry: NewStudyDefinition): Promise<StudyDefinitionRecord>;
  /** The registered definitions of a study (null: every study), by study id, then version. */
  studyDefinitions(studyId: string | null): Promise<StudyDefinitionRecord[]>;
  /** The study's monitor: counts and medians computed by the store (StudyMonitor). */
  studyMonitor(studyId: string): Promise<StudyMonitor>;
  /** The study's answers counted by what produced them, by condition, then study version, then most answers first. */
  answerProvenance(studyId: string): Promise<AnswerProvenanceCount[]>;
  /**
   * The study's participant measures per condition (ConditionMeasures),
   * computed by the store: one entry per condition that an assignment
   * names, by condition id; none for a study without assignments.
   */
  studyMeasures(studyId: string): Promise<ConditionMeasures[]>;
  /**
   * The click-through of each condition of the study with answers whose
   * sources were shown (ClickThrough), by condition id; counted by the store.
   */
  studyClickThrough(studyId: string): Promise<ConditionClickThrough[]>;
  ping(): Promise<ComponentHealth>;
}

/** The study definitions as deployed: each adapter keeps them in a file of their own. */
export type StudyDefinitionOperations = Pick<Store, "registerStudyDefinition" | "studyDefinitions">;

/** The operations on participants (assignment, finishing, withdrawal): each adapter keeps them in a file of their own. */
export type ParticipantOperations = Pick<
  Store,
  | "assign"
  | "getAssignment"
  | "takeTurn"
  | "findPanelAssignment"
  | "finishAssignment"
  | "withdrawParticipant"
  | "listWithdrawals"
  | "isWithdrawn"
  | "panelParticipantCounts"
>;

export class InvalidCursorError extends Error {
  constructor() {
    super("not a cursor that this API returned");
    this.name = "InvalidCursorError";
  }
}

/** The store failed (unreachable, refused, timed out): an expected error, shown as STORE_UNAVAILABLE. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly store: string,
    options: { cause: unknown },
  ) {
    super(`the ${store} store failed`, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * How a store failure is logged for the operator: one line with the
 * adapter, the error's class and the first line of its message (at most 200
 * characters), never a stack or what a record held.
 */
export function storeFailureLine(store: string, what: string, error: unknown): string {
  const cause = error instanceof StoreUnavailableError ? error.cause : error;
  const name = cause instanceof Error ? cause.name : typeof cause;
  const message = cause instanceof Error ? (cause.message.split("\n")[0] ?? "").slice(0, 200) : "";
  return `${store} store ${what}: ${name}${message ? `: ${message}` : ""}`;
}

/**
 * Every adapter's failures reach the API as StoreUnavailableError (a bad
 * cursor stays what it is), so callers get one stable code whichever store
 * runs, and the adapter's own error text (which may name hosts or internals)
 * is only logged.
 */
export function withStoreErrors(store: Store): Store {
  const guard =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await operation(...args);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw error;
        throw new StoreUnavailableError(store.name, { cause: error });
      }
    };
  return {
    name: store.name,
    recordQuery: guard(store.recordQuery),
    getQuery: guard(store.getQuery),
    conversationTurns: guard(store.conversationTurns),
    recordEvents: guard(store.recordEvents),
    recordParticipantEvents: guard(store.recordParticipantEvents),
    exportPage: guard(store.exportPage),
    count: guard(store.count),
    sourceClicks: guard(store.sourceClicks),
    sourceExposure: guard(store.sourceExposure),
    exportParticipants: guard(store.exportParticipants),
    storedStudyValues: guard(store.storedStudyValues),
    assign: guard(store.assign),
    getAssignment: guard(store.getAssignment),
    takeTurn: guard(store.takeTurn),
    findPanelAssignment: guard(store.findPanelAssignment),
    finishAssignment: guard(store.finishAssignment),
    conversations: guard(store.conversations),
    withdrawParticipant: guard(store.withdrawParticipant),
    listWithdrawals: guard(store.listWithdrawals),
    isWithdrawn: guard(store.isWithdrawn),
    panelParticipantCounts: guard(store.panelParticipantCounts),
    takeBudget: guard(store.takeBudget),
    registerStudyDefinition: guard(store.registerStudyDefinition),
    studyDefinitions: guard(store.studyDefinitions),
    studyMonitor: guard(store.studyMonitor),
    answerProvenance: guard(store.answerProvenance),
    studyMeasures: guard(store.studyMeasures),
    studyClickThrough: guard(store.studyClickThrough),
    ping: () => store.ping(),
  };
}

/** Whether the consent rule keeps an event of this condition (null: no assignment). */
export const consentKeeps = (e: Pick<NewEvent, "studyId" | "eventType">, condition: string | null): boolean =>
  e.studyId === null || condition !== null || e.eventType === "STUDY_STEP";

/**
 * recordParticipantEvents for a store that cannot check consent inside its
 * write: one assignment read per study of the batch, then recordEvents.
 */
export async function recordParticipantEventsByLookup(
  store: Pick<Store, "getAssignment" | "recordEvents">,
  events: NewEvent[],
): Promise<(RecordedEvent | null)[]> {
  const conditions = new Map<string, Promise<string | null>>();
  const conditionOf = (e: NewEvent): Promise<string | null> | null => {
    if (e.studyId === null) return null;
    const key = JSON.stringify([e.studyId, e.userId]);
    let condition = conditions.get(key);
    if (!condition) {
      condition = store.getAssignment(e.studyId, e.userId).then((a) => a?.condition ?? null);
      conditions.set(key, condition);
    }
    return condition;
  };
  const tagged = await Promise.all(
    events.map(async (e) => {
      const lookup = conditionOf(e);
      if (lookup === null) return e;
      const condition = await lookup;
      return consentKeeps(e, condition) ? { ...e, condition } : null;
    }),
  );
  const kept = tagged.filter((e) => e !== null);
  const results = kept.length > 0 ? await store.recordEvents(kept) : [];
  let next = 0;
  return tagged.map((e) => (e === null ? null : (results[next++] ?? null)));
}
