/**
 * Scroll depth on the conversation: the fraction of the latest answer (its
 * article, with its sources) that has been inside the viewport so far in
 * this page view, in hundredths. Measured on the answer, not the page, so
 * that it compares across conditions whose pages differ in length
 * (docs/tracking.md).
 */
import { track } from "./delivery";
import { pageHidden } from "./exposure";

const PARTS = 100;

let answer: string | undefined;
let seen = new Uint8Array(PARTS);
let depth = 0;

/** Forgets the depth reached (a new page view). */
export function resetDepth(): void {
  answer = undefined;
}

/**
 * Marks the parts of the latest answer now in view (call on every scroll
 * event: parts passed over by a jump, such as the End key, are not seen).
 */
export function markDepth(): void {
  const answers = document.querySelectorAll<HTMLElement>("[data-answer-id]");
  const latest = answers[answers.length - 1];
  const q = latest?.dataset.answerId;
  if (!latest || !q || pageHidden()) return;
  if (q !== answer) {
    answer = q;
    seen = new Uint8Array(PARTS);
    depth = 0;
  }
  const box = latest.getBoundingClientRect();
  for (let i = 0; i < PARTS; i++) {
    const y = box.top + ((i + 0.5) * box.height) / PARTS;
    if (y >= 0 && y <= innerHeight) seen[i] = 1;
  }
}

/** Logs a SCROLL when the depth grew since the last one. */
export function reportDepth(): void {
  markDepth();
  const reached = seen.reduce((sum, part) => sum + part, 0) / PARTS;
  if (!answer || reached <= depth) return;
  depth = reached;
  track("SCROLL", { queryId: answer, extraData: { scrollDepth: reached } });
}
