import type { AttentionResult, Store } from "./store";

/**
 * Attention-check results on D1: the participant's ATTENTION_CHECK events
 * (events_user_study finds them), and their counts for the participants
 * download. extraData.passed is JSON true or false; `->>` reads it as 1 or 0.
 */

export function d1AttentionResults(db: D1Database): Pick<Store, "attentionResults"> {
  return {
    async attentionResults(studyId: string, userId: string): Promise<AttentionResult[]> {
      const { results } = await db
        .prepare(
          `SELECT extra_data ->> '$.checkId' AS check_id, extra_data ->> '$.reply' AS reply,
             json_type(extra_data, '$.passed') AS passed, received_at
           FROM events
           WHERE user_id = ?1 AND study_id = ?2 AND event_type = 'ATTENTION_CHECK' AND json_valid(extra_data)
             AND json_type(extra_data, '$.checkId') = 'text' AND json_type(extra_data, '$.reply') = 'text'
             AND json_type(extra_data, '$.passed') IN ('true', 'false')
           ORDER BY seq`,
        )
        .bind(userId, studyId)
        .all<{ check_id: string; reply: string; passed: "true" | "false"; received_at: string }>();
      return results.map((r) => ({
        checkId: r.check_id,
        reply: r.reply,
        passed: r.passed === "true",
        receivedAt: r.received_at,
      }));
    },
  };
}

/** The participants download's two counts, as columns of a query over `assignments AS a`. */
export function attentionCountColumns(before: string): string {
  const count = (passed: "true" | "false") =>
    `(SELECT count(*) FROM events WHERE user_id = a.user_id AND study_id = a.study_id
       AND event_type = 'ATTENTION_CHECK' AND json_valid(extra_data)
       AND json_type(extra_data, '$.passed') = '${passed}'${before})`;
  return `${count("true")} AS attention_passed, ${count("false")} AS attention_failed`;
}

export type AttentionCountRow = { attention_passed: number; attention_failed: number };

export const attentionCounts = (row: AttentionCountRow) => ({
  attentionChecksPassed: row.attention_passed,
  attentionChecksFailed: row.attention_failed,
});
