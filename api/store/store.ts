/**
 * The storage port. Narrow and typed on purpose: every adapter (D1 now,
 * MongoDB later) implements exactly these operations, so the schema code
 * never sees a query language.
 */

export const EVENT_TYPES = ["BROWSE", "CLICK", "SCROLL", "CONVERSION", "STUDY_STEP"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const RECORD_KINDS = ["QUERY", "EVENT"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export type Source = { rank: number; title: string; url: string; content: string | null };

/** Fields every stored record carries. Times are ISO-8601 strings in UTC with milliseconds. */
type RecordBase = {
  id: string;
  userId: string;
  sessionId: string;
  /** Prolific's STUDY_ID (or another recruiting platform's study id) when the participant came with one. */
  prolificStudyId: string | null;
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
  response: string | null;
  sources: Source[];
  model: string;
  /** Total time the provider took, in milliseconds. */
  latencyMs: number | null;
  /** Time to the first token of a streamed answer, in milliseconds; null when not streamed or nothing arrived. */
  ttftMs: number | null;
  /** True when the participant stopped the streamed answer: `response` holds what had arrived. */
  stopped: boolean;
  error: string | null;
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
};

/** A participant's condition in a study: made once, when they consent, and kept. */
export type Assignment = {
  studyId: string;
  userId: string;
  condition: string;
  studyVersion: number;
  /** Arrival number in the study (0, 1, 2, ...): unique per study, the basis of balanced assignment. */
  seq: number;
  /** Messages the participant has sent in the study (each one taken with takeTurn). */
  turns: number;
  assignedAt: string;
};

export type NewAssignment = {
  studyId: string;
  userId: string;
  studyVersion: number;
  /** Picks the condition for the arrival number the store reserved. */
  choose: (seq: number) => string;
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

export type ExportPage = {
  records: { cursor: string; record: LogRecord }[];
  hasNextPage: boolean;
};

export type ComponentHealth = { ok: boolean; latencyMs: number | null; detail: string | null };

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
   * One page of records in export order (oldest first in server time), after
   * the opaque `after` cursor. Throws InvalidCursorError for a cursor that
   * this store did not make.
   */
  exportPage(filter: ExportFilter, first: number, after: string | null): Promise<ExportPage>;
  count(filter: ExportFilter): Promise<number>;
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
  /** The participant's conversations in this study (null: outside any study), newest first. */
  conversations(userId: string, studyId: string | null): Promise<ConversationSummary[]>;
  /** Withdrawal: deletes every query and event of the participant in the study, and the assignment. */
  deleteParticipant(studyId: string, userId: string): Promise<{ queries: number; events: number }>;
  ping(): Promise<ComponentHealth>;
}

export class InvalidCursorError extends Error {
  constructor() {
    super("not a cursor that this API returned");
    this.name = "InvalidCursorError";
  }
}

/** The store failed (unreachable, refused, timed out): an expected error, shown as STORE_UNAVAILABLE. */
export class StoreUnavailableError extends Error {
  constructor(store: string, options: { cause: unknown }) {
    super(`the ${store} store failed`, options);
    this.name = "StoreUnavailableError";
  }
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
    exportPage: guard(store.exportPage),
    count: guard(store.count),
    assign: guard(store.assign),
    getAssignment: guard(store.getAssignment),
    takeTurn: guard(store.takeTurn),
    conversations: guard(store.conversations),
    deleteParticipant: guard(store.deleteParticipant),
    ping: () => store.ping(),
  };
}
