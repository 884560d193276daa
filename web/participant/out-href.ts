import type { ClickElement } from "../../api/domain/records";

/** The same-origin click route that logs a click on an answer's link, then redirects to it. */
export const OUT_PATH = "/out";

/**
 * The click route's link for one URL of an answer, with the signature the
 * API gave it (AnswerLink) and the element it is on the page, so a click
 * with JavaScript off says what was clicked too.
 */
export function outHref(queryId: string, url: string, signature: string, element: ClickElement): string {
  return `${OUT_PATH}?q=${encodeURIComponent(queryId)}&u=${encodeURIComponent(url)}&s=${encodeURIComponent(signature)}&el=${element}`;
}
