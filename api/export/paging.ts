import { z } from "zod";
import { FilterParamError } from "./filter";
import { BATCH_SIZES } from "./rows";
import type { TableName } from "./tables";

/**
 * The downloads' paging parameters, beside the filters: `after` (a cursor
 * the previous page named: the rows after it, and no CSV header, since the
 * response continues a file), `limit` (one page of at most that many store
 * records, with its row count and the next page's cursor in headers), and
 * `count=1` (the table's row count in a header, where the store can count).
 * Used by `npm run export` to resume (docs/decisions/014-export-cli.md).
 */
export const PAGING_PARAMS = ["after", "limit", "count"] as const;

export type Paging = { after: string | null; limit: number | null; count: boolean };

/** Response headers of a page. */
export const PAGE_HEADERS = {
  /** Rows in this response (pages only). */
  rows: "x-export-rows",
  /** The `after` of the next page; absent on the last page. */
  next: "x-export-next-after",
  /** The table's rows for the filter (with count=1, on answers and events). */
  total: "x-export-total-rows",
} as const;

/** Far longer than any cursor the store makes (api/store/cursor.ts), so only garbage is refused here. */
const MAX_CURSOR_LENGTH = 2048;

const cursor = z
  .string()
  .min(1, "must be a cursor from the header x-export-next-after")
  .max(MAX_CURSOR_LENGTH, "is too long to be a cursor");

export function pagingFromParams(params: URLSearchParams, table: TableName): Paging {
  const one = (key: (typeof PAGING_PARAMS)[number]): string | null => {
    const given = params.getAll(key);
    if (given.length > 1) throw new FilterParamError(`${key} is given ${given.length} times: give it once`);
    return given[0] ?? null;
  };
  const max = BATCH_SIZES[table];
  const limit = z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(max, `must be at most ${max} for ${table}`);
  const paging: Paging = { after: null, limit: null, count: false };
  const after = one("after");
  if (after !== null) {
    const parsed = cursor.safeParse(after);
    if (!parsed.success) throw new FilterParamError(`after ${parsed.error.issues[0]?.message}`);
    paging.after = parsed.data;
  }
  const givenLimit = one("limit");
  if (givenLimit !== null) {
    const parsed = limit.safeParse(givenLimit === "" ? Number.NaN : givenLimit);
    if (!parsed.success) throw new FilterParamError(`limit ${parsed.error.issues[0]?.message}`);
    paging.limit = parsed.data;
  }
  const count = one("count");
  if (count !== null && count !== "1") throw new FilterParamError("count must be 1 (or left out)");
  paging.count = count === "1";
  return paging;
}
