import { decodeCursor, encodeCursor } from "./cursor";
import type {
  ComponentHealth,
  EventRecord,
  EventType,
  ExportFilter,
  ExportPage,
  LogRecord,
  NewEvent,
  NewQuery,
  QueryRecord,
  RecordedEvent,
  Source,
  Store,
} from "./store";

/** The database's own clock, in the format every stored time uses. */
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
const NEXT_SEQ = "(SELECT value FROM counters WHERE name = 'log_seq')";

type QueryRow = {
  seq: number;
  query_id: string;
  conversation_id: string;
  user_id: string;
  session_id: string;
  prolific_study_id: string | null;
  query: string;
  response: string | null;
  sources: string;
  model: string;
  latency_ms: number | null;
  error: string | null;
  client_time: string | null;
  received_at: string;
};

type EventRow = {
  seq: number;
  event_id: string;
  user_id: string;
  session_id: string;
  prolific_study_id: string | null;
  event_type: EventType;
  query: string | null;
  query_id: string | null;
  target_url: string | null;
  page_url: string | null;
  extra_data: string | null;
  client_time: string | null;
  received_at: string;
};

const QUERY_COLUMNS =
  "seq, query_id, conversation_id, user_id, session_id, prolific_study_id, query, response, sources, model, latency_ms, error, client_time, received_at";

/** Both kinds as one row shape, so one statement can page over both in order. */
const EXPORT_QUERY_COLUMNS = `'QUERY' AS kind, seq, query_id, conversation_id, user_id, session_id, prolific_study_id,
  query, response, sources, model, latency_ms, error, client_time, received_at,
  NULL AS event_id, NULL AS event_type, NULL AS target_url, NULL AS page_url, NULL AS extra_data`;
const EXPORT_EVENT_COLUMNS = `'EVENT' AS kind, seq, query_id, NULL AS conversation_id, user_id, session_id, prolific_study_id,
  query, NULL AS response, NULL AS sources, NULL AS model, NULL AS latency_ms, NULL AS error, client_time, received_at,
  event_id, event_type, target_url, page_url, extra_data`;

type ExportRow = { kind: "QUERY" | "EVENT" } & Omit<QueryRow, "sources" | "model" | "conversation_id"> &
  Omit<EventRow, "event_id" | "event_type"> & {
    sources: string | null;
    model: string | null;
    conversation_id: string | null;
    event_id: string | null;
    event_type: EventType | null;
  };

function parseSources(json: string | null): Source[] {
  if (!json) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? (value as Source[]) : [];
}

function toQueryRecord(row: QueryRow): QueryRecord {
  return {
    kind: "QUERY",
    id: row.query_id,
    conversationId: row.conversation_id,
    userId: row.user_id,
    sessionId: row.session_id,
    prolificStudyId: row.prolific_study_id,
    query: row.query,
    response: row.response,
    sources: parseSources(row.sources),
    model: row.model,
    latencyMs: row.latency_ms,
    error: row.error,
    clientTime: row.client_time,
    receivedAt: row.received_at,
  };
}

function toEventRecord(row: EventRow): EventRecord {
  return {
    kind: "EVENT",
    id: row.event_id,
    eventId: row.event_id,
    userId: row.user_id,
    sessionId: row.session_id,
    prolificStudyId: row.prolific_study_id,
    eventType: row.event_type,
    query: row.query,
    queryId: row.query_id,
    targetUrl: row.target_url,
    pageUrl: row.page_url,
    extraData: row.extra_data === null ? null : JSON.parse(row.extra_data),
    clientTime: row.client_time,
    receivedAt: row.received_at,
  };
}

function toLogRecord(row: ExportRow): LogRecord {
  if (row.kind === "QUERY") {
    return toQueryRecord({
      ...row,
      conversation_id: row.conversation_id ?? "",
      sources: row.sources ?? "[]",
      model: row.model ?? "",
      query: row.query ?? "",
    });
  }
  return toEventRecord({ ...row, event_id: row.event_id ?? "", event_type: row.event_type ?? "BROWSE" });
}

/** Numbered SQL parameters, each value bound once and referenced by any number of clauses. */
class Params {
  readonly values: unknown[] = [];
  private readonly refs = new Map<string, string>();
  ref(key: string, value: unknown): string {
    let ref = this.refs.get(key);
    if (!ref) {
      this.values.push(value);
      ref = `?${this.values.length}`;
      this.refs.set(key, ref);
    }
    return ref;
  }
}

