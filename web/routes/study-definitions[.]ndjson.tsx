import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { studyDefinitionLine } from "../export/ndjson.server";
import { apiProblem, attachment } from "../export/problem.server";
import { apiClient } from "../graphql/client.server";
import { StudyDefinitionsDocument, type StudyDefinitionsQuery } from "../graphql/generated/graphql";

/**
 * The study definitions as deployed, as a download:
 * `GET /study-definitions.ndjson?studyId=<id>` (omitted: every study) with
 * the researcher's `Authorization: Bearer <token>`, one JSON line per
 * (study, version): the study file as it was when that version was first
 * used, its hash (the one records carry), when, and whether it is the one
 * deployed now. Prompts and scripts included, so researchers only.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const studyId = new URL(request.url).searchParams.get("studyId") || null;
  const api = apiClient(context, { authorization: request.headers.get("authorization") });
  let definitions: StudyDefinitionsQuery["studyDefinitions"];
  try {
    definitions = (await api.run(StudyDefinitionsDocument, { studyId })).studyDefinitions;
  } catch (error) {
    return apiProblem(error);
  }
  return new Response(definitions.map(studyDefinitionLine).join(""), {
    headers: attachment("llm-study-definitions"),
  });
}
