import { expect } from "vitest";
import type {
  EventRecord,
  ExportFilter,
  LogRecord,
  NewAssignment,
  NewEvent,
  NewQuery,
  NewWithdrawal,
  QueryRecord,
  Store,
} from "../../api/store/store";

/**
 * What every area of the Store contract uses: fresh ids, records to store and
 * what the store should give back for them, the port's filter semantics as a
 * reference, and a full export that checks paging on the way. Only what a
 * caller of the port can observe: nothing here knows any adapter.
 */

/** How an area reaches the store under test (set up once, before its tests run). */
export type GetStore = () => Store;

/** ISO-8601 in UTC with milliseconds and a Z: every time the store gives back. */
const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** How far a store's clock may be from the test's and still count as "now". */
const CLOCK_TOLERANCE_MS = 60_000;

export const uid = (prefix: string): string => `${prefix}-${crypto.randomUUID()}`;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const plusMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

const keyOf = (record: LogRecord): string => `${record.kind}:${record.id}`;

export const idsOf = (records: LogRecord[]): string[] => records.map((r) => r.id);

export const sortedById = <T extends { id: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * The ids of `groups` in write order, group after group; inside a group (one
 * batch, or writes that ran concurrently) in the order `actual` has them,
 * since the port promises no order among records stored in the same instant.
 * Equal to `actual` exactly when the export kept the write order.
 */
export function inWriteOrder(actual: string[], groups: string[][]): string[] {
  const position = new Map(actual.map((id, i) => [id, i]));
  const at = (id: string) => position.get(id) ?? Number.POSITIVE_INFINITY;
  return groups.flatMap((group) => [...group].sort((a, b) => at(a) - at(b)));
}

export function newQuery(fields: Partial<NewQuery> & { userId: string }): NewQuery {
  return {
    id: uid("query"),
    conversationId: uid("conversation"),
    sessionId: `${fields.userId}-session`,
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    studyId: null,
    condition: null,
    studyVersion: null,
    query: "Is coffee bad for sleep?",
    response: "It can be, if you drink it late.",
    displayedResponse: "It can be, if you drink it late.",
    sources: [],
    modelSources: [],
    provenance: null,
    model: "test-model",
    latencyMs: 120,
    ttftMs: null,
    stopped: false,
    historyTurns: 0,
    error: null,
    usage: null,
    clientTime: null,
    ...fields,
  };
}

export function newEvent(fields: Partial<NewEvent> & { userId: string }): NewEvent {
  return {
    eventId: uid("event"),
    sessionId: `${fields.userId}-session`,
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    studyId: null,
    condition: null,
    studyVersion: null,
    eventType: "SCROLL",
    query: null,
    queryId: null,
    targetUrl: null,
    pageUrl: null,
    extraData: null,
    clientTime: null,
    ...fields,
  };
}

/** An assignment to make: version 1, no panel id, condition "c", unless given. */
export function newAssignment(
  fields: Partial<NewAssignment> & { studyId: string; userId: string },
): NewAssignment {
  return { studyVersion: 1, panelParticipantId: null, choose: () => "c", ...fields };
}

/** An audit entry to store, with fresh id and HMACs unless given. */
export function newWithdrawal(fields: Partial<NewWithdrawal> & { studyId: string }): NewWithdrawal {
  return {
    id: uid("withdrawal"),
    studyVersion: 1,
    condition: null,
    panelIdHmac: null,
    participantHmac: uid("hmac"),
    by: "participant",
    ...fields,
  };
}

export function newEvents(count: number, fields: Partial<NewEvent> & { userId: string }): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent({ extraData: { i }, ...fields }));
}

/** What the store should give back for a query it stored at `receivedAt`. */
export const storedQuery = (q: NewQuery, receivedAt: string): QueryRecord => ({
  ...q,
  inputSignals: q.inputSignals ?? null,
  kind: "QUERY",
  receivedAt,
});

/** What the store should give back for an event it stored at `receivedAt`. */
export const storedEvent = (e: NewEvent, receivedAt: string): EventRecord => ({
  ...e,
  kind: "EVENT",
  id: e.eventId,
  receivedAt,
});

/** The filter semantics of the port, on records already read back: the reference the store must match. */
export function matches(record: LogRecord, filter: ExportFilter): boolean {
  if (filter.kinds && !filter.kinds.includes(record.kind)) return false;
  if (filter.userIds && !filter.userIds.includes(record.userId)) return false;
  if (filter.sessionIds && !filter.sessionIds.includes(record.sessionId)) return false;
  if (filter.studyIds && (record.studyId === null || !filter.studyIds.includes(record.studyId))) return false;
  if (filter.conditions && (record.condition === null || !filter.conditions.includes(record.condition)))
    return false;
  if (
    filter.panelParticipantIds &&
    (record.panelParticipantId === null || !filter.panelParticipantIds.includes(record.panelParticipantId))
  )
    return false;
  if (filter.eventTypes && (record.kind !== "EVENT" || !filter.eventTypes.includes(record.eventType)))
    return false;
  if (filter.from && Date.parse(record.receivedAt) < Date.parse(filter.from)) return false;
  if (filter.to && Date.parse(record.receivedAt) >= Date.parse(filter.to)) return false;
  return true;
}

export function expectServerTimeNow(time: string, before: number, after: number): void {
  expect(time).toMatch(ISO_MS_Z);
  const t = Date.parse(time);
  expect(t).toBeGreaterThanOrEqual(before - CLOCK_TOLERANCE_MS);
  expect(t).toBeLessThanOrEqual(after + CLOCK_TOLERANCE_MS);
}

type Export = { records: LogRecord[]; cursors: string[]; pageSizes: number[] };

/**
 * Every record of a filter, page by page, checking on the way what holds for
 * any export: no page larger than asked, no record twice, a page announcing
 * a next one is not empty, and paging ends.
 */
export async function exportAll(store: Store, filter: ExportFilter, first = 1000): Promise<Export> {
  const result: Export = { records: [], cursors: [], pageSizes: [] };
  const seen = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page = await store.exportPage(filter, first, after);
    result.pageSizes.push(page.records.length);
    expect(page.records.length).toBeLessThanOrEqual(first);
    for (const { cursor, record } of page.records) {
      expect(typeof cursor).toBe("string");
      expect(seen.has(keyOf(record)), `${keyOf(record)} exported twice`).toBe(false);
      seen.add(keyOf(record));
      result.records.push(record);
      result.cursors.push(cursor);
    }
    if (!page.hasNextPage) return result;
    const last = page.records.at(-1);
    if (!last)
      throw new Error("a page with hasNextPage: true has no records, so no cursor to continue after");
    after = last.cursor;
    if (result.pageSizes.length > 10_000) throw new Error("paging does not end");
  }
}

export function expectNonDecreasingTimes(records: LogRecord[]): void {
  for (let i = 1; i < records.length; i++) {
    const [previous, current] = [records[i - 1], records[i]];
    if (!previous || !current) continue;
    expect(
      Date.parse(current.receivedAt),
      `${keyOf(current)} (${current.receivedAt}) is exported after ${keyOf(previous)} (${previous.receivedAt})`,
    ).toBeGreaterThanOrEqual(Date.parse(previous.receivedAt));
  }
}

/** base64url of a text, the shape many cursors have. */
export const base64url = (text: string): string =>
  btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

export async function storeQueries(store: Store, userId: string, count: number): Promise<QueryRecord[]> {
  const stored: QueryRecord[] = [];
  for (let i = 0; i < count; i++) stored.push(await store.recordQuery(newQuery({ userId })));
  return stored;
}
