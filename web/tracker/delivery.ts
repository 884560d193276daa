/**
 * The tracker's delivery: events are batched; a batch is kept in
 * localStorage until the server confirms it, sent with fetch(keepalive),
 * and with sendBeacon (text/plain) when the page hides. Unconfirmed batches
 * are sent again on the next page load; the server dedupes on eventId, so
 * a batch sent twice is stored once. Every event carries its page view's
 * id and its number in that page view (`extraData.pageViewId`, `seq`).
 */
import type { BrowserEventType } from "../../api/domain/records";
import { withoutUrlToken } from "../../api/participants/url-token-param";

type TrackedEvent = {
  eventId: string;
  eventType: BrowserEventType;
  pageUrl: string;
  clientTime: string;
  queryId?: string;
  targetUrl?: string;
  /** Checked by the endpoint (extra-data.ts): the page's attributes are only strings here. */
  extraData?: Record<string, unknown>;
};
/** `session`: the events-only token of the page it was queued on, so a resend is stored under that session. */
type Batch = { id: string; events: TrackedEvent[]; session?: string };

export const TRACK_ENDPOINT = "/t";
const PENDING = "lsp:pending";
const FLUSH_MS = 2000;
const MAX_BATCH = 50;
const MAX_BEACON_BYTES = 60_000;

let queue: TrackedEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

const uuid = () => crypto.randomUUID();

/**
 * The page view every event belongs to, and the next event's number in it
 * (docs/tracking.md, Order). Made on first use: the Worker imports this
 * module too, and a Worker may not make random values at its start.
 */
let pageViewId: string | undefined;
let seq = 0;

/** Starts a page view: its id (the eventId of its BROWSE), and its events numbered from 0. */
export function startPageView(): string {
  pageViewId = uuid();
  seq = 0;
  return pageViewId;
}

export function read<T>(key: string): T[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "[]") as T[];
  } catch {
    return [];
  }
}

export function write(key: string, value: unknown[]): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or denied: the batch is still sent, only not kept for a retry
  }
}

function body(batch: Batch): string {
  return JSON.stringify({ events: batch.events, sentAt: new Date().toISOString(), session: batch.session });
}

/** Batches being sent now, so a retry never sends one twice at once. */
const inFlight = new Set<string>();
const MAX_RETRY_MS = 60_000;
let retryMs = FLUSH_MS;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

/** Sends every batch not yet confirmed (the server stores each eventId once). */
export function resendPending(): void {
  for (const batch of read<Batch>(PENDING)) if (!inFlight.has(batch.id)) void send(batch);
}

/** After a failed send, tries the pending batches again, backing off up to a minute. */
function retryLater(): void {
  if (retryTimer === undefined) {
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      resendPending();
    }, retryMs);
  }
  retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
}

async function send(batch: Batch): Promise<void> {
  inFlight.add(batch.id);
  try {
    const response = await fetch(TRACK_ENDPOINT, {
      method: "POST",
      body: body(batch),
      headers: { "content-type": "text/plain" },
      keepalive: true,
    });
    // 4xx other than 408/429: the server will never take this batch; stop resending it.
    const final =
      response.ok ||
      (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429);
    if (final) {
      write(
        PENDING,
        read<Batch>(PENDING).filter((b) => b.id !== batch.id),
      );
      retryMs = FLUSH_MS;
    } else retryLater();
  } catch {
    // offline or unloading: the batch stays pending, is retried while the page
    // is open, and is resent on the next load
    retryLater();
  } finally {
    inFlight.delete(batch.id);
  }
}

function take(): Batch | undefined {
  clearTimeout(timer);
  timer = undefined;
  if (queue.length === 0) return undefined;
  const session = document.querySelector<HTMLElement>("[data-tracker-session]")?.dataset.trackerSession;
  const batch = { id: uuid(), events: queue, session };
  queue = [];
  write(PENDING, [...read<Batch>(PENDING), batch]);
  return batch;
}

export function flush(): void {
  const batch = take();
  if (batch) void send(batch);
}

export function flushOnHide(): void {
  const batch = take();
  if (!batch) return;
  const data = body(batch);
  const beaconed =
    data.length < MAX_BEACON_BYTES &&
    navigator.sendBeacon?.(TRACK_ENDPOINT, new Blob([data], { type: "text/plain" }));
  if (!beaconed) void send(batch);
}

/** Queues an event; returns it (null on an untracked page), numbered in its page view. */
export function track(
  eventType: TrackedEvent["eventType"],
  fields: Partial<TrackedEvent> = {},
): TrackedEvent | null {
  // Pages marked data-untracked (a study's consent page) record nothing from the browser.
  if (document.querySelector("[data-untracked]")) return null;
  pageViewId ??= uuid();
  const event: TrackedEvent = {
    eventId: uuid(),
    eventType,
    // A study page's URL token never leaves the page in an event (the API strips it too).
    pageUrl: withoutUrlToken(location.href),
    clientTime: new Date().toISOString(),
    ...fields,
    extraData: { ...fields.extraData, pageViewId, seq: seq++ },
  };
  queue.push(event);
  if (queue.length >= MAX_BATCH) flush();
  else timer ??= setTimeout(flush, FLUSH_MS);
  return event;
}
