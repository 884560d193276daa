import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, type MetaFunction, useActionData, useLoaderData } from "@remix-run/react";
import { FinishStudyDocument } from "../graphql/generated/graphql";
import { renderStudyText } from "../markdown/render.server";
import { studyPath } from "../participant/study-page";
import { requireConsent, visitStudy } from "../study/study.server";
import { StudyLayout, StudyText } from "../study/study-layout";

/**
 * The end of a study: a confirmation, then the completion code and, when the
 * study has one, the redirect to the recruiting platform's completion URL
 * (a meta refresh, so it works with JavaScript off, and a link).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  requireConsent(visit);
  return json(
    { title: visit.study.title, chat: studyPath(visit.study.id, "chat") },
    { headers: visit.headers },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  requireConsent(visit);
  const { finishStudy } = await visit.api.run(FinishStudyDocument, {
    input: { ...visit.identity, studyId: visit.study.id, clientTime: new Date().toISOString() },
  });
  return json(
    {
      code: finishStudy.code,
      message: finishStudy.message ? renderStudyText(finishStudy.message) : null,
      redirectUrl: finishStudy.redirectUrl ?? null,
      delay: finishStudy.redirectDelaySeconds,
    },
    { headers: visit.headers },
  );
}

export const meta: MetaFunction<typeof loader> = () => [{ title: "Finish the study" }];

export default function Finish() {
  const { title, chat } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  if (done) {
    return (
      <StudyLayout title={title} step="completed">
        {done.redirectUrl ? (
          <meta httpEquiv="refresh" content={`${done.delay};url=${done.redirectUrl}`} />
        ) : null}
        {done.message ? <StudyText html={done.message} /> : <h1>Thank you!</h1>}
        <p className="completion">
          Your completion code: <strong data-completion-code>{done.code}</strong>
        </p>
        {done.redirectUrl ? (
          <p>
            You will be taken back in {done.delay} seconds.{" "}
            <a href={done.redirectUrl} data-completion-link>
              Go now
            </a>
          </p>
        ) : null}
      </StudyLayout>
    );
  }
  return (
    <StudyLayout title={title} step="finish">
      <h1>Finish the study?</h1>
      <p>When you finish, you get your completion code and cannot send more messages.</p>
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
