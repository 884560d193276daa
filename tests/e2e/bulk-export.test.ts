/**
 * The bulk download, GET /export.ndjson, as a researcher would use it (curl,
 * or pandas' read_json with the token as a header): every matching record as
 * JSON Lines with the prototype's snake_case field names, across pages.
 */
import { createHmac } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { definitionHash } from "../../api/studies/definition-hash";
import demo from "../../studies/demo.json";
import { BASE_URL } from "./support";

const TOKEN = inject("researcherToken");

async function graphql(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
) {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const download = (query: string, token: string | null = TOKEN) =>
  fetch(`${BASE_URL}/export.ndjson?${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

const lines = async (response: Response) =>
  (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("GET /export.ndjson", () => {
  it("streams every record of the filter, across pages, oldest first, with snake_case fields", async () => {
    // A participant of the API (a script, a survey tool): a session from startSession, its token on every call.
    const started = await graphql(
      "mutation($i: StartSessionInput) { startSession(input: $i) { token userId sessionId } }",
      { i: { prolificStudyId: "st-9" } },
      {},
    );
    if (!started?.startSession) throw new Error("no session");
    const { token, userId, sessionId } = started.startSession as {
      token: string;
      userId: string;
      sessionId: string;
    };
    const as = { "x-participant-token": token };
    await graphql(
      "mutation($i: QueryInput!) { query(input: $i) { id } }",
      { i: { userId, sessionId, query: "Is coffee healthy?", prolificStudyId: "st-9" } },
      as,
    );
    // 1200 events: the download needs two pages of 1000.
    for (let batch = 0; batch < 3; batch++) {
      await graphql(
        "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
        {
          e: Array.from({ length: 400 }, (_, i) => ({
            eventId: `${userId}-${batch}-${i}`,
            userId,
            sessionId,
            eventType: i % 10 === 0 ? "CLICK" : "SCROLL",
            targetUrl: i % 10 === 0 ? "https://example.org/a" : undefined,
            extraData: { scrollDepth: i / 400 },
          })),
        },
        as,
      );
    }

    const response = await download(`userIds=${encodeURIComponent(userId)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="llm-study-export-.*\.ndjson"/,
    );
    const rows = await lines(response);
    expect(rows).toHaveLength(1201);
    const [query, firstEvent] = rows;
    expect(query).toMatchObject({
      kind: "query",
      user_id: userId,
      session_id: sessionId,
      prolific_study_id: "st-9",
      query: "Is coffee healthy?",
      model: "scripted-demo",
      error: null,
      study_id: null,
      condition: null,
      study_version: null,
      ttft_ms: null,
      stopped: false,
      // The open chat: the deployment's scripted answers, shown as the model gave them.
      provider: "scripted",
      endpoint: null,
      requested_model: "scripted-demo",
      sources_shown: true,
      source_order: "model",
      source_limit: null,
      citations: "numbered",
      markers: "linked",
      answer_links: "links",
      study_hash: null,
      // Scripted answers report no token usage.
      prompt_tokens: null,
      completion_tokens: null,
      total_tokens: null,
    });
    expect(
      ((query?.sources ?? []) as { rank: number; original_rank: number }[]).map((s) => [
        s.rank,
        s.original_rank,
      ]),
    ).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(query?.displayed_response).toBe(query?.response);
    expect(Object.keys(query ?? {})).toEqual([
      "kind",
      "query_id",
      "conversation_id",
      "user_id",
      "session_id",
      "prolific_study_id",
      "panel_participant_id",
      "panel_session_id",
      "panel_participants",
      "study_id",
      "condition",
      "study_version",
      "client_time",
      "received_at",
      "query",
      "response",
      "displayed_response",
      "sources",
      "model_sources",
      "model",
      "provider",
      "endpoint",
      "requested_model",
      "system_prompt_hash",
      "parameters",
      "sources_shown",
      "source_order",
      "source_permutation",
      "source_rotation",
      "source_limit",
      "source_inject",
      "citations",
      "markers",
      "answer_links",
      "study_hash",
      "latency_ms",
      "ttft_ms",
      "stopped",
      "history_turns",
      "error",
      "prompt_tokens",
      "completion_tokens",
      "total_tokens",
    ]);
    expect(firstEvent).toMatchObject({
      kind: "event",
      event_id: `${userId}-0-0`,
      event_type: "CLICK",
      target_url: "https://example.org/a",
      extra_data: { scrollDepth: 0 },
    });
    const times = rows.map((r) => Date.parse(String(r.received_at)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(rows.map((r) => r.event_id ?? r.query_id)).size).toBe(1201);

    const clicks = await lines(await download(`userIds=${encodeURIComponent(userId)}&eventTypes=CLICK`));
    expect(clicks).toHaveLength(120);
    expect(clicks.every((r) => r.event_type === "CLICK")).toBe(true);
    const onlyQueries = await lines(await download(`userIds=${encodeURIComponent(userId)}&kinds=QUERY`));
    expect(onlyQueries.map((r) => r.kind)).toEqual(["query"]);
  });

  it("answers 401 without a researcher token, and 400 for a bad filter, as JSON errors", async () => {
    const anonymous = await download("", null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    const wrong = await download("", "not-a-researcher-token-at-all");
    expect(wrong.status).toBe(401);
    const badKind = await download("kinds=QUERIES");
    expect(badKind.status).toBe(400);
    expect(await badKind.json()).toMatchObject({ error: { code: "BAD_USER_INPUT" } });
    const badTime = await download("from=yesterday");
    expect(badTime.status).toBe(400);
    expect(((await badTime.json()) as { error: { message: string } }).error.message).toMatch(/DateTime/);
  });
});

