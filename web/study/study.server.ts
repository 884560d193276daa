import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import { pageError } from "../chat/chat.server";
import {
  FinishStudyDocument,
  LogEventsDocument,
  StudyDocument,
  type StudyQuery,
} from "../graphql/generated/graphql";
import { type ParticipantSession, participantSession } from "../participant/session.server";
import { studyPath } from "../participant/study-page";

/**
 * What every step of a study's path needs: the participant's session, the
 * study, and their assignment (null before consent). Unknown studies are a
 * 404 page; the steps log themselves as STUDY_STEP events.
 */
export type StudyVisit = {
  session: ParticipantSession;
  headers: Headers;
  study: NonNullable<StudyQuery["study"]>;
  assignment: StudyQuery["assignment"];
};

export async function visitStudy(
  request: Request,
  context: AppLoadContext,
  studyId: string | undefined,
): Promise<StudyVisit> {
  if (!studyId || !idSchema.safeParse(studyId).success) throw notFound();
  const session = await participantSession(request, context).catch(pageError);
  let { study, assignment } = await session.api.run(StudyDocument, { id: studyId }).catch(pageError);
  if (!study) throw notFound();
  if (assignment && assignment.outcome === null && assignment.secondsUntilTimeUp === 0) {
    // Their time is up (completion.maxSeconds, on the server's clock): finishing
    // now ends their part timed-out, whichever page they asked for, so the
    // limit holds without any script in the page.
    await session.api
      .run(FinishStudyDocument, { input: { studyId, clientTime: new Date().toISOString() } })
      .catch(pageError);
    ({ study, assignment } = await session.api.run(StudyDocument, { id: studyId }).catch(pageError));
    if (!study) throw notFound();
  }
  return { session, headers: session.headers, study, assignment };
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

/**
 * Steps of taking part (task, chat) send a participant whose part has ended
 * (any outcome) to the finish page, which shows their outcome's code again.
 */
export function requireTakingPart(visit: StudyVisit): NonNullable<StudyVisit["assignment"]> {
  const assignment = requireConsent(visit);
  if (assignment.outcome !== null || assignment.finishedAt) {
    throw redirect(studyPath(visit.study.id, "finish"), { headers: visit.headers });
  }
  return assignment;
}

/** Logs one step of the path (consent_shown, task_shown, ...). A failure is logged, never shown: the page matters more. */
export async function logStep(visit: StudyVisit, request: Request, step: string): Promise<void> {
  try {
    await visit.session.api.run(LogEventsDocument, {
      events: [
        {
          userId: visit.session.userId,
          sessionId: visit.session.sessionId,
          studyId: visit.study.id,
          eventId: crypto.randomUUID(),
          eventType: "STUDY_STEP",
          pageUrl: request.url.length <= 2048 ? request.url : undefined,
          extraData: { step },
        },
      ],
    });
  } catch (error) {
    console.error(`study step ${step} not stored: ${error instanceof Error ? error.name : typeof error}`);
  }
}
