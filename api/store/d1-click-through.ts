import { type ClickThroughRow, clickThroughOf, type RankAxis } from "./click-through-rows";
import type { SourceExposure, Store } from "./store";

/*
 * Click-through on D1. The monitor's counts are kept by the triggers of
 * migrations/0009_click_through.sql as answers and events are stored and
 * deleted (click_through_counts, by study, condition, kind of rank and
 * rank), so reading them is one small indexed read whatever the study holds.
 * The `sources` download's exposure is one statement per batch of answers,
 * over their exposure events (events_query_id).
 */

type ClickThroughOperations = Pick<Store, "studyClickThrough" | "sourceExposure">;

export const COUNTS = `SELECT condition, axis, rank, shown, seen, clicked, seen_clicked
  FROM click_through_counts WHERE study_id = ?1 AND shown > 0`;

// Per page view the last summary holds the running totals, so its highest visibleMs; then the sum over page views.
const EXPOSURE = `SELECT query_id, rank, url, SUM(ms) AS visible_ms FROM (
    SELECT e.query_id, e.extra_data ->> '$.pageViewId' AS page_view, x.value ->> '$.rank' AS rank,
      x.value ->> '$.url' AS url, MAX(CASE WHEN typeof(x.value ->> '$.visibleMs') IN ('integer', 'real') THEN x.value ->> '$.visibleMs' END) AS ms
    FROM events AS e, json_each(e.extra_data, '$.sources') AS x
    WHERE e.query_id IN (SELECT value FROM json_each(?1)) AND e.event_type = 'BROWSE'
      AND e.extra_data ->> '$.kind' = 'exposure' AND (?2 IS NULL OR e.received_at < ?2)
      AND x.type = 'object'
    GROUP BY e.query_id, page_view, rank, url)
  WHERE typeof(rank) = 'integer' AND typeof(url) = 'text'
  GROUP BY query_id, rank, url`;

type CountRow = {
  condition: string;
  axis: RankAxis;
  rank: number;
  shown: number;
  seen: number;
  clicked: number;
  seen_clicked: number;
};

export function d1ClickThrough(db: D1Database): ClickThroughOperations {
  return {
    async studyClickThrough(studyId) {
      const { results } = await db.prepare(COUNTS).bind(studyId).all<CountRow>();
      return clickThroughOf(
        results.map(
          (r): ClickThroughRow => ({
            condition: r.condition,
            axis: r.axis,
            rank: r.rank,
            shown: r.shown,
            seen: r.seen,
            clicked: r.clicked,
            seenClicked: r.seen_clicked,
          }),
        ),
      );
    },

    async sourceExposure(queryIds, before): Promise<SourceExposure[]> {
      if (queryIds.length === 0) return [];
      const { results } = await db
        .prepare(EXPOSURE)
        .bind(JSON.stringify(queryIds), before)
        .all<{ query_id: string; rank: number; url: string; visible_ms: number | null }>();
      return results.map((r) => ({
        queryId: r.query_id,
        rank: r.rank,
        url: r.url,
        visibleMs: typeof r.visible_ms === "number" ? r.visible_ms : 0,
      }));
    },
  };
}
