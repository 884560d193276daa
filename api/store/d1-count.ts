import { exportWhere, includes, Params } from "./d1-export";
import type { ExportFilter } from "./store";

/*
 * The export's count on D1 (docs/decisions/015-monitor-rollups.md). A filter
 * on studies, conditions, kinds, event types and time is counted from
 * hourly_counts (migrations/0007_rollups.sql), exact to the millisecond: the
 * rollup gives the hours from the hour of `from` up to the hour of `to`
 * (whole hours, as received_at's first 13 characters), less the records of
 * `from`'s hour stored before `from`, plus those of `to`'s hour stored before
 * `to`, each counted through the received_at index (one hour's records at
 * most). A filter on participants, sessions or panel ids selects few records
 * by nature and is counted through their indexes.
 */

/** The first 13 characters of an ISO-8601 time: its hour, as hourly_counts keys it. */
const hourOf = (time: string) => time.slice(0, 13);

/** Records of the filter's tables, counted by a WHERE on them; `byTime` walks the received_at index. */
function countRecords(db: D1Database, filter: ExportFilter, byTime: boolean): D1PreparedStatement | null {
  const p = new Params();
  const parts: string[] = [];
  for (const [kind, table] of [
    ["QUERY", "queries"],
    ["EVENT", "events"],
  ] as const) {
    if (!includes(filter, kind)) continue;
    const index = byTime ? ` INDEXED BY ${table}_received_at` : "";
    parts.push(`(SELECT count(*) FROM ${table}${index} WHERE ${exportWhere(filter, table, 0, p)})`);
  }
  if (parts.length === 0) return null;
  return db.prepare(`SELECT ${parts.join(" + ")} AS n`).bind(...p.values);
}

/** Records of the rollup's rows that match the filter, from the hour of `from` to before the hour of `to`. */
function countHours(db: D1Database, filter: ExportFilter): D1PreparedStatement | null {
  const queries = includes(filter, "QUERY");
  const events = includes(filter, "EVENT");
  if (!queries && !events) return null;
  const p = new Params();
  const list = (key: string, values: string[]) =>
    `(SELECT value FROM json_each(${p.ref(key, JSON.stringify(values))}))`;
  const clauses = ["true"];
  if (!queries) clauses.push("kind <> 'QUERY'");
  if (!events) clauses.push("kind = 'QUERY'");
  if (filter.eventTypes) clauses.push(`kind IN ${list("types", filter.eventTypes)}`);
  // '' in the rollup is a record without a study or condition, which no list selects.
  if (filter.studyIds) clauses.push(`NULLIF(study_id, '') IN ${list("studies", filter.studyIds)}`);
  if (filter.conditions) clauses.push(`NULLIF(condition, '') IN ${list("conditions", filter.conditions)}`);
  if (filter.from) clauses.push(`hour >= ${p.ref("from", hourOf(filter.from))}`);
  if (filter.to) clauses.push(`hour < ${p.ref("to", hourOf(filter.to))}`);
  return db
    .prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM hourly_counts WHERE ${clauses.join(" AND ")}`)
    .bind(...p.values);
}

export async function exportCount(db: D1Database, filter: ExportFilter): Promise<number> {
  if (filter.userIds || filter.sessionIds || filter.panelParticipantIds) {
    const statement = countRecords(db, filter, false);
    return statement ? ((await statement.first<{ n: number }>())?.n ?? 0) : 0;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) return 0;
  const hours = countHours(db, filter);
  if (!hours) return 0;
  // Added: the rollup's hours. Subtracted: `from`'s hour before `from`. Added: `to`'s hour before `to`.
  const statements: { sign: number; statement: D1PreparedStatement | null }[] = [
    { sign: 1, statement: hours },
  ];
  const { from, to } = filter;
  if (from !== undefined)
    statements.push({
      sign: -1,
      statement: countRecords(db, { ...filter, from: hourOf(from), to: from }, true),
    });
  if (to !== undefined)
    statements.push({ sign: 1, statement: countRecords(db, { ...filter, from: hourOf(to), to }, true) });
  const ready = statements.filter(
    (s): s is { sign: number; statement: D1PreparedStatement } => !!s.statement,
  );
  const results = await db.batch<{ n: number }>(ready.map((s) => s.statement));
  return ready.reduce((total, s, i) => total + s.sign * (results[i]?.results[0]?.n ?? 0), 0);
}