describe("GET /withdrawals.ndjson", () => {
  const audit = (query: string, token: string | null = TOKEN) =>
    fetch(
      `${BASE_URL}/withdrawals.ndjson?${query}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );

  it("downloads the withdrawal audit of a study as JSON Lines, with counts and no participant id", async () => {
    const pid = `pid-withdraw-${Date.now()}`;
    const started = await graphql(
      "mutation($i: StartSessionInput) { startSession(input: $i) { token userId } }",
      { i: { studyId: "demo", panelParticipantId: pid } },
      {},
    );
    if (!started?.startSession) throw new Error("no session");
    const { token, userId } = started.startSession as { token: string; userId: string };
    const as = { "x-participant-token": token };
    await graphql('mutation { enroll(input: { studyId: "demo" }) { studyId } }', {}, as);
    const before = await lines(await audit("studyId=demo"));
    await graphql('mutation { withdraw(studyId: "demo") { deletedEvents } }', {}, as);

    const response = await audit("studyId=demo");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="llm-study-withdrawals-.*\.ndjson"/,
    );
    const text = await response.text();
    expect(text).not.toContain(pid);
    expect(text).not.toContain(userId);
    const rows = text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(before.length + 1);
    expect(rows.at(-1)).toEqual({
      withdrawal_id: expect.any(String),
      study_id: "demo",
      study_version: expect.any(Number),
      condition: expect.any(String),
      withdrawn_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      by: "participant",
      deleted_queries: 0,
      deleted_events: 1,
      // As docs/export.md says to compute it: base64url of HMAC-SHA256("panel:" + PROLIFIC_PID) under the first secret.
      panel_id_hmac: createHmac("sha256", inject("sessionSecret")).update(`panel:${pid}`).digest("base64url"),
    });
    // Every study's audit holds it too; another study's does not.
    expect((await lines(await audit(""))).map((r) => r.withdrawal_id)).toContain(rows.at(-1)?.withdrawal_id);
    expect(await lines(await audit("studyId=no-such-study"))).toEqual([]);
  });

  it("answers 401 without a researcher token or with a wrong one", async () => {
    const anonymous = await audit("studyId=demo", null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    expect((await audit("", "not-a-researcher-token-at-all")).status).toBe(401);
  });
});

describe("GET /study-definitions.ndjson", () => {
  const definitions = (query: string, token: string | null = TOKEN) =>
    fetch(
      `${BASE_URL}/study-definitions.ndjson?${query}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );

  it("downloads the demo study's file as deployed, with its hash, once the study was used", async () => {
    await graphql("{ status { ok } }", {}, {}); // status checks (and so registers) every active study
    const response = await definitions("studyId=demo");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="llm-study-definitions-.*\.ndjson"/,
    );
    expect(await lines(response)).toEqual([
      {
        study_id: "demo",
        study_version: demo.version,
        hash: definitionHash(demo),
        first_seen_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
        deployed_now: true,
        definition: demo,
      },
    ]);
    expect((await lines(await definitions(""))).map((r) => r.study_id)).toContain("demo");
    expect(await lines(await definitions("studyId=no-such-study"))).toEqual([]);
  });

  it("answers 401 without a researcher token or with a wrong one", async () => {
    const anonymous = await definitions("studyId=demo", null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    expect((await definitions("", "not-a-researcher-token-at-all")).status).toBe(401);
  });
});
