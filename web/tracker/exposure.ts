/**
 * Exposure: for each source of an answer's list (`.sources li`), how long
 * it was at least half in view while the page was visible, its hovers of
 * at least 300 ms, its clicks, and after a click the time until the page
 * was visible again. Summarised, not a flood: one BROWSE
 * `{kind: "exposure", sources}` per answer that changed, when the page
 * hides or the answer leaves view, with the running totals of this page
 * view (docs/tracking.md).
 */
import { track } from "./delivery";
import type { Exposure } from "./extra-data";

type Shown = { q: string; o: Exposure; in?: boolean; visibleSince?: number; hoverSince?: number };

const HALF = 0.5;
const MIN_HOVER_MS = 300;
/** A click is followed by leaving the page within this time, or it did not take the participant away. */
const LEAVE_AFTER_CLICK_MS = 3000;
/** Under the API's 8 KiB of extraData even for 3-byte characters: longer lists lose their last sources. */
const MAX_SOURCES_CHARS = 2600;

let answers = new Map<string, Map<string, Shown>>();
let changed = new Set<string>();
let shownBy = new WeakMap<Element, Shown>();
let lastClick: { s: Shown; at: number } | undefined;
let away: typeof lastClick;
let inView: IntersectionObserver | undefined;

const now = () => performance.now();

/** Whether the page is hidden (another tab in front, the window minimised, the page going away). */
export const pageHidden = () => document.visibilityState === "hidden";

/** A rank from a link's data attribute; absent: null. */
export const rankAttr = (value?: string) => (value ? Number(value) : null);

/** Adds the time in view since it was last counted, and counts on if the source is still in view. */
function settle(s: Shown): void {
  const ms = s.visibleSince ? Math.round(now() - s.visibleSince) : 0;
  if (ms) {
    s.o.visibleMs += ms;
    changed.add(s.q);
  }
  s.visibleSince = s.in && !pageHidden() ? now() : 0;
}

function endHover(s: Shown): void {
  const ms = s.hoverSince ? Math.round(now() - s.hoverSince) : 0;
  s.hoverSince = 0;
  if (ms >= MIN_HOVER_MS) {
    s.o.hovers++;
    s.o.hoverMs += ms;
    changed.add(s.q);
  }
}

/** Sends the summary of each answer that changed (or of `only`), once. */
export function report(only?: string): void {
  for (const [q, shown] of answers) {
    if (only && q !== only) continue;
    for (const s of shown.values()) settle(s);
    if (!changed.delete(q)) continue;
    // Copies: the queued event must not change with the counts.
    const sources = [...shown.values()].map((s) => ({ ...s.o }));
    while (JSON.stringify(sources).length > MAX_SOURCES_CHARS) sources.pop();
    track("BROWSE", { queryId: q, extraData: { kind: "exposure", sources } });
  }
}

/** Ends the page view's exposure: reports what changed and forgets the sources. */
export function resetExposure(): void {
  report();
  inView?.disconnect();
  answers = new Map();
  changed = new Set();
  shownBy = new WeakMap();
  lastClick = away = undefined;
  inView = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const s = shownBy.get(entry.target);
        if (!s) continue;
        s.in = entry.intersectionRatio >= HALF;
        settle(s);
      }
    },
    { threshold: HALF },
  );
}

/** Starts measuring the sources on the page not yet measured (call when the page changes). */
export function watchSources(): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>(".sources a[data-out]")) {
    const item = link.closest("li");
    const q = link.closest<HTMLElement>("[data-answer-id]")?.dataset.answerId;
    if (!item || !q || !inView || shownBy.has(item)) continue;
    const { out = "", rank, originalRank } = link.dataset;
    const shown = answers.get(q) ?? new Map<string, Shown>();
    answers.set(q, shown);
    // Keyed by URL and rank: a list item rendered anew keeps its counts.
    const key = `${out} ${rank}`;
    const s = shown.get(key) ?? {
      q,
      o: {
        url: out,
        rank: rankAttr(rank),
        originalRank: rankAttr(originalRank),
        visibleMs: 0,
        hovers: 0,
        hoverMs: 0,
        clicks: 0,
        awayMs: 0,
      },
    };
    shown.set(key, s);
    shownBy.set(item, s);
    inView.observe(item);
    item.addEventListener("mouseenter", () => (s.hoverSince = now()), { passive: true });
    item.addEventListener("mouseleave", () => endHover(s), { passive: true });
  }
}

/** A click on a link: counted for its source, and the time away starts. */
export function clicked(link: Element): void {
  const item = link.closest("li");
  const s = item && shownBy.get(item);
  if (!s) return;
  s.o.clicks++;
  changed.add(s.q);
  lastClick = { s, at: now() };
}

/** The page was left (hidden or blurred): shortly after a click, the participant went to the source. */
export function left(): void {
  if (lastClick && now() - lastClick.at < LEAVE_AFTER_CLICK_MS) away ??= lastClick;
  lastClick = undefined;
}

/** The page is back (visible or focused): the time away since the click is counted. */
export function back(): void {
  if (!away) return;
  away.s.o.awayMs += Math.round(now() - away.at);
  changed.add(away.s.q);
  away = undefined;
}

/** The page's visibility changed: time in view stops or goes on; hidden, the summaries leave. */
export function visibilityChanged(): void {
  if (pageHidden()) left();
  else back();
  for (const shown of answers.values())
    for (const s of shown.values()) {
      settle(s);
      if (pageHidden()) endHover(s);
    }
  if (pageHidden()) report();
}
