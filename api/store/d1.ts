import { conversationTitle, eventColumns } from "./columns";
import { decodeCursor } from "./cursor";
import { exportCount, exportPage } from "./d1-export";
import {
  ASSIGNMENT_COLUMNS,
  type AssignmentRow,
  QUERY_COLUMNS,
  type QueryRow,
  toAssignment,
  toQueryRecord,
} from "./d1-rows";
import type {
  Assignment,
  ComponentHealth,
  ConversationSummary,
  ExportFilter,
  ExportPage,
  NewAssignment,
  NewEvent,
  NewQuery,
  QueryRecord,
  RecordedEvent,
  Store,
} from "./store";

/** The database's own clock, in the format every stored time uses. */
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
const NEXT_SEQ = "(SELECT value FROM counters WHERE name = 'log_seq')";

/** How many arrival numbers one assign call tries before it gives up (each taken by a concurrent call). */
const MAX_ASSIGN_ATTEMPTS = 50;

/** How many conversations `conversations` lists. */
const MAX_CONVERSATIONS = 100;

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
            `INSERT INTO queries (seq, query_id, conversation_id, user_id, session_id, prolific_study_id,
               study_id, condition, study_version, query, response, sources, model, latency_ms, ttft_ms, stopped,
               error, client_time, received_at)
             VALUES (${NEXT_SEQ} + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ${NOW})
             RETURNING received_at, seq`,
          )
          .bind(
            q.id,
            q.conversationId,
            q.userId,
            q.sessionId,
            q.prolificStudyId,
            q.studyId,
            q.condition,
            q.studyVersion,
            q.query,
            q.response,
            JSON.stringify(q.sources),
            q.model,
            q.latencyMs,
            q.ttftMs,
            q.stopped ? 1 : 0,
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
              `INSERT INTO events (seq, event_id, user_id, session_id, prolific_study_id, study_id, condition, study_version,
                 event_type, query, query_id, target_url, page_url, extra_data, client_time, received_at)
               SELECT ${NEXT_SEQ} + 1 + j.key, j.value ->> '$.event_id', j.value ->> '$.user_id', j.value ->> '$.session_id',
                 j.value ->> '$.prolific_study_id', j.value ->> '$.study_id', j.value ->> '$.condition',
                 j.value ->> '$.study_version', j.value ->> '$.event_type', j.value ->> '$.query', j.value ->> '$.query_id',
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

    async assign(input: NewAssignment): Promise<{ assignment: Assignment; created: boolean }> {
      const { studyId, userId, studyVersion, choose } = input;
      const stored = () =>
        db
          .prepare(`SELECT ${ASSIGNMENT_COLUMNS} FROM assignments WHERE study_id = ?1 AND user_id = ?2`)
          .bind(studyId, userId);
      // The next arrival number: one past the highest (so a withdrawn last
      // participant's number is given again; the others stay unique).
      const next = () =>
        db
          .prepare("SELECT COALESCE(MAX(seq) + 1, 0) AS seq FROM assignments WHERE study_id = ?1")
          .bind(studyId);
      const [found, frontier] = await db.batch<AssignmentRow | { seq: number }>([stored(), next()]);
      const existing = found?.results[0] as AssignmentRow | undefined;
      if (existing) return { assignment: toAssignment(existing), created: false };
      let seq = (frontier?.results[0] as { seq: number } | undefined)?.seq ?? 0;
      for (let attempt = 0; attempt < MAX_ASSIGN_ATTEMPTS; attempt++) {
        const condition = choose(seq);
        // One round trip per attempt: the insert, which stores nothing when
        // the number (UNIQUE (study_id, seq)) or the participant (the primary
        // key) is taken, then what is stored and the next free number.
        const [inserted, after, nextFree] = await db.batch<AssignmentRow | { seq: number }>([
          db
            .prepare(
              `INSERT INTO assignments (study_id, user_id, condition, study_version, seq, assigned_at)
               VALUES (?1, ?2, ?3, ?4, ?5, ${NOW})
               ON CONFLICT DO NOTHING
               RETURNING ${ASSIGNMENT_COLUMNS}`,
            )
            .bind(studyId, userId, condition, studyVersion, seq),
          stored(),
          next(),
        ]);
        const mine = inserted?.results[0] as AssignmentRow | undefined;
        if (mine) return { assignment: toAssignment(mine), created: true };
        // The same participant raced this call and won.
        const theirs = after?.results[0] as AssignmentRow | undefined;
        if (theirs) return { assignment: toAssignment(theirs), created: false };
        // Another participant took the number.
        seq = Math.max(seq + 1, (nextFree?.results[0] as { seq: number } | undefined)?.seq ?? 0);
      }
      throw new Error(`no free arrival number in study ${studyId} after ${MAX_ASSIGN_ATTEMPTS} attempts`);
    },

    async getAssignment(studyId: string, userId: string): Promise<Assignment | null> {
      const row = await db
        .prepare(`SELECT ${ASSIGNMENT_COLUMNS} FROM assignments WHERE study_id = ?1 AND user_id = ?2`)
        .bind(studyId, userId)
        .first<AssignmentRow>();
      return row ? toAssignment(row) : null;
    },

    async takeTurn(studyId: string, userId: string, limit: number | null): Promise<boolean> {
      // One statement: the check and the count cannot be split by a concurrent message.
      const row = await db
        .prepare(
          `UPDATE assignments SET turns = turns + 1
           WHERE study_id = ?1 AND user_id = ?2 AND (?3 IS NULL OR turns < ?3)
           RETURNING turns`,
        )
        .bind(studyId, userId, limit)
        .first<{ turns: number }>();
      return row !== null;
    },

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

    async deleteParticipant(studyId: string, userId: string): Promise<{ queries: number; events: number }> {
      // One batch, so one transaction: all of it goes, or none.
      const [queries, events] = await db.batch([
        db.prepare("DELETE FROM queries WHERE user_id = ?1 AND study_id = ?2").bind(userId, studyId),
        db.prepare("DELETE FROM events WHERE user_id = ?1 AND study_id = ?2").bind(userId, studyId),
        db.prepare("DELETE FROM assignments WHERE study_id = ?1 AND user_id = ?2").bind(studyId, userId),
      ]);
      return { queries: queries?.meta.changes ?? 0, events: events?.meta.changes ?? 0 };
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
