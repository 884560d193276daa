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
import { STORE_LIMITS, storeFailureLine } from "./store";

const NEXT_SEQ = "(SELECT value FROM counters WHERE name = 'log_seq')";

/** D1 refuses a bound string over about 2 MB (SQLITE_TOOBIG); stay well under it. */
const MAX_BOUND_JSON_BYTES = 1_000_000;

/** JSON arrays of the given JSON rows, in order, each at most maxBytes of UTF-8 (or one row). */
function chunksOfJson(rows: string[], maxBytes: number): { json: string; count: number }[] {
  const encoder = new TextEncoder();
  const chunks: { json: string; count: number }[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const row of rows) {
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
      if (events.length === 0) return [];
      const columns = events.map((e) => {
        const row = eventColumns(e);
        return { ...row, extra_data: row.extra_data === null ? null : JSON.stringify(row.extra_data) };
      });
      const rows = columns.map((row) => JSON.stringify(row));
      // Every row has the same columns (eventColumns'), read back out of the JSON by name.
      const names = Object.keys(columns[0] ?? {});
      const fields = names.map((name) => `j.value ->> '$.${name}'`).join(", ");
      // One round trip: the batch is one transaction. The events are bound as
      // JSON arrays, each under D1's limit on a bound value (about 2 MB), so a
      // full batch of the largest events needs a few statements, not a few
      // requests. The sequence leaves gaps for duplicates, which is fine: it
      // only has to grow.
      const statements: D1PreparedStatement[] = [];
      for (const chunk of chunksOfJson(rows, MAX_BOUND_JSON_BYTES)) {
        statements.push(
          db
            .prepare(
              `INSERT INTO events (seq, ${names.join(", ")}, received_at)
               SELECT ${NEXT_SEQ} + 1 + j.key, ${fields}, ${NOW}
               FROM json_each(?1) AS j WHERE true
               ON CONFLICT (event_id) DO NOTHING
               RETURNING event_id`,
            )
            .bind(chunk.json),
          db.prepare("UPDATE counters SET value = value + ?1 WHERE name = 'log_seq'").bind(chunk.count),
          db
            .prepare(
              "SELECT event_id, received_at FROM events WHERE event_id IN (SELECT j.value ->> '$.event_id' FROM json_each(?1) AS j)",
            )
            .bind(chunk.json),
        );
      }
      const results = await db.batch<{ event_id: string; received_at: string }>(statements);
      const inserted = results.filter((_, i) => i % 3 === 0).flatMap((r) => r.results);
      const stored = results.filter((_, i) => i % 3 === 2).flatMap((r) => r.results);
      const fresh = new Set(inserted.map((r) => r.event_id));
      const receivedAt = new Map(stored.map((r) => [r.event_id, r.received_at]));
      // Within one batch, the first of a repeated eventId is the new one.
      const seen = new Set<string>();
      return events.map((e) => {
        const duplicate = !fresh.has(e.eventId) || seen.has(e.eventId);
        seen.add(e.eventId);
        return {
          eventId: e.eventId,
          duplicate,
          receivedAt: receivedAt.get(e.eventId) ?? new Date().toISOString(),
        };
      });
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
