import {
  INHUMAN_CHARS_PER_SECOND,
  INHUMAN_MIN_CHARS,
  type SignalSummary,
  WHOLE_PASTE_PERCENT,
} from "../signals/flags";
import type { Store } from "./store";

/*
 * The input signals' per-participant summary on D1: one statement over the
 * study's messages with signals of the participants asked for (index
 * queries_study_user_signals, migration 0013). Each flag's rule is
 * api/signals/flags.ts messageFlags in SQL, on whole numbers; the median
 * of characters per second is exact (the middle one or two rows by
 * ROW_NUMBER, their mean).
 */

const SUMMARY = `WITH m AS (
    SELECT user_id,
      input_signals ->> '$.pastedChars' AS pasted, input_signals ->> '$.pastes' AS pastes,
      input_signals ->> '$.keystrokes' AS keys, input_signals ->> '$.typingMs' AS typing,
      input_signals ->> '$.blurs' AS blurs, input_signals ->> '$.length' AS len,
      MAX(0, (input_signals ->> '$.length') - (input_signals ->> '$.pastedChars')) AS typed
    FROM queries
    WHERE study_id = ?1 AND input_signals IS NOT NULL AND user_id IN (SELECT value FROM json_each(?2))
      AND (?3 IS NULL OR received_at < ?3)
  ), speeds AS (
    SELECT user_id, typed * 1000.0 / typing AS cps,
      ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY typed * 1000.0 / typing) AS r,
      COUNT(*) OVER (PARTITION BY user_id) AS n
    FROM m WHERE typed > 0 AND typing > 0
  ), medians AS (
    SELECT user_id, AVG(cps) AS median FROM speeds WHERE r IN ((n + 1) / 2, (n + 2) / 2) GROUP BY user_id
  )
  SELECT m.user_id, COUNT(*) AS messages,
    SUM(pastes > 0) AS pasted_messages, SUM(pasted) AS pasted_chars,
    SUM(pastes = 0 AND keys > 0) AS typed_messages,
    SUM(len > 0 AND pasted * 100 >= len * ${WHOLE_PASTE_PERCENT}) AS whole_paste,
    SUM(typed >= ${INHUMAN_MIN_CHARS} AND (keys = 0 OR typed * 1000 > ${INHUMAN_CHARS_PER_SECOND} * typing)) AS inhuman,
    SUM(blurs > 0) AS left_typing,
    (SELECT median FROM medians WHERE medians.user_id = m.user_id) AS median
  FROM m GROUP BY m.user_id ORDER BY m.user_id`;

type SummaryRow = {
  user_id: string;
  messages: number;
  pasted_messages: number;
  pasted_chars: number;
  typed_messages: number;
  whole_paste: number;
  inhuman: number;
  left_typing: number;
  median: number | null;
};

export function d1Signals(db: D1Database): Pick<Store, "participantSignals"> {
  return {
    async participantSignals(
      studyId: string,
      userIds: string[],
      before: string | null,
    ): Promise<SignalSummary[]> {
      if (userIds.length === 0) return [];
      const { results } = await db
        .prepare(SUMMARY)
        .bind(studyId, JSON.stringify(userIds), before)
        .all<SummaryRow>();
      return results.map((r) => ({
        userId: r.user_id,
        messages: r.messages,
        pastedMessages: r.pasted_messages,
        pastedChars: r.pasted_chars,
        typedMessages: r.typed_messages,
        wholePasteMessages: r.whole_paste,
        inhumanTypingMessages: r.inhuman,
        leftWhileTypingMessages: r.left_typing,
        medianCharsPerSecond: r.median,
      }));
    },
  };
}
