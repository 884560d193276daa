import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import type { StudyEmbedding } from "../../api/studies/embedding";
import { pageError } from "../chat/chat.server";
import { embeddingOf } from "../embedding/context.server";
import { LogEventsDocument, StudyDocument, type StudyQuery } from "../graphql/generated/graphql";
import { withLinkToken } from "../participant/link-token";
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
  /** Who may frame the study's pages and hear their messages; null: nobody (api/studies/embedding.ts). */
  embedding: StudyEmbedding | null;
};

const visits = new WeakMap<AppLoadContext, Promise<StudyVisit>>();

/**
 * The visit of this request, once: an action and the loaders after it (a
 * form posted without JavaScript) see the same one, so a participant whose
 * URL token finishing has just ended still gets the page that shows their
 * code (api/participants/url-token.ts).
 */
export function visitStudy(
  request: Request,
  context: AppLoadContext,
  studyId: string | undefined,
): Promise<StudyVisit> {
  let visit = visits.get(context);
  if (!visit) {
    visit = startVisit(request, context, studyId);
    visits.set(context, visit);
  }
  return visit;
}

async function startVisit(
  request: Request,
  context: AppLoadContext,
  studyId: string | undefined,
): Promise<StudyVisit> {
  if (!studyId || !idSchema.safeParse(studyId).success) throw notFound();
  const session = await participantSession(request, context, studyId).catch(pageError);
  const { study, assignment } = await session.api.run(StudyDocument, { id: studyId }).catch(pageError);
  if (!study) throw notFound();
  return { session, headers: session.headers, study, assignment, embedding: embeddingOf(context, study.id) };
}

/** A step's address for this participant: with their URL token when the session travels in links. */
export const stepPath = (visit: StudyVisit, step = "") =>
  withLinkToken(studyPath(visit.study.id, step), visit.session.linkToken);

/** What the page's script needs to talk to the framing survey: where it may post; null: not embeddable. */
export const embedOf = (visit: StudyVisit) =>
  visit.embedding ? { messageOrigins: visit.embedding.messageOrigins } : null;

const notFound = () =>
  new Response("There is no study at this address. Please check the link you were given.", {
    status: 404,
    statusText: "Not Found",
  });

/** Steps after consent send a participant without an assignment back to the consent page. */
export function requireConsent(visit: StudyVisit): NonNullable<StudyVisit["assignment"]> {
  if (!visit.assignment) throw redirect(stepPath(visit), { headers: visit.headers });
  return visit.assignment;
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
