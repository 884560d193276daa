import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { renderStudyText } from "../markdown/render.server";
import { studyMeta } from "../study/meta";
import { embedOf, logStep, requireTakingPart, stepPath, visitStudy } from "../study/study.server";
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
      chat: stepPath(visit, "chat"),
      trackerSession: visit.session.eventsToken,
      studyId: visit.study.id,
      embed: embedOf(visit),
    },
    { headers: visit.headers },
  );
}

export const meta = studyMeta;

export default function Task() {
  const { title, task, chat, trackerSession, studyId, embed } = useLoaderData<typeof loader>();
  return (
    <StudyLayout title={title} step="task" trackerSession={trackerSession} embed={embed} studyId={studyId}>
      <StudyText html={task} />
      <p className="choices">
        <Link to={chat} className="button primary">
          Start
        </Link>
      </p>
    </StudyLayout>
  );
}
