import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { idSchema } from "../../api/domain/validation";
import { DESCRIPTION_PATH } from "../../api/export/http";
import { TABLE_NAMES } from "../../api/export/tables";
import { ApiCallError } from "../graphql/client.server";
import {
  StudyMonitorDocument,
  type StudyMonitorQuery,
  StudyParticipantsDocument,
} from "../graphql/generated/graphql";
import { Downloads } from "../research/downloads";
import { GroupedBarsSvg } from "../research/grouped-bars";
import { MeasurePlots } from "../research/measure-plots";
import { OutcomeTable } from "../research/outcome-table";
import { ParticipantList } from "../research/participant-list";
import { ProvenanceTable } from "../research/provenance-table";
import { REFRESH_SECONDS, useRefresh } from "../research/refresh";
import { ResearchLayout } from "../research/research-layout";
import { asResearcher } from "../research/session.server";
import { percent } from "../research/share";
import { TableScroll } from "../research/table-scroll";

/**
 * `/research/s/<studyId>`: a study's live monitor (docs/research.md), read
 * through the API's studyMonitor. With JS on it refreshes every 10 s
 * without a reload; with JS off, the Refresh link reloads it.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const studyId = idSchema.safeParse(params.studyId);
  if (!studyId.success) throw new Response("There is no study at this address.", { status: 404 });
  const after = new URL(request.url).searchParams.get("after");
  const { monitor, participants } = await asResearcher(request, context, async (api) => {
    try {
      const [m, p] = await Promise.all([
        api.run(StudyMonitorDocument, { studyId: studyId.data }),
        api.run(StudyParticipantsDocument, { studyId: studyId.data, first: PARTICIPANTS_PAGE, after }),
      ]);
      return { monitor: m.studyMonitor, participants: p.studyParticipants };
    } catch (error) {
      if (error instanceof ApiCallError && error.code === "NOT_FOUND")
        throw new Response(error.message, { status: 404 });
      if (error instanceof ApiCallError && error.code === "BAD_USER_INPUT")
        throw new Response("That page of participants does not exist.", { status: 400 });
      throw error;
    }
  });
  return json({
    monitor,
    participants,
    after,
    downloads: { tables: TABLE_NAMES, descriptionPath: DESCRIPTION_PATH },
    at: new Date().toISOString(),
  });
}

/** Participants listed a page at a time, the latest first. */
const PARTICIPANTS_PAGE = 200;

type Monitor = Omit<StudyMonitorQuery["studyMonitor"], "provenance">;

