import { describe, expect, it } from "vitest";
import type { App } from "../../api/app";
import { handleDownload } from "../../api/export/http";
import type { BATCH_SIZES } from "../../api/export/rows";
import { TABLE_NAMES, TABLES } from "../../api/export/tables";
import { issueResearcherSession } from "../../api/researchers/session";
import type { NewEvent, NewQuery, Provenance } from "../../api/store/store";
import { csvObjects, parseCsv } from "../support/csv";
import { exportRecords, onlyError, sleep, uid } from "./helpers";
import { RESEARCHER_TOKEN, testApp } from "./support";

/**
 * The analysis-ready downloads (api/export/http.ts) on this file's real D1:
 * records are stored through the real store, then downloaded as a script
 * would, with the researcher's bearer token.
 */

function download(app: App, path: string, token: string | null = RESEARCHER_TOKEN): Promise<Response> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  return handleDownload(new Request(`http://test${path}`, { headers }), { ...app, version: "test" });
}

async function text(app: App, path: string): Promise<string> {
  const response = await download(app, path);
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return body;
}

async function refusal(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const TRICKY = 'Café, "naïve" reader\nsecond line\r\nthird: 日本語 🚀';

function provenance(fields: Partial<Provenance> = {}): Provenance {
  return {
    provider: "scripted",
    endpoint: null,
    requestedModel: "scripted-model",
    systemPromptHash: "ab".repeat(32),
    parameters: { temperature: 0.7 },
    sourcesShown: true,
    order: "model",
    permutation: null,
    rotation: null,
    limit: null,
    inject: null,
    citations: "numbered",
    markers: "linked",
    answerLinks: "links",
    studyHash: "cd".repeat(32),
    ...fields,
  };
}

function query(fields: Partial<NewQuery> & { userId: string }): NewQuery {
  return {
    id: uid(),
    conversationId: uid(),
    sessionId: `${fields.userId}-session`,
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    studyId: null,
    condition: null,
    studyVersion: null,
    query: "Is coffee bad for sleep?",
    response: "It can be [1].",
    displayedResponse: "It can be [1].",
    sources: [],
    modelSources: [],
    provenance: provenance(),
    model: "scripted-model",
    latencyMs: 120,
    ttftMs: 30,
    stopped: false,
    historyTurns: 0,
    error: null,
    usage: null,
    clientTime: null,
    ...fields,
  };
}

function event(fields: Partial<NewEvent> & { userId: string }): NewEvent {
  return {
    eventId: uid(),
    sessionId: `${fields.userId}-session`,
    prolificStudyId: null,
    panelParticipantId: null,
    panelSessionId: null,
    studyId: null,
    condition: null,
    studyVersion: null,
    eventType: "SCROLL",
    query: null,
    queryId: null,
    targetUrl: null,
    pageUrl: null,
    extraData: null,
    clientTime: null,
    ...fields,
  };
}

const SOURCES = [
  {
    rank: 1,
    title: "Sleep, caffeine & you",
    url: "https://a.example/1",
    content: null,
    originalRank: 2,
    injected: false,
  },
  {
    rank: 2,
    title: 'The "injected" one',
    url: "https://b.example/2",
    content: null,
    originalRank: null,
    injected: true,
  },
  {
    rank: 3,
    title: "Kaffee und Schlaf",
    url: "https://c.example/3",
    content: null,
    originalRank: 1,
    injected: false,
  },
];

/** A study of its own (on stored records only: a retired study) with one participant, answers, clicks and a finish. */
async function seedStudy(app: App) {
  const studyId = `retired-${uid()}`;
  const userId = uid();
  const { assignment } = await app.store.assign({
    studyId,
    userId,
    studyVersion: 3,
    panelParticipantId: "PID-1",
    choose: () => "cond-a",
  });
  const tag = { userId, studyId, condition: "cond-a", studyVersion: 3, panelParticipantId: "PID-1" };
  const q1 = await app.store.recordQuery(
    query({
      ...tag,
      query: TRICKY,
      sources: SOURCES,
      usage: { promptTokens: 42, completionTokens: 7, totalTokens: 49 },
    }),
  );
  const q2 = await app.store.recordQuery(query({ ...tag, historyTurns: 1 }));
  await app.store.recordEvents([
    event({
      ...tag,
      eventType: "CLICK",
      queryId: q1.id,
      targetUrl: SOURCES[0]?.url ?? "",
      extraData: { via: "tracker", element: "source", rank: 1, originalRank: 2 },
    }),
    event({
      ...tag,
      eventType: "SCROLL",
      queryId: q1.id,
      extraData: { scrollDepth: 0.5, pageViewId: "pv-1", seq: 3 },
    }),
  ]);
  await sleep(5);
  await app.store.recordEvents([
    event({
      ...tag,
      eventType: "CLICK",
      queryId: q1.id,
      targetUrl: SOURCES[0]?.url ?? "",
      extraData: { via: "redirect" },
    }),
  ]);
  return { studyId, userId, assignment, q1, q2 };
}

describe("downloads: authentication", () => {
  it("refuses every table without a researcher token, or with a wrong one: 401 UNAUTHENTICATED with how to send it", async () => {
    const app = testApp();
    for (const table of TABLE_NAMES) {
      for (const token of [null, "wrong-token-0123456789abcdef", `${RESEARCHER_TOKEN}x`]) {
        const r = await refusal(await download(app, `/export/${table}.csv`, token));
        expect(r.status, `${table} ${token}`).toBe(401);
        expect(r.code).toBe("UNAUTHENTICATED");
        expect(r.message).toContain("Authorization: Bearer");
      }
    }
  });

  it("takes the session of a researcher signed in on the site (its cookie), and refuses a forged or expired one", async () => {
    const app = testApp();
    const asCookie = (name: string, value: string) =>
      handleDownload(
        new Request("https://test/export/answers.csv", { headers: { cookie: `${name}=${value}` } }),
        {
          ...app,
          version: "test",
        },
      );
    const { token } = await issueResearcherSession(app.config.sessionSecrets);
    expect((await asCookie("__Host-lsp_research", token)).status).toBe(200);
    // Only under its own name: the participant's cookie name, or the http name on https, is no session.
    expect((await asCookie("lsp_research", token)).status).toBe(401);
    expect((await asCookie("__Host-lsp_session", token)).status).toBe(401);
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await asCookie("__Host-lsp_research", forged)).status).toBe(401);
    const old = await issueResearcherSession(app.config.sessionSecrets, Date.now() - 13 * 3600 * 1000);
    expect((await asCookie("__Host-lsp_research", old.token)).status).toBe(401);
  });

  it("describes the columns without a token (no records in it)", async () => {
    const response = await download(testApp(), "/export/dataset_description.json", null);
    expect(response.status).toBe(200);
  });

  it("answers 404 naming the tables for an unknown one", async () => {
    const r = await refusal(await download(testApp(), "/export/answer.csv"));
    expect(r.status).toBe(404);
    expect(r.message).toContain("/export/answers.csv");
  });
});

