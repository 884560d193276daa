import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import {
  Form,
  Link,
  type MetaFunction,
  type ShouldRevalidateFunction,
  useActionData,
  useLoaderData,
} from "@remix-run/react";
import { ApiCallError } from "../graphql/client.server";
import { FinishStudyDocument } from "../graphql/generated/graphql";
import { renderStudyText } from "../markdown/render.server";
import { CompletionRedirect } from "../study/completion-redirect";
import { embedOf, requireConsent, type StudyVisit, stepPath, visitStudy } from "../study/study.server";
import { StudyLayout, StudyText } from "../study/study-layout";

/**
 * The end of a study: a confirmation, then the completion code and, when the
 * study has one, the redirect to the recruiting platform's completion URL
 * (a countdown the participant can stop, a meta refresh with JavaScript
 * off, and a link: study/completion-redirect.tsx).
 */
/** Finishes (or, once finished, shows the same completion again: the API stores it once). */
async function completion(visit: StudyVisit) {
  const { finishStudy } = await visit.session.api.run(FinishStudyDocument, {
    input: { studyId: visit.study.id, clientTime: new Date().toISOString() },
  });
  return {
    // How the participant's part ended (completed, or timed-out where the time ran out first).
    outcome: finishStudy.outcome,
    code: finishStudy.code,
    message: finishStudy.message ? renderStudyText(finishStudy.message) : null,
    redirectUrl: finishStudy.redirectUrl ?? null,
    delay: finishStudy.redirectDelaySeconds,
  };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  const assignment = requireConsent(visit);
  return json(
    {
      title: visit.study.title,
      chat: stepPath(visit, "chat"),
      trackerSession: visit.session.eventsToken,
      studyId: visit.study.id,
      embed: embedOf(visit),
      done: assignment.finishedAt ? await completion(visit) : null,
    },
    { headers: visit.headers },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  requireConsent(visit);
  try {
    return json({ done: await completion(visit), refused: null }, { headers: visit.headers });
  } catch (error) {
    if (error instanceof ApiCallError && error.code === "COMPLETION_NOT_MET") {
      return json({ done: null, refused: error.message }, { status: 409, headers: visit.headers });
    }
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = () => [{ title: "Finish the study" }];

/**
 * Once finished, the page shows the action's completion and loads nothing
 * again: a URL token stops acting at finish (api/participants/url-token.ts),
 * so a reload of the loader would meet a stranger.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { done?: unknown } | undefined)?.done ? false : defaultShouldRevalidate;

export default function Finish() {
  const loaded = useLoaderData<typeof loader>();
  const { title, chat, trackerSession, studyId, embed } = loaded;
  const frame = { trackerSession, embed, studyId };
  const result = useActionData<typeof action>();
  const done = result?.done ?? loaded.done;
  if (done) {
    return (
      <StudyLayout
        title={title}
        heading="Study complete"
        step="completed"
        {...frame}
        message={{ type: "finished", outcome: done.outcome, code: done.code }}
      >
        {done.message ? <StudyText html={done.message} /> : <p>Thank you for taking part.</p>}
        <p className="completion">
          Your completion code: <strong data-completion-code>{done.code}</strong>
        </p>
        {done.redirectUrl ? <CompletionRedirect url={done.redirectUrl} delay={done.delay} /> : null}
      </StudyLayout>
    );
  }
  return (
    <StudyLayout title={title} heading="Finish the study?" step="finish" {...frame}>
      <p>When you finish, you get your completion code and cannot send more messages.</p>
      {result?.refused ? (
        <p className="error" role="alert">
          {result.refused}
        </p>
      ) : null}
      <Form method="post" className="choices">
        <button type="submit" className="primary">
          Finish and get my code
        </button>
        <Link to={chat} className="button secondary">
          Back to the chat
        </Link>
      </Form>
    </StudyLayout>
  );
}
