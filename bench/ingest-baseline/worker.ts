/**
 * The storage limit that ingest is measured against: a bare Worker that
 * reads the body of a `logEvents` request (`{query, variables: {e: [...]}}`,
 * the very body the app gets), and inserts its events into the same D1
 * schema (migrations/, every index) in one round trip. No GraphQL, no
 * validation, no credential, no rate limit, no consent, no sequence
 * counter (SQLite picks seq): only what storing the events costs.
 *
 * Two ways of inserting, both one round trip, so the baseline is the faster
 * of what D1 offers rather than one that the app can beat by choosing the
 * other: `POST /batch` sends one INSERT per event in one `db.batch`,
 * `POST /json` one INSERT ... SELECT over the events bound as one JSON array.
 * `POST /parse` stores nothing: what HTTP and parsing the body cost alone.
 */

type Env = { DB: D1Database };

type BenchEvent = {
  eventId: string;
  userId: string;
  sessionId: string;
  eventType: string;
  studyId?: string;
  pageUrl?: string;
  extraData?: unknown;
  clientTime?: string;
};

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

const ONE = `INSERT INTO events (event_id, user_id, session_id, event_type, study_id, page_url, extra_data, client_time, received_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ${NOW}) ON CONFLICT (event_id) DO NOTHING`;

const MANY = `INSERT INTO events (event_id, user_id, session_id, event_type, study_id, page_url, extra_data, client_time, received_at)
  SELECT j.value ->> '$.eventId', j.value ->> '$.userId', j.value ->> '$.sessionId', j.value ->> '$.eventType',
    j.value ->> '$.studyId', j.value ->> '$.pageUrl', j.value -> '$.extraData', j.value ->> '$.clientTime', ${NOW}
  FROM json_each(?1) AS j WHERE true ON CONFLICT (event_id) DO NOTHING`;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method !== "POST" || !["/batch", "/json", "/parse"].includes(pathname))
      return new Response(null, { status: 204 });
    const body = (await request.json()) as { variables: { e: BenchEvent[] } };
    const events = body.variables.e;
    // The floor under both: the request and its body parsed, nothing stored (INGEST_FLOORS=1).
    if (pathname === "/parse") return Response.json({ data: { logEvents: { accepted: events.length } } });
    if (pathname === "/batch") {
      const statement = env.DB.prepare(ONE);
      await env.DB.batch(
        events.map((e) =>
          statement.bind(
            e.eventId,
            e.userId,
            e.sessionId,
            e.eventType,
            e.studyId ?? null,
            e.pageUrl ?? null,
            e.extraData === undefined ? null : JSON.stringify(e.extraData),
            e.clientTime ?? null,
          ),
        ),
      );
    } else {
      await env.DB.prepare(MANY).bind(JSON.stringify(events)).run();
    }
    return Response.json({ data: { logEvents: { accepted: events.length } } });
  },
};
