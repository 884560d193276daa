import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, type MetaFunction, useActionData, useLoaderData } from "@remix-run/react";
import { ApiCallError } from "../graphql/client.server";
import { FinishStudyDocument } from "../graphql/generated/graphql";
import { renderStudyText } from "../markdown/render.server";
import { studyPath } from "../participant/study-page";
import { Ending, type EndingView } from "../study/ending";
import { FinishCountdown } from "../study/finish-countdown";
import { requireConsent, type StudyVisit, visitStudy } from "../study/study.server";
import { StudyLayout } from "../study/study-layout";

/**
 * The end of a study: a confirmation (with the time left before the study
 * lets the participant finish, when it sets completion.minSeconds), then
 * their outcome's code and, when the outcome has one, the redirect to the
 * recruiting platform (study/ending.tsx). A participant whose part has
 * ended (any outcome: finished, timed out) sees that ending again, as the
 * consent page, the task and the chat send them here.
 */
/** Finishes (or, once ended, shows the same ending again: the API stores the first). */
async function ending(visit: StudyVisit): Promise<EndingView> {
  const { finishStudy } = await visit.session.api.run(FinishStudyDocument, {
    input: { studyId: visit.study.id, clientTime: new Date().toISOString() },
  });
  return {
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
  const ended = assignment.outcome !== null || assignment.finishedAt !== null;
  return json(
    {
      title: visit.study.title,
      chat: studyPath(visit.study.id, "chat"),
      trackerSession: visit.session.eventsToken,
      done: ended ? await ending(visit) : null,
      secondsUntilFinish: assignment.secondsUntilFinish,
    },
    { headers: visit.headers },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  const assignment = requireConsent(visit);
  const returning = assignment.outcome !== null;
  try {
    return json({ done: await ending(visit), returning, refused: null }, { headers: visit.headers });
  } catch (error) {
    if (error instanceof ApiCallError && error.code === "COMPLETION_NOT_MET") {
      return json({ done: null, returning, refused: error.message }, { status: 409, headers: visit.headers });
    }
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.done ? "Study ended" : "Finish the study" },
];

export default function Finish() {
  const loaded = useLoaderData<typeof loader>();
  const { title, chat, trackerSession } = loaded;
  const result = useActionData<typeof action>();
  const done = result?.done ?? loaded.done;
  if (done) {
    // Came back after their part ended: loaded ended, or posted again from an old page.
    const returning = result?.done ? result.returning : true;
    return <Ending title={title} ending={done} returning={returning} trackerSession={trackerSession} />;
  }
  return (
    <StudyLayout title={title} heading="Finish the study?" step="finish" trackerSession={trackerSession}>
      <p>When you finish, you get your completion code and cannot send more messages.</p>
      {loaded.secondsUntilFinish > 0 ? <FinishCountdown seconds={loaded.secondsUntilFinish} /> : null}
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
