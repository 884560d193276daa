import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import { idSchema } from "../../api/validation";
import { type ApiClient, apiClient } from "../graphql/client.server";
import { LogEventsDocument, StudyDocument, type StudyQuery } from "../graphql/generated/graphql";
import { type Identity, identify, withCookies } from "../participant/identity.server";
import { studyPath } from "../participant/study-page";

/**
 * What every step of a study's path needs: who the participant is, the
 * study, and their assignment (null before consent). Unknown studies are a
 * 404 page; the steps log themselves as STUDY_STEP events.
 */
export type StudyVisit = {
  identity: Identity;
  headers: Headers;
  api: ApiClient;
  study: NonNullable<StudyQuery["study"]>;
  assignment: StudyQuery["assignment"];
};

export async function visitStudy(request: Request, context: AppLoadContext, studyId: string | undefined) {
  if (!studyId || !idSchema.safeParse(studyId).success) throw notFound();
  const { identity, setCookies } = identify(request);
  const api = apiClient(context);
  const { study, assignment } = await api.run(StudyDocument, { id: studyId, userId: identity.userId });
  if (!study) throw notFound();
  return {
    identity,
    headers: withCookies(new Headers(), setCookies),
    api,
    study,
    assignment,
  } satisfies StudyVisit;
}

const notFound = () =>
  new Response("There is no study at this address. Please check the link you were given.", {
    status: 404,
    statusText: "Not Found",
  });

/** Steps after consent send a participant without an assignment back to the consent page. */
export function requireConsent(visit: StudyVisit): NonNullable<StudyVisit["assignment"]> {
  if (!visit.assignment) throw redirect(studyPath(visit.study.id), { headers: visit.headers });
  return visit.assignment;
}

/** Logs one step of the path (consent_shown, task_shown, ...). A failure is logged, never shown: the page matters more. */
export async function logStep(visit: StudyVisit, request: Request, step: string): Promise<void> {
  try {
    await visit.api.run(LogEventsDocument, {
      events: [
        {
          ...visit.identity,
          studyId: visit.study.id,
          eventId: crypto.randomUUID(),
          eventType: "STUDY_STEP",
          pageUrl: request.url.length <= 2048 ? request.url : undefined,
          extraData: { step },
        },
      ],
    });
  } catch (error) {
    console.error(`study step ${step} not stored`, error);
  }
}
