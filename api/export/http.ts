import { bearerToken, isResearcherToken } from "../auth";
import type { Deps } from "../deps";
import { DomainError, ErrorCode, RateLimitedError } from "../errors";
import { readCookie } from "../http/cookies";
import { problem } from "../http/problem";
import { clientIp } from "../limits/client-ip";
import { researcherCookieName } from "../researchers/cookie";
import { readResearcherSession } from "../researchers/session";
import { InvalidCursorError, StoreUnavailableError, storeFailureLine } from "../store/store";
import { checkFilterNames } from "../studies/filter-names";
import { datasetDescription } from "./description";
import { FilterParamError, filterFromParams } from "./filter";
import { PAGE_HEADERS, PAGING_PARAMS, type Paging, pagingFromParams } from "./paging";
import { BATCH_SIZES, COUNTED_KINDS, READERS } from "./rows";
import { type Column, TABLE_NAMES, TABLES, type TableName } from "./tables";
import { type Format, preamble, rowsText } from "./write";

/**
 * The analysis-ready downloads: GET /export/<table>.csv and
 * /export/<table>.ndjson (tables.ts), streamed from the store in keyset
 * batches, and /export/dataset_description.json. A researcher token
 * (`Authorization: Bearer <token>`) is needed for the tables, checked and
 * rate-limited on failure as the GraphQL researcher fields are. The paging
 * parameters (paging.ts) give one page at a time and continue after a
 * cursor, for `npm run export`. Mounted by worker.ts before the site;
 * docs/export.md.
 */
export const DOWNLOADS_PREFIX = "/export/";
export const DESCRIPTION_PATH = "/export/dataset_description.json";

export type DownloadDeps = Pick<Deps, "store" | "studies" | "config" | "limits"> & { version: string };

const PATH = /^\/export\/([a-z_]+)\.(csv|ndjson)$/;

export function isDownloadPath(pathname: string): boolean {
  return pathname.startsWith(DOWNLOADS_PREFIX);
}

const CONTENT_TYPES: Record<Format, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  ndjson: "application/x-ndjson; charset=utf-8",
};

/**
 * Null when the caller is a researcher: a researcher token (scripts), or the
 * session of a researcher signed in on the site (a download link of the
 * workspace; the cookie is SameSite=Strict, so no other site's page sends it).
 * Else the refusal (401, or 429 after repeated failures).
 */
async function refusal(request: Request, deps: DownloadDeps): Promise<Response | null> {
  const bearer = bearerToken(request);
  if (await isResearcherToken(bearer, deps.config.researcherTokens)) return null;
  const session = readCookie(request, researcherCookieName(new URL(request.url)));
  if (session && (await readResearcherSession(session, deps.config.sessionSecrets))) return null;
  if (bearer !== null) {
    try {
      // A wrong researcher token counts against the address: guessing is slow.
      await deps.limits.take("researcherAuth", { sessionId: null, ip: clientIp(request) });
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      return problem(429, error.code, error.message, { "retry-after": String(error.retryAfterSeconds) });
    }
  }
  return problem(
    401,
    ErrorCode.UNAUTHENTICATED,
    "The downloads need a researcher: sign in at /research, or send the header `Authorization: Bearer <token>` with one of the tokens in RESEARCHER_TOKENS.",
    { "www-authenticate": 'Bearer realm="downloads"' },
  );
}

function storeProblem(error: StoreUnavailableError): Response {
  console.error(storeFailureLine(error.store, "unavailable", error));
  return problem(
    503,
    ErrorCode.STORE_UNAVAILABLE,
    "The database is unavailable right now, so the download could not start. Please try again shortly.",
    { "retry-after": "5" },
  );
}

/** `batchSizes`: the store's rows per call of each table (tests give small ones, to cross batch boundaries). */
export async function handleDownload(
  request: Request,
  deps: DownloadDeps,
  batchSizes: Record<TableName, number> = BATCH_SIZES,
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD")
    return problem(405, ErrorCode.BAD_REQUEST, "The downloads answer GET only.", { allow: "GET, HEAD" });
  const url = new URL(request.url);
  if (url.pathname === DESCRIPTION_PATH) {
    return new Response(`${JSON.stringify(datasetDescription(deps.version), null, 2)}\n`, {
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const match = PATH.exec(url.pathname);
  const table = match?.[1] as TableName | undefined;
  const format = match?.[2] as Format | undefined;
  if (!table || !format || !TABLE_NAMES.includes(table)) {
    const names = TABLE_NAMES.map((t) => `/export/${t}.csv`).join(", ");
    return problem(
      404,
      ErrorCode.NOT_FOUND,
      `No such download. The tables are ${names} (or .ndjson), described at ${DESCRIPTION_PATH}.`,
    );
  }
  const denied = await refusal(request, deps);
  if (denied) return denied;

  let filter: ReturnType<typeof filterFromParams>;
  let paging: Paging;
  try {
    filter = filterFromParams(url.searchParams, PAGING_PARAMS);
    paging = pagingFromParams(url.searchParams, table);
    await checkFilterNames(deps, filter);
  } catch (error) {
    if (error instanceof FilterParamError) return problem(400, ErrorCode.BAD_USER_INPUT, `${error.message}.`);
    if (error instanceof DomainError) return problem(400, error.code, error.message);
    if (error instanceof StoreUnavailableError) return storeProblem(error);
    throw error;
  }

  const columns = TABLES[table] as Column<unknown>[];
  const read = READERS[table](deps.store, filter, {
    after: paging.after,
    size: paging.limit ?? batchSizes[table],
  });
  const counted = COUNTED_KINDS[table];
  // The first batch (and the count) before anything is sent, so a failing store gets its status code.
  let batch: Awaited<ReturnType<typeof read>>;
  let total: number | null = null;
  try {
    batch = await read();
    if (paging.count && counted) total = await deps.store.count({ ...filter, kinds: [counted] });
  } catch (error) {
    if (error instanceof InvalidCursorError)
      return problem(
        400,
        ErrorCode.BAD_USER_INPUT,
        `after is not a cursor of the ${table} download: give the x-export-next-after header of its previous page.`,
      );
    if (error instanceof StoreUnavailableError) return storeProblem(error);
    throw error;
  }
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPES[format],
    "content-disposition": `attachment; filename="${table}.${format}"`,
    "cache-control": "no-store",
  };
  if (total !== null) headers[PAGE_HEADERS.total] = String(total);
  // A response after a cursor continues a file, so it has no CSV header.
  const start = paging.after === null ? preamble(format, columns) : "";
  if (paging.limit !== null) {
    headers[PAGE_HEADERS.rows] = String(batch.rows.length);
    if (!batch.done && batch.cursor !== null) headers[PAGE_HEADERS.next] = batch.cursor;
    const body = request.method === "HEAD" ? null : start + rowsText(format, columns, batch.rows);
    return new Response(body, { headers });
  }
  if (request.method === "HEAD") return new Response(null, { headers });
  const encoder = new TextEncoder();
  let text = start + rowsText(format, columns, batch.rows);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (text) controller.enqueue(encoder.encode(text));
        if (batch.done) {
          controller.close();
          return;
        }
        // A failure mid-stream ends the download with an error, so it cannot pass for a complete file.
        try {
          batch = await read();
        } catch (error) {
          console.error(storeFailureLine(deps.store.name, `download of ${table} failed`, error));
          controller.error(error);
          return;
        }
        text = rowsText(format, columns, batch.rows);
        if (text) return;
      }
    },
  });
  return new Response(stream, { headers });
}
