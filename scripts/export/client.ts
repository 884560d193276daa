import { PAGE_HEADERS } from "../../api/export/paging";
import type { ExportOptions } from "./args";

/**
 * One page of a download (api/export/paging.ts): the request, and the
 * server's refusals turned into messages a researcher can act on. The token
 * goes in the header only; no message holds it.
 */
export class ExportFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportFailure";
  }
}

export type Page = {
  /** The page's bytes, as they arrive. */
  body: ReadableStream<Uint8Array>;
  rows: number;
  /** The `after` of the next page; null on the last. */
  next: string | null;
  /** The table's rows for the filter, when asked for and the server counts this table. */
  total: number | null;
};

export function pageUrl(options: ExportOptions, after: string | null, count: boolean): URL {
  const url = new URL(`/export/${options.table}.${options.format}`, options.url);
  for (const [param, values] of Object.entries(options.filters))
    for (const value of values) url.searchParams.append(param, value);
  url.searchParams.set("limit", String(options.pageSize));
  if (after !== null) url.searchParams.set("after", after);
  if (count) url.searchParams.set("count", "1");
  return url;
}

/** The problem body's message (api/http/problem.ts), if the response is one. */
async function serverMessage(response: Response): Promise<{ code: string; message: string } | null> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    return typeof code === "string" && typeof message === "string" ? { code, message } : null;
  } catch {
    return null;
  }
}

export async function fetchPage(options: ExportOptions, after: string | null, count: boolean): Promise<Page> {
  const url = pageUrl(options, after, count);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` } });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new ExportFailure(`Could not reach ${url.origin}: ${cause}. Is --url the deployment?`);
  }
  if (!response.ok) {
    const problem = await serverMessage(response);
    if (response.status === 401)
      throw new ExportFailure(
        `The server refused the researcher token (401): check LSP_RESEARCHER_TOKEN or --token.${problem ? ` It said: ${problem.message}` : ""}`,
      );
    if (problem)
      throw new ExportFailure(
        `The server refused the download (${response.status} ${problem.code}): ${problem.message}`,
      );
    throw new ExportFailure(
      `${url.origin}${url.pathname} answered ${response.status} ${response.statusText}, not a download: is --url a deployment of the platform?`,
    );
  }
  const rows = response.headers.get(PAGE_HEADERS.rows);
  if (rows === null || !/^\d+$/.test(rows) || !response.body)
    throw new ExportFailure(
      `${url.origin} answered without the header ${PAGE_HEADERS.rows}: is --url a deployment of the platform (one with paged downloads)?`,
    );
  const total = response.headers.get(PAGE_HEADERS.total);
  return {
    body: response.body,
    rows: Number(rows),
    next: response.headers.get(PAGE_HEADERS.next),
    total: total === null ? null : Number(total),
  };
}
