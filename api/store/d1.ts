import { conversationTitle, eventColumns, queryColumns, usageColumns } from "./columns";
import { decodeCursor } from "./cursor";
import { d1AttentionResults } from "./d1-attention";
import { d1ClickThrough } from "./d1-click-through";
import { exportCount } from "./d1-count";
import { d1StudyDefinitionOperations } from "./d1-definitions";
import { d1Downloads } from "./d1-downloads";
import { exportPage } from "./d1-export";
import { d1StudyMeasures } from "./d1-measures";
import { d1StudyMonitor } from "./d1-monitor";
import { d1ParticipantOperations } from "./d1-participants";
import { d1AnswerProvenance } from "./d1-provenance";
import { insertList, NOW, QUERY_COLUMNS, type QueryRow, toQueryRecord } from "./d1-rows";
import { d1Signals } from "./d1-signals";
import {
  type ComponentHealth,
  type ConversationSummary,
  consentKeeps,
  type ExportFilter,
  type ExportPage,
  type NewEvent,
  type NewQuery,
  type QueryRecord,
  type RecordedEvent,
  STORE_LIMITS,
  type Store,
  storeFailureLine,
} from "./store";

const NEXT_SEQ = "(SELECT value FROM counters WHERE name = 'log_seq')";

/** D1 refuses a bound string over about 2 MB (SQLITE_TOOBIG); stay well under it. */
const MAX_BOUND_JSON_BYTES = 1_000_000;

/** JSON arrays of the given rows, in order, each at most maxBytes of UTF-8 (or one row). */
function chunksOfRows(rows: unknown[], maxBytes: number): { json: string; count: number }[] {
  const json = JSON.stringify(rows);
  // A UTF-16 code unit is at most 3 bytes of UTF-8: the common batch needs no measuring.
  if (json.length * 3 <= maxBytes) return [{ json, count: rows.length }];
  const encoder = new TextEncoder();
  const chunks: { json: string; count: number }[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const row of rows.map((r) => JSON.stringify(r))) {
    const size = encoder.encode(row).length + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push({ json: `[${current.join(",")}]`, count: current.length });
      current = [];
      bytes = 2;
    }
    current.push(row);
    bytes += size;
  }
  chunks.push({ json: `[${current.join(",")}]`, count: current.length });
  return chunks;
}

type EventColumn = keyof ReturnType<typeof eventColumns>;

/** The events table's columns that a NewEvent fills, in eventColumns' order. */
const EVENT_COLUMNS = Object.keys(
  eventColumns({
    eventId: "",
    userId: "",
    sessionId: "",
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    studyId: null,
    condition: null,
    studyVersion: null,
    eventType: "BROWSE",
    query: null,
    queryId: null,
    targetUrl: null,
    pageUrl: null,
    extraData: null,
    clientTime: null,
  }),
) as EventColumn[];

/** An event as the JSON array that the insert reads: its columns' values in EVENT_COLUMNS' order. */
const eventRow = (e: NewEvent): unknown[] => Object.values(eventColumns(e));

/** The value of column `name` of the bound row j (extraData stays JSON in the row: stored as its text, JSON null as NULL). */
const field = (name: EventColumn) => {
  const at = `'$[${EVENT_COLUMNS.indexOf(name)}]'`;
  return name === "extra_data" ? `NULLIF(j.value -> ${at}, 'null')` : `j.value ->> ${at}`;
};

/**
 * The insert of one chunk of events, bound as one JSON array of rows (?1),
 * returning the place in the chunk of each new row (its seq minus the
 * sequence, which the statement after it advances, minus one) and its
 * receivedAt. With `consent`, the
 * participant's assignment is joined in: it gives the condition, and an
 * event of a study without one is left out unless it is a STUDY_STEP
 * (Store.recordParticipantEvents), all in the one statement, so no read
 * before the write and no window between the check and the write.
 * The sequence leaves gaps for duplicates and left-out events, which is
 * fine: it only has to grow.
 */
function insertEvents(consent: boolean): string {
  const values = EVENT_COLUMNS.map((name) => (name === "condition" && consent ? "a.condition" : field(name)));
  const join = consent
    ? `LEFT JOIN assignments AS a ON a.study_id = ${field("study_id")} AND a.user_id = ${field("user_id")}`
    : "";
  const kept = consent
    ? `${field("study_id")} IS NULL OR a.condition IS NOT NULL OR ${field("event_type")} = 'STUDY_STEP'`
    : "true";
  return `INSERT INTO events (seq, ${EVENT_COLUMNS.join(", ")}, received_at)
    SELECT ${NEXT_SEQ} + 1 + j.key, ${values.join(", ")}, ${NOW}
    FROM json_each(?1) AS j ${join}
    WHERE ${kept}
    ON CONFLICT (event_id) DO NOTHING
    RETURNING seq - ${NEXT_SEQ} - 1 AS i, received_at`;
}

