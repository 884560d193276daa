import { eventColumns } from "./columns";
import { decodeCursor } from "./cursor";
import { exportCount, exportPage } from "./d1-export";
import { QUERY_COLUMNS, type QueryRow, toQueryRecord } from "./d1-rows";
import type {
  ComponentHealth,
  ExportFilter,
  ExportPage,
  NewEvent,
  NewQuery,
  QueryRecord,
  RecordedEvent,
  Store,
} from "./store";

/** The database's own clock, in the format every stored time uses. */
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
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
      const [inserted] = await db.batch<{ received_at: string; seq: number }>([
        db
          .prepare(
            `INSERT INTO queries (seq, query_id, conversation_id, user_id, session_id, prolific_study_id, query,
               response, sources, model, latency_ms, error, client_time, received_at)
             VALUES (${NEXT_SEQ} + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ${NOW})
             RETURNING received_at, seq`,
          )
          .bind(
            q.id,
            q.conversationId,
            q.userId,
            q.sessionId,
            q.prolificStudyId,
            q.query,
            q.response,
            JSON.stringify(q.sources),
            q.model,
            q.latencyMs,
            q.error,
            q.clientTime,
          ),
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
      const rows = events.map((e) => {
        const columns = eventColumns(e);
        return JSON.stringify({
          ...columns,
          extra_data: columns.extra_data === null ? null : JSON.stringify(columns.extra_data),
        });
      });
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
              `INSERT INTO events (seq, event_id, user_id, session_id, prolific_study_id, event_type, query, query_id,
                 target_url, page_url, extra_data, client_time, received_at)
               SELECT ${NEXT_SEQ} + 1 + j.key, j.value ->> '$.event_id', j.value ->> '$.user_id', j.value ->> '$.session_id',
                 j.value ->> '$.prolific_study_id', j.value ->> '$.event_type', j.value ->> '$.query', j.value ->> '$.query_id',
                 j.value ->> '$.target_url', j.value ->> '$.page_url', j.value ->> '$.extra_data', j.value ->> '$.client_time', ${NOW}
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
