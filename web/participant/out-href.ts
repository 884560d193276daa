/** The same-origin click route that logs a click on an answer's link, then redirects to it. */
export const OUT_PATH = "/out";

export function outHref(queryId: string, url: string): string {
  return `${OUT_PATH}?q=${encodeURIComponent(queryId)}&u=${encodeURIComponent(url)}`;
}