/**
 * WHERE clauses for one table of the export. Lists are bound as one JSON
 * array each (json_each), which keeps any filter far under D1's limit of 100
 * bound parameters per statement.
 */
function exportWhere(filter: ExportFilter, table: "queries" | "events", afterSeq: number, p: Params): string {
  const clauses = [`seq > ${p.ref("after", afterSeq)}`];
  const list = (key: string, values: string[]) =>
    `(SELECT value FROM json_each(${p.ref(key, JSON.stringify(values))}))`;
  if (filter.userIds) clauses.push(`user_id IN ${list("users", filter.userIds)}`);
  if (filter.sessionIds) clauses.push(`session_id IN ${list("sessions", filter.sessionIds)}`);
  if (filter.from) clauses.push(`received_at >= ${p.ref("from", filter.from)}`);
  if (filter.to) clauses.push(`received_at < ${p.ref("to", filter.to)}`);
  if (table === "events" && filter.eventTypes)
    clauses.push(`event_type IN ${list("types", filter.eventTypes)}`);
  return clauses.join(" AND ");
}

function includes(filter: ExportFilter, kind: "QUERY" | "EVENT"): boolean {
  if (filter.kinds && !filter.kinds.includes(kind)) return false;
  if (kind === "QUERY" && filter.eventTypes) return false;
  return true;
}

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
      const rows = events.map((e) =>
        JSON.stringify({
          event_id: e.eventId,
          user_id: e.userId,
          session_id: e.sessionId,
          prolific_study_id: e.prolificStudyId,
          event_type: e.eventType,
          query: e.query,
          query_id: e.queryId,
          target_url: e.targetUrl,
          page_url: e.pageUrl,
          extra_data: e.extraData === null || e.extraData === undefined ? null : JSON.stringify(e.extraData),
          client_time: e.clientTime,
        }),
      );
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

    async exportPage(filter: ExportFilter, first: number, after: string | null): Promise<ExportPage> {
      const afterSeq = after === null ? 0 : decodeCursor(after);
      const p = new Params();
      const limit = p.ref("limit", first + 1);
      // Each branch walks its table in seq order from the cursor and stops
      // after one page, so a late page costs what the first one does.
      const branches: string[] = [];
      if (includes(filter, "QUERY")) {
        branches.push(
          `SELECT * FROM (SELECT ${EXPORT_QUERY_COLUMNS} FROM queries WHERE ${exportWhere(filter, "queries", afterSeq, p)} ORDER BY seq LIMIT ${limit})`,
        );
      }
      if (includes(filter, "EVENT")) {
        branches.push(
          `SELECT * FROM (SELECT ${EXPORT_EVENT_COLUMNS} FROM events WHERE ${exportWhere(filter, "events", afterSeq, p)} ORDER BY seq LIMIT ${limit})`,
        );
      }
      if (branches.length === 0) return { records: [], hasNextPage: false };
      const { results } = await db
        .prepare(`${branches.join(" UNION ALL ")} ORDER BY seq LIMIT ${limit}`)
        .bind(...p.values)
        .all<ExportRow>();
      const page = results.slice(0, first);
      return {
        records: page.map((row) => ({ cursor: encodeCursor(row.seq), record: toLogRecord(row) })),
        hasNextPage: results.length > first,
      };
    },

    async count(filter: ExportFilter): Promise<number> {
      const p = new Params();
      const parts: string[] = [];
      if (includes(filter, "QUERY"))
        parts.push(`(SELECT count(*) FROM queries WHERE ${exportWhere(filter, "queries", 0, p)})`);
      if (includes(filter, "EVENT"))
        parts.push(`(SELECT count(*) FROM events WHERE ${exportWhere(filter, "events", 0, p)})`);
      if (parts.length === 0) return 0;
      const row = await db
        .prepare(`SELECT ${parts.join(" + ")} AS n`)
        .bind(...p.values)
        .first<{ n: number }>();
      return row?.n ?? 0;
    },

    async ping(): Promise<ComponentHealth> {
      const started = performance.now();
      try {
        await db.prepare("SELECT value FROM counters WHERE name = 'log_seq'").first();
        return { ok: true, latencyMs: performance.now() - started, detail: "D1 (SQLite)" };
      } catch (error) {
        return {
          ok: false,
          latencyMs: null,
          detail: `D1 is not reachable or not migrated: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    },
  };
}
