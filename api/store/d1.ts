import { conversationTitle, eventColumns, queryColumns } from "./columns";
import { decodeCursor } from "./cursor";
import { exportCount, exportPage } from "./d1-export";
import { d1ParticipantOperations } from "./d1-participants";
import { insertList, NOW, QUERY_COLUMNS, type QueryRow, toQueryRecord } from "./d1-rows";
import type {
  ComponentHealth,
  ConversationSummary,
  ExportFilter,
  ExportPage,
  NewEvent,
  NewQuery,
  QueryRecord,
  RecordedEvent,
  Store,
} from "./store";

const NEXT_SEQ = "(SELECT value FROM counters WHERE name = 'log_seq')";

/** How many conversations `conversations` lists. */
const MAX_CONVERSATIONS = 100;

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

const field = (name: EventColumn) => `j.value ->> '$.${name}'`;

/** The participant's assignment in the event's study, if any (the consent rule reads it). */
const ASSIGNMENT_JOIN = `LEFT JOIN assignments AS a ON a.study_id = ${field("study_id")} AND a.user_id = ${field("user_id")}`;

/** The consent rule (Store.recordParticipantEvents): outside a study, consented, or a study step. */
const CONSENTED = `(${field("study_id")} IS NULL OR a.condition IS NOT NULL OR ${field("event_type")} = 'STUDY_STEP')`;

/**
 * The statements of one chunk of events bound as a JSON array (?1): rows
 * that need a second look (stored before, or left out by the consent rule),
 * the insert (returning the new rows), and the sequence's advance.
 */
function eventStatements(consent: boolean) {
  const values = EVENT_COLUMNS.map((name) => {
    if (name === "condition" && consent) return "a.condition";
    // extraData stays JSON inside the bound array; stored as its JSON text (JSON null: NULL).
    if (name === "extra_data") return "NULLIF(j.value -> '$.extra_data', 'null')";
    return field(name);
  });
  const join = consent ? ASSIGNMENT_JOIN : "";
  const kept = consent ? CONSENTED : "true";
  return {
    // Before the insert, in the same transaction: what was stored earlier, and what the rule leaves out.
    // Usually no row at all.
    exceptions: `SELECT j.key AS i, e.received_at AS stored_at, ${kept} AS kept
      FROM json_each(?1) AS j ${join}
      LEFT JOIN events AS e ON e.event_id = ${field("event_id")}
      WHERE e.event_id IS NOT NULL OR NOT ${kept}`,
    // The sequence leaves gaps for duplicates and left-out events, which is fine: it only has to grow.
    insert: `INSERT INTO events (seq, ${EVENT_COLUMNS.join(", ")}, received_at)
      SELECT ${NEXT_SEQ} + 1 + j.key, ${values.join(", ")}, ${NOW}
      FROM json_each(?1) AS j ${join}
      WHERE ${kept}
      ON CONFLICT (event_id) DO NOTHING
      RETURNING event_id, received_at`,
    advance: "UPDATE counters SET value = value + ?1 WHERE name = 'log_seq'",
  };
}

const EVENT_SQL = { plain: eventStatements(false), consent: eventStatements(true) };

/**
 * recordEvents and recordParticipantEvents: one round trip (a D1 batch is
 * one transaction). The events are bound as JSON arrays, each under D1's
 * limit on a bound value (about 2 MB), so a full batch of the largest
 * events needs a few statements, not a few requests. With `consent`, the
 * condition comes from the assignment joined in the insert, and an event
 * that the rule leaves out gets null.
 */
async function writeEvents(db: D1Database, events: NewEvent[], consent: boolean) {
  if (events.length === 0) return [];
  const sql = consent ? EVENT_SQL.consent : EVENT_SQL.plain;
  const chunks = chunksOfRows(events.map(eventColumns), MAX_BOUND_JSON_BYTES);
  const statements: D1PreparedStatement[] = [];
  for (const chunk of chunks) {
    statements.push(
      db.prepare(sql.exceptions).bind(chunk.json),
      db.prepare(sql.insert).bind(chunk.json),
      db.prepare(sql.advance).bind(chunk.count),
    );
  }
  type Row = { i: number; stored_at: string | null; kept: number; event_id: string; received_at: string };
  const results = await db.batch<Row>(statements);
  const storedBefore = new Map<number, string | null>();
  const leftOut = new Set<number>();
  const fresh = new Map<string, string>();
  let offset = 0;
  chunks.forEach((chunk, c) => {
    for (const row of results[3 * c]?.results ?? []) {
      storedBefore.set(offset + row.i, row.stored_at);
      if (!row.kept) leftOut.add(offset + row.i);
    }
    for (const row of results[3 * c + 1]?.results ?? []) fresh.set(row.event_id, row.received_at);
    offset += chunk.count;
  });
  // Within one batch, the first of a repeated eventId is the new one.
  const firstSeen = new Map<string, string>();
  return events.map((e, i): RecordedEvent | null => {
    if (leftOut.has(i)) return null;
    const repeat = firstSeen.get(e.eventId);
    if (repeat !== undefined) return { eventId: e.eventId, duplicate: true, receivedAt: repeat };
    const stored = storedBefore.get(i);
    const receivedAt = stored ?? fresh.get(e.eventId) ?? new Date().toISOString();
    firstSeen.set(e.eventId, receivedAt);
    return { eventId: e.eventId, duplicate: stored !== undefined || !fresh.has(e.eventId), receivedAt };
  });
}

export function createD1Store(db: D1Database): Store {
  return {
    name: "d1",

    async recordQuery(q: NewQuery): Promise<QueryRecord> {
      const { names, params, values } = insertList({
        ...queryColumns(q),
        sources: JSON.stringify(q.sources),
        stopped: q.stopped ? 1 : 0,
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
      return { ...q, kind: "QUERY", receivedAt: row.received_at };
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
           LIMIT ${MAX_CONVERSATIONS}`,
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
        console.error("D1 ping failed", error);
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
