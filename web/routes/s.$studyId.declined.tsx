import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { studyMeta } from "../study/meta";
import { embedOf, visitStudy } from "../study/study.server";
import { StudyLayout } from "../study/study-layout";

/** Where a participant who did not consent ends: nothing more is stored. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  return json(
    { title: visit.study.title, studyId: visit.study.id, embed: embedOf(visit) },
    { headers: visit.headers },
  );
}

export const meta = studyMeta;

export default function Declined() {
  const { title, studyId, embed } = useLoaderData<typeof loader>();
  return (
    <StudyLayout title={title} heading="Thank you" step="declined" embed={embed} studyId={studyId}>
      <p>
        You chose not to take part, and that is fine. Nothing more about you will be recorded. You can close
        this page now (on Prolific, please return the study).
      </p>
    </StudyLayout>
  );
}
