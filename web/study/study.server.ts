import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import type { StudyEmbedding } from "../../api/studies/embedding";
import { pageError } from "../chat/chat.server";
import { embeddingOf } from "../embedding/context.server";
import {
  FinishStudyDocument,
  type FinishStudyMutation,
  LogEventsDocument,
  StudyDocument,
  type StudyQuery,
} from "../graphql/generated/graphql";
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
  /** How the participant's part ended, once this request has asked the API (endVisit); null: not asked. */
  ended: FinishStudyMutation["finishStudy"] | null;
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
  const visit: StudyVisit = {
    session,
    headers: session.headers,
    study,
    assignment,
    embedding: embeddingOf(context, study.id),
    ended: null,
  };
  if (assignment && assignment.outcome === null && assignment.secondsUntilTimeUp === 0) {
    // Their time is up (completion.maxSeconds, on the server's clock): finishing
    // now ends their part timed-out, whichever page they asked for, so the
    // limit holds without any script in the page. The ending is kept on the
    // visit rather than read again: a URL token stops acting once the part ends.
    const ended = await endVisit(visit).catch(pageError);
    visit.assignment = { ...assignment, outcome: ended.outcome, finishedAt: new Date().toISOString() };
  }
  return visit;
}

/**
 * Finishes the participant's part (or, once ended, reads the same ending
 * again: the API stores the first), once per request: the action and the
 * loaders after it share the answer.
 */
export async function endVisit(visit: StudyVisit): Promise<FinishStudyMutation["finishStudy"]> {
  if (!visit.ended) {
    const { finishStudy } = await visit.session.api.run(FinishStudyDocument, {
      input: { studyId: visit.study.id, clientTime: new Date().toISOString() },
    });
    visit.ended = finishStudy;
  }
  return visit.ended;
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

/**
 * Steps of taking part (task, chat) send a participant whose part has ended
 * (any outcome) to the finish page, which shows their outcome's code again.
 */
export function requireTakingPart(visit: StudyVisit): NonNullable<StudyVisit["assignment"]> {
  const assignment = requireConsent(visit);
  if (assignment.outcome !== null || assignment.finishedAt) {
    throw redirect(stepPath(visit, "finish"), { headers: visit.headers });
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