const INSERT_EVENTS = { plain: insertEvents(false), consent: insertEvents(true) };
const ADVANCE = "UPDATE counters SET value = value + ?1 WHERE name = 'log_seq'";

/**
 * recordEvents and recordParticipantEvents (`consent`). One round trip when
 * every event is new and kept: a D1 batch (one transaction) of, per chunk,
 * the insert and the sequence's advance. The events are bound
 * as JSON arrays, each under D1's limit on a bound value (about 2 MB), so a
 * full batch of the largest events needs a few chunks, not a few requests.
 * Events that the insert did not write (repeated ids, or left out by the
 * consent rule) are looked at in a second round trip: stored (before, or
 * earlier in this batch) is a duplicate with the stored receivedAt; not
 * stored, or left out by the rule, is null.
 */
async function writeEvents(db: D1Database, events: NewEvent[], consent: boolean) {
  if (events.length === 0) return [];
  const chunks = chunksOfRows(events.map(eventRow), MAX_BOUND_JSON_BYTES);
  const insert = consent ? INSERT_EVENTS.consent : INSERT_EVENTS.plain;
  const statements: D1PreparedStatement[] = [];
  for (const chunk of chunks) {
    statements.push(db.prepare(insert).bind(chunk.json), db.prepare(ADVANCE).bind(chunk.count));
  }
  const batch = await db.batch<{ i: number; received_at: string }>(statements);
  const fresh = new Map<number, string>();
  let offset = 0;
  chunks.forEach((chunk, c) => {
    for (const row of batch[2 * c]?.results ?? []) fresh.set(offset + row.i, row.received_at);
    offset += chunk.count;
  });
  const written: (RecordedEvent | null)[] = events.map((e, i) => {
    const receivedAt = fresh.get(i);
    return receivedAt === undefined ? null : { eventId: e.eventId, duplicate: false, receivedAt };
  });
  const unwritten = events.filter((_, i) => !fresh.has(i));
  if (unwritten.length === 0) return written;
  const { stored, conditions } = await storedAndAssigned(db, unwritten, consent);
  return written.map((result, i) => {
    if (result) return result;
    const e = events[i] as NewEvent;
    const receivedAt = stored.get(e.eventId);
    const kept =
      !consent || consentKeeps(e, e.studyId === null ? null : (conditions.get(pairKey(e)) ?? null));
    return receivedAt !== undefined && kept ? { eventId: e.eventId, duplicate: true, receivedAt } : null;
  });
}

const pairKey = (e: Pick<NewEvent, "studyId" | "userId">) => JSON.stringify([e.studyId, e.userId]);

/** The receivedAt of those of the events that are stored, and (with `consent`) their participants' conditions. */
async function storedAndAssigned(db: D1Database, events: NewEvent[], consent: boolean) {
  const ids = JSON.stringify([...new Set(events.map((e) => e.eventId))]);
  const pairs = [...new Set(events.filter((e) => e.studyId !== null).map(pairKey))];
  const statements = [
    db
      .prepare("SELECT event_id, received_at FROM events WHERE event_id IN (SELECT value FROM json_each(?1))")
      .bind(ids),
  ];
  if (consent && pairs.length > 0)
    statements.push(
      db
        .prepare(
          `SELECT a.study_id, a.user_id, a.condition FROM json_each(?1) AS p
           JOIN assignments AS a ON a.study_id = p.value ->> '$[0]' AND a.user_id = p.value ->> '$[1]'`,
        )
        .bind(`[${pairs.join(",")}]`),
    );
  const [found, assigned] = await db.batch<{
    event_id: string;
    received_at: string;
    study_id: string;
    user_id: string;
    condition: string;
  }>(statements);
  return {
    stored: new Map((found?.results ?? []).map((r) => [r.event_id, r.received_at])),
    conditions: new Map(
      (assigned?.results ?? []).map((r) => [
        pairKey({ studyId: r.study_id, userId: r.user_id }),
        r.condition,
      ]),
    ),
  };
}

