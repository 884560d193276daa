/** The same-origin click route that logs a click on an answer's link, then redirects to it. */
export const OUT_PATH = "/out";

/** The click route's link for one URL of an answer, with the signature the API gave it (AnswerLink). */
export function outHref(queryId: string, url: string, signature: string): string {
  return `${OUT_PATH}?q=${encodeURIComponent(queryId)}&u=${encodeURIComponent(url)}&s=${encodeURIComponent(signature)}`;
}