describe("downloads: answers", () => {
  it("writes one RFC 4180 row per answer: quoted commas, quotes, newlines and non-ASCII, CRLF, times in Z", async () => {
    const app = testApp();
    const { studyId, userId, q1, q2 } = await seedStudy(app);
    const body = await text(app, `/export/answers.csv?studyIds=${studyId}`);
    expect(body.split("\r\n")[0]).toBe(TABLES.answers.map((c) => c.name).join(","));
    expect(body.endsWith("\r\n")).toBe(true);
    expect(body).toContain('"Café, ""naïve"" reader\nsecond line\r\nthird: 日本語 🚀"');
    const rows = csvObjects(body);
    expect(rows.map((r) => r.query_id)).toEqual([q1.id, q2.id]);
    const [first] = rows;
    expect(first).toMatchObject({
      user_id: userId,
      study_id: studyId,
      condition: "cond-a",
      study_version: "3",
      panel_participant_id: "PID-1",
      provider: "scripted",
      endpoint: "",
      requested_model: "scripted-model",
      temperature: "0.7",
      parameters: '{"temperature":0.7}',
      sources_shown: "true",
      source_order: "model",
      latency_ms: "120",
      ttft_ms: "30",
      prompt_tokens: "42",
      completion_tokens: "7",
      total_tokens: "49",
      stopped: "false",
      error: "",
      history_turns: "0",
      n_sources: "3",
      query: TRICKY,
    });
    expect(first?.received_at).toMatch(ISO_Z);
    expect(first?.received_at).toBe(q1.receivedAt);
    // No usage reported: the three cells are empty.
    expect(rows[1]).toMatchObject({ prompt_tokens: "", completion_tokens: "", total_tokens: "" });
  });

  it("writes the same rows as NDJSON, with typed values", async () => {
    const app = testApp();
    const { studyId, q1 } = await seedStudy(app);
    const body = await text(app, `/export/answers.ndjson?studyIds=${studyId}`);
    const lines = body
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0] ?? {})).toEqual(TABLES.answers.map((c) => c.name));
    expect(lines[0]).toMatchObject({
      query_id: q1.id,
      query: TRICKY,
      temperature: 0.7,
      stopped: false,
      prompt_tokens: 42,
      completion_tokens: 7,
      total_tokens: 49,
      n_sources: 3,
    });
    expect(lines[1]).toMatchObject({ prompt_tokens: null, completion_tokens: null, total_tokens: null });
  });
});

