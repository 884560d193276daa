import {
  type ActionFunctionArgs,
  type HeadersFunction,
  json,
  type LoaderFunctionArgs,
} from "@remix-run/cloudflare";
import {
  Form,
  Link,
  type MetaFunction,
  type ShouldRevalidateFunction,
  useActionData,
  useLoaderData,
} from "@remix-run/react";
import { panelFormOrigins } from "../../api/studies/panels";
import { ApiCallError } from "../graphql/client.server";
import { renderStudyText } from "../markdown/render.server";
import { FORM_ACTION_HEADER } from "../security/headers.server";
import { Ending, type EndingView } from "../study/ending";
import { FinishCountdown } from "../study/finish-countdown";
import {
  embedOf,
  endVisit,
  requireConsent,
  type StudyVisit,
  stepPath,
  visitStudy,
} from "../study/study.server";
import { StudyLayout } from "../study/study-layout";

/**
 * The end of a study: a confirmation (with the time left before the study
 * lets the participant finish, when it sets completion.minSeconds), then
 * their outcome's code and, when the outcome has one, the redirect to the
 * recruiting platform, or for MTurk the form that submits the HIT
 * (study/ending.tsx). A participant whose part has ended (any outcome:
 * finished, timed out) sees that ending again, as the consent page, the
 * task and the chat send them here. The page of an MTurk study lets forms
 * post to MTurk's hosts (and no others) from its first load, since with
 * JavaScript on the form appears in that same document. Inside a survey's
 * frame the ending is also posted to the survey (`finished`: embedding/).
 */
/** Finishes (or, once ended, shows the same ending again: the API stores the first). */
async function ending(visit: StudyVisit): Promise<EndingView> {
  const ended = await endVisit(visit);
  return {
    outcome: ended.outcome,
    code: ended.code,
    message: ended.message ? renderStudyText(ended.message) : null,
    redirectUrl: ended.redirectUrl ?? null,
    delay: ended.redirectDelaySeconds,
    panelSubmit: ended.panelSubmit ?? null,
  };
}

/** The headers that let this study's panel take a form from the page (MTurk's externalSubmit). */
function panelHeaders(visit: StudyVisit): Headers {
  const headers = new Headers(visit.headers);
  const origins = panelFormOrigins(visit.study.panel);
  if (origins.length > 0) headers.set(FORM_ACTION_HEADER, origins.join(" "));
  return headers;
}

/** Passes the loader's or action's form targets and cookies on to the document. */
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const result = new Headers();
  for (const from of [loaderHeaders, actionHeaders]) {
    const asked = from.get(FORM_ACTION_HEADER);
    if (asked) result.set(FORM_ACTION_HEADER, asked);
  }
  return result;
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  const assignment = requireConsent(visit);
  const ended = assignment.outcome !== null || assignment.finishedAt !== null;
  return json(
    {
      title: visit.study.title,
      chat: stepPath(visit, "chat"),
      trackerSession: visit.session.eventsToken,
      studyId: visit.study.id,
      embed: embedOf(visit),
      done: ended ? await ending(visit) : null,
      secondsUntilFinish: assignment.secondsUntilFinish,
    },
    { headers: panelHeaders(visit) },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  const assignment = requireConsent(visit);
  const returning = assignment.outcome !== null;
  try {
    return json({ done: await ending(visit), returning, refused: null }, { headers: panelHeaders(visit) });
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

/**
 * Once ended, the page shows the action's ending and loads nothing again: a
 * URL token stops acting when the part ends (api/participants/url-token.ts),
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
    // Came back after their part ended: loaded ended, or posted again from an old page.
    const returning = result?.done ? result.returning : true;
    return <Ending title={title} ending={done} returning={returning} {...frame} />;
  }
  return (
    <StudyLayout title={title} heading="Finish the study?" step="finish" {...frame}>
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
