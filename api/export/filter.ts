import { z } from "zod";
import { idSchema, MAX_FILTER_VALUES } from "../domain/validation";
import type { ExportFilter } from "../store/store";

/**
 * The downloads' filter from the URL's query parameters: the export query's
 * filters (studyIds, conditions, userIds, panelParticipantIds as lists,
 * comma-separated or repeated, or both; from and to as ISO-8601 times). Any
 * other parameter (but those named in `also`, read elsewhere) is refused, so
 * a misspelt filter cannot pass for none.
 */
export const FILTER_PARAMS = [
  "studyIds",
  "conditions",
  "userIds",
  "panelParticipantIds",
  "from",
  "to",
] as const;

export class FilterParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FilterParamError";
  }
}

const list = z
  .array(idSchema)
  .min(1, "must name at least one value")
  .max(MAX_FILTER_VALUES, `must name at most ${MAX_FILTER_VALUES} values`);

const time = z.iso.datetime({ offset: true, message: "must be an ISO-8601 time, e.g. 2026-05-01T00:00:00Z" });

const LISTS = ["studyIds", "conditions", "userIds", "panelParticipantIds"] as const;

export function filterFromParams(params: URLSearchParams, also: readonly string[] = []): ExportFilter {
  for (const key of new Set(params.keys())) {
    if (!(FILTER_PARAMS as readonly string[]).includes(key) && !also.includes(key))
      throw new FilterParamError(
        `unknown parameter ${JSON.stringify(key)}: the filters are ${FILTER_PARAMS.join(", ")}${also.length ? ` (and ${also.join(", ")})` : ""}`,
      );
  }
  const filter: ExportFilter = {};
  for (const key of LISTS) {
    const given = params.getAll(key);
    if (given.length === 0) continue;
    const values = given.flatMap((v) => v.split(",")).map((v) => v.trim());
    const parsed = list.safeParse(values.filter(Boolean));
    if (!parsed.success)
      throw new FilterParamError(`${key} ${parsed.error.issues[0]?.message ?? "is invalid"}`);
    filter[key] = [...new Set(parsed.data)];
  }
  for (const key of ["from", "to"] as const) {
    const given = params.getAll(key);
    if (given.length === 0) continue;
    if (given.length > 1) throw new FilterParamError(`${key} is given ${given.length} times: give it once`);
    const parsed = time.safeParse(given[0]);
    if (!parsed.success)
      throw new FilterParamError(`${key} ${parsed.error.issues[0]?.message ?? "is invalid"}`);
    filter[key] = new Date(parsed.data).toISOString();
  }
  return filter;
}
