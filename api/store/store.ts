/**
 * The storage port. Narrow and typed on purpose: every adapter (D1 now,
 * MongoDB later) implements exactly these operations, so the schema code
 * never sees a query language.
 */

export const EVENT_TYPES = ["BROWSE", "CLICK", "SCROLL", "CONVERSION"] as const;
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
  receivedAt: string;
  clientTime: string | null;
};

export type QueryRecord = RecordBase & {
  kind: "QUERY";
  conversationId: string;
  query: string;
  response: string | null;
  sources: Source[];
  model: string;
  latencyMs: number | null;
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
    ping: () => store.ping(),
  };
}
