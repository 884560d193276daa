import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { renderStudyText } from "../markdown/render.server";
import { studyPath } from "../participant/study-page";
import { studyMeta } from "../study/meta";
import { logStep, requireTakingPart, visitStudy } from "../study/study.server";
import { StudyLayout, StudyText } from "../study/study-layout";

/** The task instructions, after consent and before the chat. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  requireTakingPart(visit);
  await logStep(visit, request, "task_shown");
  return json(
    {
      title: visit.study.title,
      task: renderStudyText(visit.study.task),
      chat: studyPath(visit.study.id, "chat"),
      trackerSession: visit.session.eventsToken,
    },
    { headers: visit.headers },
  );
}

export const meta = studyMeta;

export default function Task() {
  const { title, task, chat, trackerSession } = useLoaderData<typeof loader>();
  return (
    <StudyLayout title={title} step="task" trackerSession={trackerSession}>
      <StudyText html={task} />
      <p className="choices">
        <Link to={chat} className="button primary">
          Start
        </Link>
      </p>
    </StudyLayout>
  );
}
