import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { WithdrawDocument } from "../graphql/generated/graphql";
import { studyMeta } from "../study/meta";
import { embedOf, stepPath, visitStudy } from "../study/study.server";
import { StudyLayout } from "../study/study-layout";

/** Withdrawal: after a confirmation, every record of the participant in the study is deleted. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  // No redirect without an assignment: right after withdrawing there is none, and the page says so.
  return json(
    {
      title: visit.study.title,
      enrolled: visit.assignment !== null,
      studyId: visit.study.id,
      embed: embedOf(visit),
      chat: stepPath(visit, "chat"),
    },
    { headers: visit.headers },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  if ((await request.formData()).get("confirm") !== "yes") {
    return json({ withdrawn: false, deleted: 0 }, { status: 400, headers: visit.headers });
  }
  const { withdraw } = await visit.session.api.run(WithdrawDocument, { studyId: visit.study.id });
  return json(
    { withdrawn: true, deleted: withdraw.deletedQueries + withdraw.deletedEvents },
    { headers: visit.headers },
  );
}

export const meta = studyMeta;

export default function Withdraw() {
  const { title, chat, enrolled, studyId, embed } = useLoaderData<typeof loader>();
  const frame = { embed, studyId };
  const result = useActionData<typeof action>();
  if (result?.withdrawn) {
    return (
      <StudyLayout
        title={title}
        heading="You have withdrawn"
        step="withdrawn"
        {...frame}
        message={{ type: "withdrawn" }}
      >
        <p data-deleted={result.deleted}>
          Your records in this study, and your messages in the open chat, were deleted. Thank you for your
          time; you can close this page (on Prolific, please return the study).
        </p>
      </StudyLayout>
    );
  }
  if (!enrolled) {
    return (
      <StudyLayout title={title} heading="Nothing to withdraw" step="withdrawn" {...frame}>
        <p>You are not taking part in this study, so nothing is recorded about you here.</p>
      </StudyLayout>
    );
  }
  return (
    <StudyLayout title={title} heading="Withdraw from the study?" step="withdraw" {...frame}>
      <p>
        Everything recorded about you in this study (your messages, the answers, your clicks and scrolling)
        will be deleted, and so will your messages in the open chat. This cannot be undone, you will not get a
        completion code, and you cannot take part in this study again. Only a note that someone withdrew is
        kept, without anything you wrote.
      </p>
      <Form method="post" className="choices">
        <button type="submit" name="confirm" value="yes" className="danger">
          Yes, delete my records
        </button>
        <Link to={chat} className="button secondary">
          No, back to the chat
        </Link>
      </Form>
    </StudyLayout>
  );
}
