import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { withdrawalLine } from "../export/ndjson.server";
import { apiProblem, attachment } from "../export/problem.server";
import { apiClient } from "../graphql/client.server";
import { WithdrawalsDocument, type WithdrawalsQuery } from "../graphql/generated/graphql";

/**
 * The withdrawal audit as a download: `GET /withdrawals.ndjson?studyId=<id>`
 * (omitted: every study) with the researcher's `Authorization: Bearer
 * <token>`, one JSON line per withdrawal, oldest first. The entries hold no
 * content and no participant id: the study, version, condition, time, who
 * withdrew (participant or researcher), how many records were deleted and
 * an HMAC of the panel id.
 *   pd.read_json(url, lines=True, storage_options={"Authorization": "Bearer <token>"})
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const studyId = new URL(request.url).searchParams.get("studyId") || null;
  const api = apiClient(context, { authorization: request.headers.get("authorization") });
  let entries: WithdrawalsQuery["withdrawals"];
  try {
    entries = (await api.run(WithdrawalsDocument, { studyId })).withdrawals;
  } catch (error) {
    return apiProblem(error);
  }
  return new Response(entries.map(withdrawalLine).join(""), { headers: attachment("llm-study-withdrawals") });
}