describe("downloads: events", () => {
  it("flattens the known extraData keys and keeps the whole extraData as JSON", async () => {
    const app = testApp();
    const { studyId, q1 } = await seedStudy(app);
    const rows = csvObjects(await text(app, `/export/events.csv?studyIds=${studyId}`));
    expect(rows.map((r) => r.event_type)).toEqual(["CLICK", "SCROLL", "CLICK"]);
    expect(rows[0]).toMatchObject({
      query_id: q1.id,
      via: "tracker",
      element: "source",
      rank: "1",
      original_rank: "2",
    });
    expect(rows[1]).toMatchObject({ scroll_depth: "0.5", page_view_id: "pv-1", seq: "3", via: "" });
    expect(JSON.parse(rows[1]?.extra_data ?? "")).toEqual({ scrollDepth: 0.5, pageViewId: "pv-1", seq: 3 });
  });
});

describe("downloads: sources", () => {
  it("writes one row per source shown, with its clicks counted in the store", async () => {
    const app = testApp();
    const { studyId, q1 } = await seedStudy(app);
    const rows = csvObjects(await text(app, `/export/sources.csv?studyIds=${studyId}`));
    expect(rows).toHaveLength(3);
    expect(
      rows.map((r) => [r.query_id, r.rank, r.original_rank, r.injected, r.title, r.clicked, r.clicks]),
    ).toEqual([
      [q1.id, "1", "2", "false", "Sleep, caffeine & you", "true", "2"],
      [q1.id, "2", "", "true", 'The "injected" one', "false", "0"],
      [q1.id, "3", "1", "false", "Kaffee und Schlaf", "false", "0"],
    ]);
    expect(rows[0]?.first_click_at).toMatch(ISO_Z);
    expect(rows[1]?.first_click_at).toBe("");
  });
});