const fraction = (v: number | null | undefined) => (v === null || v === undefined ? "–" : percent(v));
const ms = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${Math.round(v)} ms`);
/** Total tokens and how many answers reported them; "not reported" when none did (scripted answers). */
const tokens = (t: Monitor["conditions"][number]["tokens"]) =>
  t.answersWithUsage === 0 ? "not reported" : `${t.totalTokens.toLocaleString("en")} (${t.answersWithUsage})`;
const ratio = (v: number | null | undefined) => (v === null || v === undefined ? "–" : v.toFixed(1));

function Num({ children }: { children: string | number }) {
  return <td className="number">{children}</td>;
}

function StateTable({ monitor }: { monitor: Monitor }) {
  return (
    <div className="chart-and-table">
      <TableScroll label="Participants per condition">
        <table className="research-table" data-table="participants">
          <caption>Participants per condition, and balance against the target weights</caption>
          <thead>
            <tr>
              <th scope="col">Condition</th>
              <th scope="col">Consented</th>
              <th scope="col">In progress</th>
              <th scope="col">Finished</th>
              <th scope="col">Withdrawn</th>
              <th scope="col">Share</th>
              <th scope="col">Target share (weight)</th>
            </tr>
          </thead>
          <tbody>
            {monitor.conditions.map((c) => (
              <tr key={c.condition} data-condition={c.condition}>
                <th scope="row">
                  <code>{c.condition}</code>
                  {c.inDefinition ? null : " (not in the definition)"}
                </th>
                <Num>{c.consented}</Num>
                <Num>{c.inProgress}</Num>
                <Num>{c.finished}</Num>
                <Num>{c.withdrawn}</Num>
                <Num>{fraction(c.share)}</Num>
                <Num>{`${fraction(c.targetShare)} (${c.weight ?? "–"})`}</Num>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <div className="state-chart">
        <GroupedBarsSvg
          id="consented-share"
          caption="Consented participants per condition"
          description="One bar per condition: its share of all consented participants. The table beside lists the counts."
          categoryName="Condition"
          categories={monitor.conditions.map((c) => c.condition)}
          series={[
            {
              name: "consented",
              cells: monitor.conditions.map((c) => ({ count: c.consented, of: monitor.consented })),
            },
          ]}
          ofName="consented"
        />
      </div>
    </div>
  );
}

function AnswersTable({ monitor }: { monitor: Monitor }) {
  return (
    <TableScroll label="Answers per condition">
      <table className="research-table" data-table="answers">
        <caption>Answers per condition</caption>
        <thead>
          <tr>
            <th scope="col">Condition</th>
            <th scope="col">Answers</th>
            <th scope="col">Per participant</th>
            <th scope="col">LLM failures</th>
            <th scope="col">Stopped</th>
            <th scope="col">Median latency</th>
            <th scope="col">Median time to first token</th>
            <th scope="col">Tokens (answers with usage)</th>
          </tr>
        </thead>
        <tbody>
          {monitor.conditions.map((c) => (
            <tr key={c.condition} data-condition={c.condition}>
              <th scope="row">
                <code>{c.condition}</code>
              </th>
              <Num>{c.answers}</Num>
              <Num>{ratio(c.answersPerParticipant)}</Num>
              <Num>{c.failures}</Num>
              <Num>{c.stopped}</Num>
              <Num>{ms(c.medianLatencyMs)}</Num>
              <Num>{ms(c.medianTtftMs)}</Num>
              <Num>{tokens(c.tokens)}</Num>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ActivityTable({ monitor }: { monitor: Monitor }) {
  if (monitor.activity.length === 0) return <p>No answers or events yet.</p>;
  return (
    <TableScroll label="Answers and events per hour">
      <table className="research-table" data-table="activity">
        <caption>Answers and events per hour (UTC), the latest hours with any</caption>
        <thead>
          <tr>
            <th scope="col">Hour (UTC)</th>
            <th scope="col">Answers</th>
            <th scope="col">Events</th>
          </tr>
        </thead>
        <tbody>
          {monitor.activity.map((h) => (
            <tr key={h.hour}>
              <th scope="row">{`${h.hour.replace("T", " ")}:00`}</th>
              <Num>{h.answers}</Num>
              <Num>{h.events}</Num>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export default function StudyMonitorPage() {
  const { monitor, participants, after, downloads, at } = useLoaderData<typeof loader>();
  useRefresh();
  const { study } = monitor;
  return (
    <ResearchLayout title={`Monitor: ${study.title}`} signedIn>
      <p className="monitor-meta">
        <code>{study.id}</code> version {study.version}, {study.active ? "active" : "closed"}; definition hash{" "}
        <code className="hash">{study.definitionHash ?? "none"}</code>
      </p>
      <p className="monitor-meta">
        Updated <time dateTime={at}>{at.slice(11, 19)} UTC</time>, every {REFRESH_SECONDS} s with JavaScript
        on. <a href={`/research/s/${study.id}`}>Refresh</a>
      </p>
      <h2>Participants</h2>
      <dl className="monitor-totals" data-totals="">
        <div>
          <dt>Consent shown</dt>
          <dd data-total="consentShown">{monitor.consentShown}</dd>
        </div>
        <div>
          <dt>Declined</dt>
          <dd data-total="consentDeclined">{monitor.consentDeclined}</dd>
        </div>
        <div>
          <dt>Consented</dt>
          <dd data-total="consented">{monitor.consented}</dd>
        </div>
        <div>
          <dt>Withdrew before assignment</dt>
          <dd data-total="withdrawnUnassigned">{monitor.withdrawnUnassigned}</dd>
        </div>
        <div>
          <dt>Duplicate panel ids</dt>
          <dd data-total="duplicatePanelIds">{monitor.duplicatePanelIds}</dd>
        </div>
      </dl>
      <StateTable monitor={monitor} />
      <h3>Outcomes</h3>
      <OutcomeTable conditions={monitor.conditions} />
      <h3>Each participant</h3>
      <ParticipantList
        studyId={study.id}
        page={participants}
        pageSize={PARTICIPANTS_PAGE}
        latestHref={after ? `/research/s/${study.id}` : null}
        earlierHref={
          participants.hasNextPage
            ? `/research/s/${study.id}?after=${encodeURIComponent(participants.participants.at(-1)?.cursor ?? "")}`
            : null
        }
      />
      <h2>Measures</h2>
      <MeasurePlots conditions={monitor.conditions} />
      <h2>Answers</h2>
      <AnswersTable monitor={monitor} />
      <h3>What produced them</h3>
      <ProvenanceTable rows={monitor.provenance} />
      <h2>Activity</h2>
      <ActivityTable monitor={monitor} />
      <h2>Downloads</h2>
      <Downloads studyId={study.id} {...downloads} />
    </ResearchLayout>
  );
}
