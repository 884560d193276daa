import type { StudyParticipantsQuery } from "../graphql/generated/graphql";
import { TableScroll } from "./table-scroll";

type Page = StudyParticipantsQuery["studyParticipants"];

/** Where one participant's timeline is. */
export const timelinePath = (studyId: string, userId: string) =>
  `/research/s/${encodeURIComponent(studyId)}/p/${encodeURIComponent(userId)}`;

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;

/**
 * The study's participants, the latest consent first, a page at a time,
 * each linking to their timeline; withdrawn participants are gone (their
 * assignment is deleted) and only counted in the table above.
 */
export function ParticipantList({
  studyId,
  page,
  pageSize,
  earlierHref,
  latestHref,
}: {
  studyId: string;
  page: Page;
  pageSize: number;
  /** The next page (earlier participants); null on the last. */
  earlierHref: string | null;
  /** The first page (the latest participants); null on it. */
  latestHref: string | null;
}) {
  if (page.participants.length === 0) return <p>Nobody has consented yet (or everyone withdrew).</p>;
  return (
    <>
      <TableScroll label="Each participant">
        <table className="research-table" data-table="participant-list">
          <caption>
            Participants, the latest consent first ({pageSize} a page; withdrawn participants are not listed)
          </caption>
          <thead>
            <tr>
              <th scope="col">Participant</th>
              <th scope="col">Condition</th>
              <th scope="col">State</th>
              <th scope="col">Answers</th>
              <th scope="col">Source clicks</th>
              <th scope="col">Consented (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {page.participants.map(({ assignment: a, answers, sourceClicks }) => (
              <tr key={a.userId} data-user={a.userId}>
                <th scope="row">
                  <a href={timelinePath(studyId, a.userId)}>
                    <span className="visually-hidden">Timeline of </span>
                    <code>{a.userId}</code>
                  </a>
                </th>
                <td>
                  <code>{a.condition}</code>
                </td>
                <td data-outcome={a.outcome ?? undefined}>
                  {a.outcome ?? (a.finishedAt ? "finished" : "in progress")}
                </td>
                <td className="number">{answers}</td>
                <td className="number">{sourceClicks}</td>
                <td>
                  <time dateTime={a.assignedAt}>{utc(a.assignedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p>
        {latestHref ? (
          <>
            <a href={latestHref}>Latest participants</a>{" "}
          </>
        ) : null}
        {earlierHref ? <a href={earlierHref}>Earlier participants</a> : null}
      </p>
    </>
  );
}
