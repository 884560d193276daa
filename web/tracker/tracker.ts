/**
 * The browser tracker: page views, answers seen, scroll depth, clicks on
 * answers' links and study targets. Small (budget: 3 KiB gzip, see
 * bench/sizes.ts) and never in the participant's way: passive
 * listeners, batched sends.
 *
 * Delivery: events are batched; a batch is kept in localStorage until the
 * server confirms it, sent with fetch(keepalive), and with sendBeacon
 * (text/plain) when the page hides. Unconfirmed batches are sent again on
 * the next page load; the server dedupes on eventId, so a batch sent twice
 * is stored once.
 */
import type { BrowserEventType } from "../../api/domain/records";

type TrackedEvent = {
  eventId: string;
  eventType: BrowserEventType;
  pageUrl: string;
  clientTime: string;
  queryId?: string;
  targetUrl?: string;
  extraData?: Record<string, unknown>;
};
/** `session`: the events-only token of the page it was queued on, so a resend is stored under that session. */
type Batch = { id: string; events: TrackedEvent[]; session?: string };

export const TRACK_ENDPOINT = "/t";
const PENDING = "lsp:pending";
const OPENED = "lsp:opened";
const FLUSH_MS = 2000;
const MAX_BATCH = 50;
const MAX_BEACON_BYTES = 60_000;
const SCROLL_DEBOUNCE_MS = 400;

let queue: TrackedEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let seenAnswers: IntersectionObserver | undefined;

const uuid = () => crypto.randomUUID();

function read<T>(key: string): T[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "[]") as T[];
  } catch {
    return [];
  }
}

function write(key: string, value: unknown[]): void {
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
function resendPending(): void {
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

function flushOnHide(): void {
  const batch = take();
  if (!batch) return;
  const data = body(batch);
  const beaconed =
    data.length < MAX_BEACON_BYTES &&
    navigator.sendBeacon?.(TRACK_ENDPOINT, new Blob([data], { type: "text/plain" }));
  if (!beaconed) void send(batch);
}

export function track(eventType: TrackedEvent["eventType"], fields: Partial<TrackedEvent> = {}): string {
  // Pages marked data-untracked (a study's consent page) record nothing from the browser.
  if (document.querySelector("[data-untracked]")) return "";
  const event: TrackedEvent = {
    eventId: uuid(),
    eventType,
    pageUrl: location.href,
    clientTime: new Date().toISOString(),
    ...fields,
  };
  queue.push(event);
  if (queue.length >= MAX_BATCH) flush();
  else timer ??= setTimeout(flush, FLUSH_MS);
  return event.eventId;
}

const answerOf = (el: Element) => el.closest<HTMLElement>("[data-answer-id]")?.dataset.answerId;

function markOpened(): void {
  const opened = new Set(read<string>(OPENED));
  for (const a of document.querySelectorAll<HTMLAnchorElement>("a[data-out]")) {
    if (opened.has(`${answerOf(a)} ${a.dataset.out}`)) a.dataset.opened = "";
  }
}

function onClick(event: MouseEvent): void {
  const target = event.target instanceof Element ? event.target : null;
  const link = target?.closest<HTMLAnchorElement>("a[data-out]");
  if (link) {
    const queryId = answerOf(link);
    const eventId = track("CLICK", { queryId, targetUrl: link.dataset.out, extraData: { via: "tracker" } });
    // The click route logs the same click under the same eventId: stored once.
    const href = new URL(link.href);
    href.searchParams.set("e", eventId);
    link.href = href.href;
    write(OPENED, [...read<string>(OPENED), `${queryId} ${link.dataset.out}`].slice(-500));
    markOpened();
    flush();
  }
  const goal = target?.closest<HTMLElement>("[data-study-target]");
  // Inside an answer (like "This answer helped"), the conversion says which answer.
  if (goal) track("CONVERSION", { queryId: answerOf(goal), extraData: { label: goal.dataset.studyTarget } });
}

let lastDepth = -1;
let scrollTimer: ReturnType<typeof setTimeout> | undefined;

function onScroll(): void {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => {
    const root = document.documentElement;
    const depth = Math.min(1, Math.round(((scrollY + innerHeight) / root.scrollHeight) * 1000) / 1000);
    if (Math.abs(depth - lastDepth) < 0.01) return;
    lastDepth = depth;
    track("SCROLL", { extraData: { scrollDepth: depth } });
  }, SCROLL_DEBOUNCE_MS);
}

/** A page view (call on load and after each client-side navigation): logs it and watches its answers. */
export function pageView(): void {
  track("BROWSE", { extraData: { kind: "page", title: document.title } });
  seenAnswers?.disconnect();
  seenAnswers = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        seenAnswers?.unobserve(entry.target);
        track("BROWSE", { queryId: answerOf(entry.target), extraData: { kind: "answer" } });
      }
    },
    { threshold: 0.3 },
  );
  for (const el of document.querySelectorAll("[data-answer-id]")) seenAnswers.observe(el);
  markOpened();
}

let started = false;

export function startTracker(): void {
  if (started) return;
  started = true;
  resendPending();
  addEventListener("online", resendPending);
  addEventListener("click", onClick, { capture: true, passive: true });
  addEventListener("auxclick", onClick, { capture: true, passive: true });
  addEventListener("scroll", onScroll, { passive: true });
  addEventListener("pagehide", flushOnHide);
  // The device's time of a message, for the query record's clientTime.
  addEventListener(
    "submit",
    (event) => {
      const field = (event.target as Element).querySelector<HTMLInputElement>("[data-client-time]");
      if (field) field.value = new Date().toISOString();
    },
    { capture: true },
  );
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushOnHide();
  });
}