export function createD1Store(db: D1Database): Store {
  return {
    name: "d1",

    async recordQuery(q: NewQuery): Promise<QueryRecord> {
      const { names, params, values } = insertList({
        ...queryColumns(q),
        ...usageColumns(q.usage),
        sources: JSON.stringify(q.sources),
        model_sources: JSON.stringify(q.modelSources),
        provenance: q.provenance === null ? null : JSON.stringify(q.provenance),
        stopped: q.stopped ? 1 : 0,
        input_signals: q.inputSignals ? JSON.stringify(q.inputSignals) : null,
      });
      const [inserted] = await db.batch<{ received_at: string; seq: number }>([
        db
          .prepare(
            `INSERT INTO queries (seq, ${names}, received_at)
             VALUES (${NEXT_SEQ} + 1, ${params}, ${NOW})
             RETURNING received_at, seq`,
          )
          .bind(...values),
        db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'log_seq'"),
      ]);
      const row = inserted?.results[0];
      if (!row) throw new Error("D1 did not return the stored query");
      return { ...q, inputSignals: q.inputSignals ?? null, kind: "QUERY", receivedAt: row.received_at };
    },

    async getQuery(id: string): Promise<QueryRecord | null> {
      const row = await db
        .prepare(`SELECT ${QUERY_COLUMNS} FROM queries WHERE query_id = ?1`)
        .bind(id)
        .first<QueryRow>();
      return row ? toQueryRecord(row) : null;
    },

    async conversationTurns(conversationId: string, userId: string): Promise<QueryRecord[]> {
      const { results } = await db
        .prepare(
          `SELECT ${QUERY_COLUMNS} FROM queries WHERE conversation_id = ?1 AND user_id = ?2 ORDER BY seq`,
        )
        .bind(conversationId, userId)
        .all<QueryRow>();
      return results.map(toQueryRecord);
    },

    async recordEvents(events: NewEvent[]): Promise<RecordedEvent[]> {
      return (await writeEvents(db, events, false)) as RecordedEvent[];
    },

    recordParticipantEvents(events: NewEvent[]): Promise<(RecordedEvent | null)[]> {
      return writeEvents(db, events, true);
    },

    // async, so a bad cursor rejects the promise rather than throwing before there is one;
    // `return await`, so a rejection is handled where it happens (workerd reports a rejected
    // promise that is only adopted a microtask later as unhandled).
    async exportPage(filter: ExportFilter, first: number, after: string | null): Promise<ExportPage> {
      return await exportPage(db, filter, first, after === null ? 0 : decodeCursor(after));
    },

    count(filter: ExportFilter): Promise<number> {
      return exportCount(db, filter);
    },

    ...d1ParticipantOperations(db),

    ...d1StudyDefinitionOperations(db),
    ...d1Downloads(db),
    studyMonitor: (studyId: string) => d1StudyMonitor(db, studyId),
    answerProvenance: (studyId: string) => d1AnswerProvenance(db, studyId),
    studyMeasures: (studyId: string) => d1StudyMeasures(db, studyId),
    ...d1ClickThrough(db),
    ...d1Signals(db),
    ...d1AttentionResults(db),

    async conversations(userId: string, studyId: string | null): Promise<ConversationSummary[]> {
      // `IS` compares null as a value, so a null studyId selects records outside any study.
      const { results } = await db
        .prepare(
          `SELECT q.conversation_id, COUNT(*) AS turns, MIN(q.received_at) AS started_at,
             MAX(q.received_at) AS last_at, MAX(q.seq) AS last_seq,
             (SELECT f.query FROM queries AS f
               WHERE f.conversation_id = q.conversation_id AND f.user_id = ?1 AND f.study_id IS ?2
               ORDER BY f.seq LIMIT 1) AS first_query
           FROM queries AS q
           WHERE q.user_id = ?1 AND q.study_id IS ?2
           GROUP BY q.conversation_id
           ORDER BY last_at DESC, last_seq DESC
           LIMIT ${STORE_LIMITS.conversations}`,
        )
        .bind(userId, studyId)
        .all<{
          conversation_id: string;
          turns: number;
          started_at: string;
          last_at: string;
          first_query: string;
        }>();
      return results.map((row) => ({
        conversationId: row.conversation_id,
        title: conversationTitle(row.first_query),
        turns: row.turns,
        startedAt: row.started_at,
        lastAt: row.last_at,
      }));
    },

    async takeBudget(key: string, limit: number): Promise<boolean> {
      if (limit < 1) return false;
      // One statement: the first use inserts 1, later ones add 1 while under
      // the limit; at the limit the update is skipped and returns no row.
      const row = await db
        .prepare(
          `INSERT INTO budgets (key, used) VALUES (?1, 1)
           ON CONFLICT (key) DO UPDATE SET used = used + 1 WHERE used < ?2
           RETURNING used`,
        )
        .bind(key, limit)
        .first<{ used: number }>();
      return row !== null;
    },

    async ping(): Promise<ComponentHealth> {
      const started = performance.now();
      try {
        await db.prepare("SELECT value FROM counters WHERE name = 'log_seq'").first();
        return { ok: true, latencyMs: performance.now() - started, detail: "D1 (SQLite)" };
      } catch (error) {
        console.error(storeFailureLine("d1", "ping failed", error));
        return {
          ok: false,
          latencyMs: null,
          detail:
            "D1 is not reachable or not migrated (locally `npm start` migrates it; in production run `wrangler d1 migrations apply DB --remote`)",
        };
      }
    },
  };
}
