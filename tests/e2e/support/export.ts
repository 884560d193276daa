/**
 * The researchers' export: one participant's stored records through the
 * GraphQL export, paged with its cursors, and polling until the tracker's
 * events arrive.
 */
import { print } from "graphql";
import { expect } from "vitest";
import { ParticipantExportDocument, type ParticipantExportQuery } from "../../support/generated/graphql";
import { BASE_URL, RESEARCHER_TOKEN } from "./env";

/** A record as the export returns it (the generated type of tests/support/operations/participant-export.graphql). */
export type ExportedRecord = ParticipantExportQuery["export"]["edges"][number]["node"];
export type QueryRecord = Extract<ExportedRecord, { __typename: "QueryRecord" }>;
export type EventRecord = Extract<ExportedRecord, { __typename: "EventRecord" }>;
type ExportPage = ParticipantExportQuery["export"];

const EXPORT_TEXT = print(ParticipantExportDocument);

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
        query: EXPORT_TEXT,
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