describe("downloads: participants", () => {
  it("writes one row per participant and study with consent, finish, time on task and counts", async () => {
    const app = testApp();
    const { studyId, userId, assignment } = await seedStudy(app);
    let rows = csvObjects(await text(app, `/export/participants.csv?studyIds=${studyId}`));
    expect(rows).toEqual([
      expect.objectContaining({
        user_id: userId,
        condition: "cond-a",
        study_version: "3",
        panel_participant_id: "PID-1",
        consented_at: assignment.assignedAt,
        finished_at: "",
        time_on_task_s: "",
        answers: "2",
        source_clicks: "2",
        completed: "false",
      }),
    ]);
    const finished = await app.store.finishAssignment(studyId, userId, "completed");
    const finishedAt = finished?.assignment.finishedAt ?? "";
    rows = csvObjects(await text(app, `/export/participants.csv?studyIds=${studyId}`));
    expect(rows[0]).toMatchObject({ finished_at: finishedAt, completed: "true" });
    expect(Number(rows[0]?.time_on_task_s)).toBe(
      (Date.parse(finishedAt) - Date.parse(assignment.assignedAt)) / 1000,
    );
  });
});

describe("downloads: filters", () => {
  it("takes lists comma-separated or repeated, and from/to", async () => {
    const app = testApp();
    const a = await seedStudy(app);
    const b = await seedStudy(app);
    const both = csvObjects(await text(app, `/export/answers.csv?studyIds=${a.studyId},${b.studyId}`));
    const repeated = csvObjects(
      await text(app, `/export/answers.csv?studyIds=${a.studyId}&studyIds=${b.studyId}`),
    );
    expect(both).toHaveLength(4);
    expect(repeated).toEqual(both);
    const one = csvObjects(
      await text(app, `/export/answers.csv?studyIds=${a.studyId},${b.studyId}&userIds=${b.userId}`),
    );
    expect(one.map((r) => r.query_id)).toEqual([b.q1.id, b.q2.id]);
    const from = csvObjects(
      await text(app, `/export/answers.csv?studyIds=${a.studyId}&from=${a.q2.receivedAt}`),
    );
    expect(from.map((r) => r.query_id)).toEqual([a.q2.id]);
    const to = csvObjects(await text(app, `/export/answers.csv?studyIds=${a.studyId}&to=${a.q2.receivedAt}`));
    expect(to.map((r) => r.query_id)).toEqual([a.q1.id]);
    const panel = csvObjects(
      await text(app, `/export/participants.csv?userIds=${a.userId}&panelParticipantIds=PID-1`),
    );
    expect(panel.map((r) => r.user_id)).toEqual([a.userId]);
  });

  it("refuses an unknown parameter or a bad value with BAD_USER_INPUT saying what to change", async () => {
    const app = testApp();
    for (const [query, words] of [
      ["studyId=demo", 'unknown parameter "studyId"'],
      ["from=yesterday", "from must be an ISO-8601 time"],
      ["to=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "to is given 2 times"],
      ["userIds=,", "userIds must name at least one value"],
    ] as const) {
      const r = await refusal(await download(app, `/export/events.csv?${query}`));
      expect(r.status, query).toBe(400);
      expect(r.code).toBe("BAD_USER_INPUT");
      expect(r.message).toContain(words);
    }
  });

  it("refuses a study or condition that is neither in the catalog nor on any record, naming it; a retired study is fine", async () => {
    const app = testApp();
    const { studyId } = await seedStudy(app);
    const unknownStudy = `typo-${uid()}`;
    let r = await refusal(await download(app, `/export/answers.csv?studyIds=${studyId},${unknownStudy}`));
    expect(r).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    expect(r.message).toContain(`"${unknownStudy}"`);
    expect(r.message).not.toContain(`"${studyId}"`);
    r = await refusal(await download(app, "/export/events.csv?conditions=sources-showen"));
    expect(r).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    expect(r.message).toContain('"sources-showen"');
    // In the catalog (studies/demo.json) but with no record: known, so an empty file, not an error.
    expect(await text(app, "/export/events.csv?studyIds=demo&conditions=sources-hidden,cond-a")).toBe(
      `${TABLES.events.map((c) => c.name).join(",")}\r\n`,
    );
    // The GraphQL export refuses it the same way.
    const graphql = await exportRecords(app, { filter: { studyIds: [unknownStudy] } });
    expect(onlyError(graphql).code).toBe("BAD_USER_INPUT");
    expect(onlyError(graphql).message).toContain(`"${unknownStudy}"`);
  });
});

describe("downloads: pages (after, limit, count)", () => {
  /** Every page of a download from its start, as `npm run export` asks for them. */
  async function pages(app: App, path: string, limit: number) {
    const bodies: string[] = [];
    const rows: number[] = [];
    let after: string | null = null;
    let total: string | null = null;
    for (;;) {
      const page = await download(
        app,
        `${path}&limit=${limit}${after === null ? "&count=1" : `&after=${encodeURIComponent(after)}`}`,
      );
      const body = await page.text();
      expect(page.status, body).toBe(200);
      bodies.push(body);
      rows.push(Number(page.headers.get("x-export-rows")));
      if (after === null) total = page.headers.get("x-export-total-rows");
      after = page.headers.get("x-export-next-after");
      if (after === null) return { bodies, rows, total };
    }
  }

  it("pages through every table in both formats to the bytes of the whole download, counting answers and events", async () => {
    const app = testApp();
    const a = await seedStudy(app);
    const b = await seedStudy(app);
    const expected = { answers: 4, sources: 6, events: 6, participants: 2 };
    for (const table of TABLE_NAMES) {
      for (const format of ["csv", "ndjson"] as const) {
        const path = `/export/${table}.${format}?studyIds=${a.studyId},${b.studyId}`;
        const whole = await text(app, path);
        const paged = await pages(app, path, 1);
        expect(paged.bodies.join(""), `${table}.${format}`).toBe(whole);
        expect(
          paged.rows.reduce((x, y) => x + y, 0),
          `${table}.${format}`,
        ).toBe(expected[table]);
        expect(paged.total, table).toBe(
          table === "answers" || table === "events" ? String(expected[table]) : null,
        );
        // Only the first page has the CSV header.
        if (format === "csv")
          expect(paged.bodies.slice(1).some((body) => body.startsWith(TABLES[table][0]?.name ?? "?"))).toBe(
            false,
          );
      }
    }
  });

  it("continues a whole download after a page's cursor", async () => {
    const app = testApp();
    const { studyId, q1, q2 } = await seedStudy(app);
    const first = await download(app, `/export/answers.ndjson?studyIds=${studyId}&limit=1`);
    expect((await first.text()).includes(q1.id)).toBe(true);
    const after = first.headers.get("x-export-next-after") ?? "";
    const rest = await text(
      app,
      `/export/answers.ndjson?studyIds=${studyId}&after=${encodeURIComponent(after)}`,
    );
    expect(
      rest
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line).query_id),
    ).toEqual([q2.id]);
  });

  it("refuses a bad cursor, limit or count with BAD_USER_INPUT saying what to change", async () => {
    const app = testApp();
    const { studyId } = await seedStudy(app);
    const eventsCursor = (await download(app, `/export/events.csv?studyIds=${studyId}&limit=1`)).headers.get(
      "x-export-next-after",
    );
    expect(eventsCursor).not.toBeNull();
    for (const [path, words] of [
      ["/export/answers.csv?after=not-a-cursor", "after is not a cursor of the answers download"],
      [
        `/export/participants.csv?after=${eventsCursor}`,
        "after is not a cursor of the participants download",
      ],
      ["/export/answers.csv?after=", "after must be a cursor"],
      ["/export/answers.csv?limit=0", "limit must be at least 1"],
      ["/export/answers.csv?limit=1001", "limit must be at most 1000 for answers"],
      ["/export/answers.csv?limit=2.5", "limit must be a whole number"],
      ["/export/answers.csv?limit=ten", "limit "],
      ["/export/answers.csv?limit=1&limit=2", "limit is given 2 times"],
      ["/export/answers.csv?count=yes", "count must be 1"],
    ] as const) {
      const r = await refusal(await download(app, path));
      expect(r.status, path).toBe(400);
      expect(r.code, path).toBe("BAD_USER_INPUT");
      expect(r.message, path).toContain(words);
    }
  });
});

