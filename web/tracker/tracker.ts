/**
 * The browser tracker: page views, answers seen, scroll depth on the latest
 * answer, clicks on answers' links and study targets, and the exposure of
 * each source shown. Small (budget: 3 KiB gzip, see bench/sizes.ts) and
 * never in the participant's way: passive listeners, batched sends
 * (./delivery.ts). What each event carries: docs/tracking.md.
 */
import { flush, flushOnHide, read, resendPending, startPageView, track, write } from "./delivery";
import {
  back,
  clicked,
  left,
  pageHidden,
  rankAttr,
  report,
  resetExposure,
  visibilityChanged,
  watchSources,
} from "./exposure";
import { markDepth, reportDepth, resetDepth } from "./scroll-depth";

export { TRACK_ENDPOINT } from "./delivery";

const OPENED = "lsp:opened";
const SCROLL_DEBOUNCE_MS = 400;
/** How long the page must stay unchanged before new answers are looked for (a streamed answer changes it often). */
const SCAN_DEBOUNCE_MS = 200;
const SEEN = 0.3;

let path: string | undefined;
let answersInView: IntersectionObserver | undefined;
let seen = new Set<string>();
let watched = new WeakSet<Element>();

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
    // Which link, and its ranks: the renderer's attributes (absent: null).
    const { out, element = null, rank, originalRank } = link.dataset;
    const event = track("CLICK", {
      queryId,
      targetUrl: out,
      extraData: { via: "tracker", element, rank: rankAttr(rank), originalRank: rankAttr(originalRank) },
    });
    clicked(link);
    // The click route logs the same click under the same eventId, page view and number: stored once,
    // the same whichever copy arrives first.
    const href = new URL(link.href);
    if (event) {
      href.searchParams.set("e", event.eventId);
      href.searchParams.set("pv", String(event.extraData?.pageViewId));
      href.searchParams.set("sq", String(event.extraData?.seq));
    }
    link.href = href.href;
    write(OPENED, [...read<string>(OPENED), `${queryId} ${out}`].slice(-500));
    markOpened();
    flush();
  }
  const goal = target?.closest<HTMLElement>("[data-study-target]");
  // Inside an answer (like "This answer helped"), the conversion says which answer.
  if (goal) track("CONVERSION", { queryId: answerOf(goal), extraData: { label: goal.dataset.studyTarget } });
}

let scrollTimer: ReturnType<typeof setTimeout> | undefined;

/** Marks what is in view now; the SCROLL leaves once scrolling stops. */
function onScroll(): void {
  markDepth();
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(reportDepth, SCROLL_DEBOUNCE_MS);
}

/** Watches the answers and sources of the page not yet watched in this page view. */
function scan(): void {
  if (!answersInView) return;
  for (const el of document.querySelectorAll("[data-answer-id]")) {
    if (!watched.has(el)) answersInView.observe(el);
    watched.add(el);
  }
  watchSources();
  markOpened();
  onScroll();
}

/**
 * A page view: a document load or a new pathname (not a new hash or
 * search, such as the chat's `?c=...#a-<id>` after an answer). Logs it with
 * the page's type and watches its answers; call on every navigation.
 */
export function pageView(): void {
  if (location.pathname === path) return;
  path = location.pathname;
  resetExposure(); // the last page view's summaries leave under its own id
  resetDepth();
  const eventId = startPageView();
  const pageType = document.querySelector<HTMLElement>("[data-page-type]")?.dataset.pageType ?? null;
  track("BROWSE", { eventId, extraData: { kind: "page", pageType } });
  answersInView?.disconnect();
  seen = new Set();
  watched = new WeakSet();
  answersInView = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const q = answerOf(entry.target);
        if (!q) continue;
        // Seen: 30% of it in view, or (an answer taller than the screen) 30% of the screen.
        const shown = Math.max(entry.intersectionRatio, entry.intersectionRect.height / innerHeight);
        if (!entry.isIntersecting) report(q);
        else if (shown >= SEEN && !seen.has(q)) {
          seen.add(q);
          track("BROWSE", { queryId: q, extraData: { kind: "answer" } });
        }
      }
    },
    { threshold: [0, 0.1, SEEN] },
  );
  scan();
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
  addEventListener("resize", onScroll, { passive: true });
  addEventListener("blur", left);
  addEventListener("focus", back);
  addEventListener("pagehide", () => {
    report();
    flushOnHide();
  });
  // Answers come and go without a page view (a new answer, another conversation).
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  new MutationObserver(() => {
    clearTimeout(scanTimer);
    scanTimer = setTimeout(scan, SCAN_DEBOUNCE_MS);
  }).observe(document.body, { childList: true, subtree: true });
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
    visibilityChanged();
    if (pageHidden()) flushOnHide();
  });
}
