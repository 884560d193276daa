import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { EVENT_TYPES } from "../../api/domain/records";
import { ndjsonLine } from "../export/ndjson.server";
import { apiProblem, attachment, problem } from "../export/problem.server";
import { type ApiClient, apiClient } from "../graphql/client.server";
import {
  type EventType,
  type ExportFilter,
  ExportPageDocument,
  type LogRecordKind,
} from "../graphql/generated/graphql";

/**
 * Bulk download: `GET /export.ndjson` streams every record that matches the
 * filter as JSON Lines, oldest first, paging through the `export` query (with
 * the caller's `Authorization: Bearer <token>`) 1000 records at a time.
 * Filters as query parameters: kinds, userIds, sessionIds, panelParticipantIds, eventTypes
 * (comma-separated or repeated), from, to.
 *   pd.read_json(url, lines=True, storage_options={"Authorization": "Bearer <token>"})
 */
const PAGE_SIZE = 1000;

const list = <T extends string>(values: string[], item: z.ZodType<T>) =>
  z.array(item).parse(
    values
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean),
  );

function filterOf(params: URLSearchParams): ExportFilter {
  const filter: ExportFilter = {};
  const kinds = params.getAll("kinds");
  if (kinds.length) filter.kinds = list<LogRecordKind>(kinds, z.enum(["QUERY", "EVENT"]));
  const eventTypes = params.getAll("eventTypes");
  if (eventTypes.length) {
    filter.eventTypes = list<EventType>(eventTypes, z.enum(EVENT_TYPES));
  }
  const userIds = params.getAll("userIds");
  if (userIds.length) filter.userIds = list(userIds, z.string());
  const sessionIds = params.getAll("sessionIds");
  if (sessionIds.length) filter.sessionIds = list(sessionIds, z.string());
  const studyIds = params.getAll("studyIds");
  if (studyIds.length) filter.studyIds = list(studyIds, z.string());
  const conditions = params.getAll("conditions");
  if (conditions.length) filter.conditions = list(conditions, z.string());
  const panelParticipantIds = params.getAll("panelParticipantIds");
  if (panelParticipantIds.length) filter.panelParticipantIds = list(panelParticipantIds, z.string());
  const from = params.get("from");
  if (from) filter.from = from;
  const to = params.get("to");
  if (to) filter.to = to;
  return filter;
}

async function page(api: ApiClient, filter: ExportFilter, after: string | null) {
  return (await api.run(ExportPageDocument, { filter, first: PAGE_SIZE, after })).export;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  let filter: ExportFilter;
  try {
    filter = filterOf(new URL(request.url).searchParams);
  } catch (error) {
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    return problem(
      400,
      "BAD_USER_INPUT",
      `A filter parameter has a value it cannot take: ${issue?.message ?? "invalid"}.`,
    );
  }
  const api = apiClient(context, { authorization: request.headers.get("authorization") });
  // The first page before anything is sent, so a bad token or filter gets its status code.
  let current: Awaited<ReturnType<typeof page>>;
  try {
    current = await page(api, filter, null);
  } catch (error) {
    return apiProblem(error);
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      controller.enqueue(encoder.encode(current.edges.map((edge) => ndjsonLine(edge.node)).join("")));
      const { hasNextPage, endCursor } = current.pageInfo;
      if (!hasNextPage || !endCursor) {
        controller.close();
        return;
      }
      // A failure mid-stream ends the download with an error, so it cannot pass for a complete file.
      current = await page(api, filter, endCursor);
    },
  });
  return new Response(stream, { headers: attachment("llm-study-export") });
}
