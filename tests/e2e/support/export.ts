/**
 * The researchers' export: one participant's stored records through the
 * GraphQL export, paged with its cursors, and polling until the tracker's
 * events arrive.
 */
import { expect } from "vitest";
import { BASE_URL, RESEARCHER_TOKEN } from "./env";

type RecordBase = {
  id: string;
  userId: string;
  sessionId: string;
  prolificStudyId: string | null;
  /** Prolific's PROLIFIC_PID and SESSION_ID bound to the session (the participant id is the server's). */
  panelParticipantId: string | null;
  panelSessionId: string | null;
  /** The study the record belongs to, the participant's condition in it (null before consent), its version. */
  studyId: string | null;
  condition: string | null;
  studyVersion: number | null;
  receivedAt: string;
  clientTime: string | null;
};
export type QueryRecord = RecordBase & {
  __typename: "QueryRecord";
  conversationId: string;
  query: string;
  response: string | null;
  error: string | null;
  model: string;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  stopped: boolean;
  sources: { rank: number; title: string; url: string; content: string | null }[];
};
export type EventRecord = RecordBase & {
  __typename: "EventRecord";
  eventId: string;
  eventType: "BROWSE" | "CLICK" | "SCROLL" | "CONVERSION" | "STUDY_STEP";
  queryId: string | null;
  targetUrl: string | null;
  pageUrl: string | null;
  extraData: Record<string, unknown> | null;
};
export type ExportedRecord = QueryRecord | EventRecord;

const EXPORT = /* GraphQL */ `
  query Export(
    $after: String
    $first: Int!
    $userIds: [ID!]
    $panelParticipantIds: [ID!]
    $studyIds: [ID!]
    $conditions: [String!]
  ) {
    export(
      first: $first
      after: $after
      filter: {
        userIds: $userIds
        panelParticipantIds: $panelParticipantIds
        studyIds: $studyIds
        conditions: $conditions
      }
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          __typename id userId sessionId prolificStudyId panelParticipantId panelSessionId studyId condition studyVersion receivedAt clientTime
          ... on QueryRecord {
            conversationId query response error model latencyMs timeToFirstTokenMs stopped
            sources { rank title url content }
          }
          ... on EventRecord { eventId eventType queryId targetUrl pageUrl extraData }
        }
      }
    }
  }
`;

type ExportPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: ExportedRecord }[];
};

/** A Worker to export from: its URL and a researcher token it accepts. */
export type ExportSource = { url: string; researcherToken: string };
const SHARED_WORKER: ExportSource = { url: BASE_URL, researcherToken: RESEARCHER_TOKEN };

export type ExportOptions = {
  pageSize?: number;
  /** Another Worker to export from (default: the shared one). */
  from?: ExportSource;
  /** Only records of these studies (the export's studyIds filter). */
  studyIds?: string[];
  /** Only records of participants in these conditions (the export's conditions filter). */
  conditions?: string[];
};

/** Whose records: a participant id the server issued, or every participant who came with a panel id (PROLIFIC_PID). */
export type Whose = string | { panelParticipantId: string };

/** A Prolific visitor's records, by the PROLIFIC_PID of their link. */
export const byPanel = (visitor: { pid: string }): Whose => ({ panelParticipantId: visitor.pid });

/**
 * Every stored record of one participant, oldest first, paging through the
 * export with its cursors. From the shared Worker unless `from` names another.
 */
export async function exportRecords(whose: Whose, options: ExportOptions = {}): Promise<ExportedRecord[]> {
  // A page's totalCount and its records are two reads: an event the tracker stores between them
  // (its page is still open) makes them differ for a moment. Read again until they agree.
  for (let attempt = 1; ; attempt++) {
    const { records, totalCount } = await exportOnce(whose, options);
    if (records.length === totalCount || attempt === 3) {
      expect(records).toHaveLength(totalCount);
      return records;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function exportOnce(
  whose: Whose,
  { pageSize = 100, from = SHARED_WORKER, studyIds, conditions }: ExportOptions,
): Promise<{ records: ExportedRecord[]; totalCount: number }> {
  const who =
    typeof whose === "string" ? { userIds: [whose] } : { panelParticipantIds: [whose.panelParticipantId] };
  const records: ExportedRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await fetch(`${from.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${from.researcherToken}` },
      body: JSON.stringify({
        query: EXPORT,
        variables: { after, first: pageSize, ...who, studyIds, conditions },
      }),
    });
    const body = (await response.json()) as { data?: { export: ExportPage }; errors?: unknown[] };
    if (!response.ok || body.errors || !body.data)
      throw new Error(`export failed (${response.status}): ${JSON.stringify(body)}`);
    const page: ExportPage = body.data.export;
    records.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return { records, totalCount: page.totalCount };
    after = page.pageInfo.endCursor;
  }
}

export const queriesOf = (records: ExportedRecord[]) =>
  records.filter((r): r is QueryRecord => r.__typename === "QueryRecord");

export const eventsOf = (records: ExportedRecord[], type?: EventRecord["eventType"]) =>
  records.filter((r): r is EventRecord => r.__typename === "EventRecord" && (!type || r.eventType === type));

/**
 * Polls the participant's export until `select` returns something (not
 * undefined), and returns it: the tracker sends its batches every 2 s.
 */
export async function waitForExport<T>(
  whose: Whose,
  select: (records: ExportedRecord[]) => T | undefined,
  message: string,
  timeout = 15_000,
  options: ExportOptions = {},
): Promise<T> {
  let found: T | undefined;
  // On a timeout the failure shows what the export had instead.
  await expect
    .poll(
      async () => {
        const records = await exportRecords(whose, options);
        found = select(records);
        return found !== undefined ? "found" : summary(records);
      },
      { timeout, interval: 250, message },
    )
    .toBe("found");
  return found as T;
}

const summary = (records: ExportedRecord[]) =>
  records
    .map((r) =>
      r.__typename === "QueryRecord"
        ? `QUERY(${r.query})`
        : `${r.eventType}(${r.targetUrl ?? JSON.stringify(r.extraData ?? {})})${r.condition ? `@${r.condition}` : ""}`,
    )
    .join(", ") || "nothing";
