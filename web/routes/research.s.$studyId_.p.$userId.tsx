import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { idSchema } from "../../api/domain/validation";
import { ApiCallError, type ApiClient } from "../graphql/client.server";
import {
  ExportPageDocument,
  type ExportPageQuery,
  ParticipantAssignmentDocument,
  WithdrawParticipantDocument,
} from "../graphql/generated/graphql";
import { timelineAnswerHtml } from "../research/answer-html.server";
import { timelinePath } from "../research/participant-list";
import { ResearchLayout } from "../research/research-layout";
import { asResearcher } from "../research/session.server";
import { type AnswerRecord, type EventRecord, timeline } from "../research/timeline";
import { TimelineList } from "../research/timeline-list";

/**
 * `/research/s/<studyId>/p/<userId>`: one participant's visit in order
 * (docs/research.md), read from the researcher's export filtered to them;
 * and their withdrawal (a confirmation, then the withdraw mutation).
 */

/** Records read per page, and at most this many pages (the page says when it stopped there). */
const PAGE = 1000;
const MAX_PAGES = 10;

function ids(params: LoaderFunctionArgs["params"]) {
  const studyId = idSchema.safeParse(params.studyId);
  const userId = idSchema.safeParse(params.userId);
  if (!studyId.success || !userId.success)
    throw new Response("There is no participant here.", { status: 404 });
  return { studyId: studyId.data, userId: userId.data };
}

async function notFoundAs404<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiCallError && error.code === "NOT_FOUND")
      throw new Response(error.message, { status: 404 });
    throw error;
  }
}

async function visitRecords(api: ApiClient, studyId: string, userId: string) {
  const records: (AnswerRecord | EventRecord)[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { export: e }: ExportPageQuery = await api.run(ExportPageDocument, {
      filter: { studyIds: [studyId], userIds: [userId] },
      first: PAGE,
      after,
    });
    for (const { node } of e.edges) {
      if (node.__typename === "QueryRecord") {
        records.push({ ...node, kind: "answer", provenance: node.provenance ?? null });
      } else {
        records.push({ ...node, kind: "event" });
      }
    }
    if (!e.pageInfo.hasNextPage) return { records, complete: true };
    after = e.pageInfo.endCursor;
  }
  return { records, complete: false };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { studyId, userId } = ids(params);
  const search = new URL(request.url).searchParams;
  const { assignment, visit } = await asResearcher(request, context, (api) =>
    notFoundAs404(async () => {
      const [a, v] = await Promise.all([
        api.run(ParticipantAssignmentDocument, { studyId, userId }),
        visitRecords(api, studyId, userId),
      ]);
      return { assignment: a.assignment, visit: v };
    }),
  );
  const withdrawn = /^(\d+),(\d+)$/.exec(search.get("withdrawn") ?? "");
  const found = assignment !== null || visit.records.length > 0;
  return json(
    {
      studyId,
      userId,
      assignment,
      entries: timeline(visit.records, timelineAnswerHtml),
      complete: visit.complete,
      confirming: found && search.get("withdraw") === "confirm",
      withdrawn: withdrawn ? { queries: Number(withdrawn[1]), events: Number(withdrawn[2]) } : null,
      found,
    },
    { status: found ? 200 : 404 },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { studyId, userId } = ids(params);
  // The confirmation's button alone withdraws; anything else asks again.
  if ((await request.formData()).get("confirm") !== "yes")
    throw redirect(`${timelinePath(studyId, userId)}?withdraw=confirm`);
  const { withdraw } = await asResearcher(request, context, (api) =>
    notFoundAs404(() => api.run(WithdrawParticipantDocument, { studyId, userId })),
  );
  return redirect(
    `${timelinePath(studyId, userId)}?withdrawn=${withdraw.deletedQueries},${withdraw.deletedEvents}`,
  );
}

export default function ParticipantTimeline() {
  const { studyId, userId, assignment, entries, complete, confirming, withdrawn, found } =
    useLoaderData<typeof loader>();
  const monitor = `/research/s/${encodeURIComponent(studyId)}`;
  return (
    <ResearchLayout title={`Participant ${userId}`} signedIn>
      <p className="monitor-meta">
        In <a href={monitor}>{studyId}</a>
      </p>
      {withdrawn ? (
        <p role="status" data-withdrawn="">
          Withdrawn by a researcher: {withdrawn.queries} answers and {withdrawn.events} events were deleted,
          and the withdrawal audit has an entry without their content.
        </p>
      ) : null}
      {found ? null : (
        <p data-not-found="">
          Nothing of this participant is stored in this study: they withdrew (or were withdrawn), or never
          took part. <a href={monitor}>Back to the monitor</a>
        </p>
      )}
      {assignment ? (
        <dl className="participant-facts" data-facts="">
          <div>
            <dt>Condition</dt>
            <dd data-fact="condition">
              <code>{assignment.condition}</code>
            </dd>
          </div>
          <div>
            <dt>Panel id</dt>
            <dd data-fact="panelParticipantId">{assignment.panelParticipantId ?? "none"}</dd>
          </div>
          <div>
            <dt>State</dt>
            <dd data-fact="state">{assignment.finishedAt ? "finished" : "in progress"}</dd>
          </div>
          <div>
            <dt>Study version</dt>
            <dd>{assignment.studyVersion}</dd>
          </div>
        </dl>
      ) : null}
      {found ? (
        <>
          <h2>The visit, in order</h2>
          {complete ? null : (
            <p role="note">
              Only the first {PAGE * MAX_PAGES} records are shown; the downloads have them all.
            </p>
          )}
          <TimelineList entries={entries} />
          <h2>Withdraw</h2>
          {confirming ? (
            <Form method="post" className="choices" reloadDocument>
              <p>
                Withdraw this participant? Every answer and event of theirs in this study, and their open-chat
                messages, are deleted, and they cannot take part again. This cannot be undone.
              </p>
              <button type="submit" name="confirm" value="yes" className="danger">
                Yes, withdraw and delete their records
              </button>
              <a href={timelinePath(studyId, userId)} className="button secondary">
                No, keep them
              </a>
            </Form>
          ) : (
            <Form method="get">
              <button type="submit" name="withdraw" value="confirm" className="button secondary">
                Withdraw this participant…
              </button>
            </Form>
          )}
        </>
      ) : null}
    </ResearchLayout>
  );
}
