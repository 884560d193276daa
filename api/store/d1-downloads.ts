import { decodeParticipantCursor, encodeParticipantCursor } from "./cursor";
import { type AttentionCountRow, attentionCountColumns, attentionCounts } from "./d1-attention";
import { Params } from "./d1-export";
import { ASSIGNMENT_COLUMNS, type AssignmentRow, toAssignment } from "./d1-rows";
import type { ExportFilter, ParticipantOrder, ParticipantPage, SourceClicks, Store } from "./store";

/*
 * What the downloads need of D1 beyond the export's pages: clicks per
 * source of a batch of answers, participants with their counts, and which
 * study ids and conditions are on stored records. Each is one statement.
 */

type Downloads = Pick<Store, "sourceClicks" | "exportParticipants" | "storedStudyValues">;

export function d1Downloads(db: D1Database): Downloads {
  return {
    async sourceClicks(queryIds: string[], before: string | null): Promise<SourceClicks[]> {
      if (queryIds.length === 0) return [];
      // events_query_id finds the clicks of each answer of the batch.
      const { results } = await db
        .prepare(
          `SELECT query_id, target_url, count(*) AS clicks, min(received_at) AS first_click_at
           FROM events
           WHERE query_id IN (SELECT value FROM json_each(?1)) AND event_type = 'CLICK'
             AND target_url IS NOT NULL AND (?2 IS NULL OR received_at < ?2)
           GROUP BY query_id, target_url`,
        )
        .bind(JSON.stringify(queryIds), before)
        .all<{ query_id: string; target_url: string; clicks: number; first_click_at: string }>();
      return results.map((r) => ({
        queryId: r.query_id,
        targetUrl: r.target_url,
        clicks: r.clicks,
        firstClickAt: r.first_click_at,
      }));
    },

    async exportParticipants(
      filter: ExportFilter,
      first: number,
      after: string | null,
      order: ParticipantOrder = "oldest",
    ): Promise<ParticipantPage> {
      const newest = order === "newest";
      const position = after === null ? null : decodeParticipantCursor(after);
      const p = new Params();
      const clauses: string[] = [];
      const list = (key: string, values: string[]) =>
        `(SELECT value FROM json_each(${p.ref(key, JSON.stringify(values))}))`;
      if (filter.studyIds) clauses.push(`a.study_id IN ${list("studies", filter.studyIds)}`);
      if (filter.conditions) clauses.push(`a.condition IN ${list("conditions", filter.conditions)}`);
      if (filter.userIds) clauses.push(`a.user_id IN ${list("users", filter.userIds)}`);
      if (filter.panelParticipantIds)
        clauses.push(`a.panel_participant_id IN ${list("panels", filter.panelParticipantIds)}`);
      if (filter.from) clauses.push(`a.assigned_at >= ${p.ref("from", filter.from)}`);
      if (filter.to) clauses.push(`a.assigned_at < ${p.ref("to", filter.to)}`);
      if (position)
        clauses.push(
          `(a.assigned_at, a.study_id, a.user_id) ${newest ? "<" : ">"} (${p.ref("at", position.assignedAt)}, ${p.ref("study", position.studyId)}, ${p.ref("user", position.userId)})`,
        );
      const before = filter.to ? ` AND received_at < ${p.ref("to", filter.to)}` : "";
      const columns = ASSIGNMENT_COLUMNS.split(", ")
        .map((c) => `a.${c}`)
        .join(", ");
      // queries_user_study and events_user_study find each participant's records in the study.
      const { results } = await db
        .prepare(
          `SELECT ${columns},
             (SELECT count(*) FROM queries WHERE user_id = a.user_id AND study_id = a.study_id${before}) AS answers,
             (SELECT count(*) FROM events WHERE user_id = a.user_id AND study_id = a.study_id
               AND event_type = 'CLICK' AND query_id IS NOT NULL${before}) AS source_clicks,
             ${attentionCountColumns(before)}
           FROM assignments AS a
           ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}
           ORDER BY ${newest ? "a.assigned_at DESC, a.study_id DESC, a.user_id DESC" : "a.assigned_at, a.study_id, a.user_id"}
           LIMIT ${p.ref("limit", first + 1)}`,
        )
        .bind(...p.values)
        .all<AssignmentRow & { answers: number; source_clicks: number } & AttentionCountRow>();
      return {
        rows: results.slice(0, first).map((row) => {
          const assignment = toAssignment(row);
          return {
            cursor: encodeParticipantCursor(assignment),
            assignment,
            answers: row.answers,
            sourceClicks: row.source_clicks,
            ...attentionCounts(row),
          };
        }),
        hasNextPage: results.length > first,
      };
    },

    async storedStudyValues(values) {
      if (values.studyIds.length === 0 && values.conditions.length === 0)
        return { studyIds: [], conditions: [] };
      const on = (column: string) =>
        ["queries", "events", "assignments"]
          .map((table) => `EXISTS (SELECT 1 FROM ${table} WHERE ${column} = j.value)`)
          .join(" OR ");
      const { results } = await db
        .prepare(
          `SELECT 'study' AS what, j.value AS value FROM json_each(?1) AS j WHERE ${on("study_id")}
           UNION ALL
           SELECT 'condition', j.value FROM json_each(?2) AS j WHERE ${on("condition")}`,
        )
        .bind(JSON.stringify(values.studyIds), JSON.stringify(values.conditions))
        .all<{ what: string; value: string }>();
      return {
        studyIds: results.filter((r) => r.what === "study").map((r) => r.value),
        conditions: results.filter((r) => r.what === "condition").map((r) => r.value),
      };
    },
  };
}
