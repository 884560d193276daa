import {
  type ActionFunctionArgs,
  type HeadersFunction,
  json,
  type LoaderFunctionArgs,
} from "@remix-run/cloudflare";
import { Form, Link, type MetaFunction, useActionData, useLoaderData } from "@remix-run/react";
import { panelFormOrigins } from "../../api/studies/panels";
import { ApiCallError } from "../graphql/client.server";
import { FinishStudyDocument } from "../graphql/generated/graphql";
import { renderStudyText } from "../markdown/render.server";
import { studyPath } from "../participant/study-page";
import { FORM_ACTION_HEADER } from "../security/headers.server";
import { CompletionRedirect } from "../study/completion-redirect";
import { PanelSubmitForm } from "../study/panel-submit";
import { requireConsent, type StudyVisit, visitStudy } from "../study/study.server";
import { StudyLayout, StudyText } from "../study/study-layout";

/**
 * The end of a study: a confirmation, then the completion code and, when the
 * study has one, the redirect to the recruiting platform's completion URL
 * (a countdown the participant can stop, a meta refresh with JavaScript
 * off, and a link: study/completion-redirect.tsx), or, for MTurk, the form
 * that submits the HIT (study/panel-submit.tsx). The page of an MTurk
 * study lets forms post to MTurk's hosts (and no others) from its first
 * load, since with JavaScript on the form appears in that same document.
 */
/** Finishes (or, once finished, shows the same completion again: the API stores it once). */
async function completion(visit: StudyVisit) {
  const { finishStudy } = await visit.session.api.run(FinishStudyDocument, {
    input: { studyId: visit.study.id, clientTime: new Date().toISOString() },
  });
  return {
    code: finishStudy.code,
    message: finishStudy.message ? renderStudyText(finishStudy.message) : null,
    redirectUrl: finishStudy.redirectUrl ?? null,
    delay: finishStudy.redirectDelaySeconds,
    panelSubmit: finishStudy.panelSubmit ?? null,
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
  return json(
    {
      title: visit.study.title,
      chat: studyPath(visit.study.id, "chat"),
      trackerSession: visit.session.eventsToken,
      done: assignment.finishedAt ? await completion(visit) : null,
    },
    { headers: panelHeaders(visit) },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  requireConsent(visit);
  try {
    return json({ done: await completion(visit), refused: null }, { headers: panelHeaders(visit) });
  } catch (error) {
    if (error instanceof ApiCallError && error.code === "COMPLETION_NOT_MET") {
      return json({ done: null, refused: error.message }, { status: 409, headers: visit.headers });
    }
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = () => [{ title: "Finish the study" }];

export default function Finish() {
  const loaded = useLoaderData<typeof loader>();
  const { title, chat, trackerSession } = loaded;
  const result = useActionData<typeof action>();
  const done = result?.done ?? loaded.done;
  if (done) {
    return (
      <StudyLayout title={title} heading="Study complete" step="completed" trackerSession={trackerSession}>
        {done.message ? <StudyText html={done.message} /> : <p>Thank you for taking part.</p>}
        <p className="completion">
          Your completion code: <strong data-completion-code>{done.code}</strong>
        </p>
        {done.panelSubmit ? (
          <PanelSubmitForm submit={done.panelSubmit} />
        ) : done.redirectUrl ? (
          <CompletionRedirect url={done.redirectUrl} delay={done.delay} />
        ) : null}
      </StudyLayout>
    );
  }
  return (
    <StudyLayout title={title} heading="Finish the study?" step="finish" trackerSession={trackerSession}>
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
