import { type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import { pageError } from "../chat/chat.server";
import { apiClient } from "../graphql/client.server";
import { StudyPilotDocument } from "../graphql/generated/graphql";
import { clearedSessionCookies } from "../participant/session-cookie";

/**
 * /s/<id>/pilot: a fresh pilot link for each tester. It ends the browser's
 * session with the site and redirects to the study link with new random
 * panel ids (the panel's study id `pilot`: the API's Study.pilotPath), so
 * two testers, or one tester twice, are never the same participant, and
 * researchers can tell pilots from participants in the export.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const studyId = params.studyId;
  if (!studyId || !idSchema.safeParse(studyId).success) throw notFound();
  const { study } = await apiClient(context, { participantToken: null })
    .run(StudyPilotDocument, { id: studyId })
    .catch(pageError);
  if (!study) throw notFound();
  const headers = new Headers({ "Cache-Control": "no-store" });
  for (const cookie of clearedSessionCookies(new URL(request.url))) headers.append("Set-Cookie", cookie);
  throw redirect(study.pilotPath, { headers });
}

const notFound = () =>
  new Response("There is no study at this address. Please check the link you were given.", {
    status: 404,
    statusText: "Not Found",
  });