describe("downloads: batches", () => {
  it("streams the same bytes whatever the store's batch size: every table and format, batches of 1 and 2 against the default", async () => {
    const app = testApp();
    const a = await seedStudy(app);
    const b = await seedStudy(app);
    for (const table of TABLE_NAMES) {
      for (const format of ["csv", "ndjson"] as const) {
        const path = `/export/${table}.${format}?studyIds=${a.studyId},${b.studyId}`;
        const whole = await text(app, path);
        for (const size of [1, 2]) {
          const sizes = Object.fromEntries(TABLE_NAMES.map((t) => [t, size])) as typeof BATCH_SIZES;
          const response = await handleDownload(
            new Request(`http://test${path}`, { headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` } }),
            { ...app, version: "test" },
            sizes,
          );
          expect(await response.text(), `${table}.${format} in batches of ${size}`).toBe(whole);
        }
      }
    }
  });
});

describe("downloads: repeatable", () => {
  it("gives byte-identical files for the same filter with a `to` in the past, whatever is stored after it", async () => {
    const app = testApp();
    const { studyId, userId, q1 } = await seedStudy(app);
    await sleep(5);
    const to = new Date().toISOString();
    await sleep(5);
    const paths = TABLE_NAMES.flatMap((t) => [`/export/${t}.csv`, `/export/${t}.ndjson`]).map(
      (p) => `${p}?studyIds=${studyId}&to=${to}`,
    );
    const before = await Promise.all(paths.map((p) => text(app, p)));
    // After `to`: another answer, a click on an earlier one, the finish.
    const tag = { userId, studyId, condition: "cond-a", studyVersion: 3 };
    await app.store.recordQuery(query(tag));
    await app.store.recordEvents([
      event({ ...tag, eventType: "CLICK", queryId: q1.id, targetUrl: SOURCES[2]?.url ?? "" }),
    ]);
    await app.store.finishAssignment(studyId, userId, "completed");
    const after = await Promise.all(paths.map((p) => text(app, p)));
    expect(after).toEqual(before);
    for (const file of before) expect(file.length).toBeGreaterThan(200);
    // Without `to` the new records are there.
    const now = csvObjects(await text(app, `/export/sources.csv?studyIds=${studyId}`));
    expect(now.find((r) => r.url === SOURCES[2]?.url)?.clicks).toBe("1");
  });
});

describe("downloads: dataset_description.json", () => {
  it("describes every column of every table, with a schema version", async () => {
    const response = await download(testApp(), "/export/dataset_description.json", null);
    const description = (await response.json()) as {
      "@type": string;
      schemaVersion: string;
      variableMeasured: {
        "@type": string;
        name: string;
        description: string;
        valueType: string;
        unitText?: string;
      }[];
    };
    expect(description["@type"]).toBe("Dataset");
    expect(description.schemaVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const names = description.variableMeasured.map((v) => v.name);
    for (const table of TABLE_NAMES) {
      const header = parseCsv(await text(testApp(), `/export/${table}.csv?userIds=${uid()}`))[0];
      expect(header?.map((c) => `${table}.${c}`)).toEqual(names.filter((n) => n.startsWith(`${table}.`)));
    }
    for (const v of description.variableMeasured) {
      expect(v["@type"]).toBe("PropertyValue");
      expect(v.description.length, v.name).toBeGreaterThan(5);
    }
    expect(description.variableMeasured.find((v) => v.name === "answers.latency_ms")?.unitText).toBe(
      "milliseconds",
    );
    for (const name of ["prompt_tokens", "completion_tokens", "total_tokens"]) {
      expect(description.variableMeasured.find((v) => v.name === `answers.${name}`)).toMatchObject({
        valueType: "Integer",
        unitText: "tokens",
      });
    }
  });
});
