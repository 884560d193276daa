import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DOCUMENT_LIMITS } from "../../api/http/limits";
import type { Llm } from "../../api/llm/llm";
import { createApi } from "../../api/yoga";
import { appOn, countingDb, LOG_EVENT, QUERY, storedCount, uid } from "./helpers";
import { type GraphQLResult, participantToken, testApp } from "./support";

/**
 * How /graphql takes requests: JSON POSTs, reads over GET, CORS for the
 * configured origins only, documents within their limits, and what an error
 * leaves in the log. Everything through yoga.fetch on this file's D1.
 */

type Api = ReturnType<typeof createApi>;

/** The app's API with an LLM that counts the calls it gets. */
function countingLlmApi(vars: Record<string, string> = {}): { api: Api; calls: () => number } {
  const app = testApp(vars);
  let calls = 0;
  const llm: Llm = {
    name: app.llm.name,
    model: app.llm.model,
    provenance: app.llm.provenance,
    answer: (input) => {
      calls++;
      return app.llm.answer(input);
    },
    stream: (input) => {
      calls++;
      return app.llm.stream(input);
    },
    health: () => app.llm.health(),
  };
  const api = createApi({
    store: app.store,
    llm,
    studies: app.studies,
    config: app.config,
    limits: app.limits,
    version: "test",
  });
  return { api, calls: () => calls };
}

const post = (api: Api, body: BodyInit, headers: Record<string, string>) =>
  api.fetch(new Request("http://test/graphql", { method: "POST", headers, body }), {});

const postJson = (api: Api, payload: unknown, headers: Record<string, string> = {}) =>
  post(api, JSON.stringify(payload), { "content-type": "application/json", ...headers });

const get = (api: Api, params: Record<string, string>, headers: Record<string, string> = {}) =>
  api.fetch(new Request(`http://test/graphql?${new URLSearchParams(params)}`, { headers }), {});

const json = async (response: Response) => (await response.json()) as GraphQLResult;

const askInput = (userId: string) => ({ userId, sessionId: `${userId}-s`, query: "Is coffee bad for you?" });

describe("/graphql transport: POST takes JSON only", () => {
  it("refuses form, multipart, text and other bodies with 415 before anything runs", async () => {
    const { api, calls } = countingLlmApi();
    const userId = uid();
    const operation = JSON.stringify({ query: QUERY, variables: { input: askInput(userId) } });
    const form = new URLSearchParams({
      query: QUERY,
      variables: JSON.stringify({ input: askInput(userId) }),
    });
    const multipart = new FormData();
    multipart.set("operations", operation);
    multipart.set("map", "{}");
    const bodies: [string, BodyInit, Record<string, string>][] = [
      ["urlencoded", form.toString(), { "content-type": "application/x-www-form-urlencoded" }],
      ["multipart", multipart, {}],
      ["text/plain", operation, { "content-type": "text/plain" }],
      ["text/plain;charset=UTF-8", operation, { "content-type": "text/plain;charset=UTF-8" }],
      [
        "application/graphql",
        `mutation { query(input: { userId: "${userId}", sessionId: "s", query: "q" }) { id } }`,
        { "content-type": "application/graphql" },
      ],
      ["application/graphql+json", operation, { "content-type": "application/graphql+json" }],
      [
        "graphql-response+json as a content type",
        operation,
        { "content-type": "application/graphql-response+json" },
      ],
      ["json with another parameter", operation, { "content-type": "application/json; boundary=x" }],
      ["a list of types", operation, { "content-type": "application/json, text/plain" }],
      ["no content type", new Blob([operation]), {}],
      // Yoga's JSON parser matches the type in lower case only.
      ["upper-case type", operation, { "content-type": "Application/JSON" }],
    ];
    for (const [name, body, headers] of bodies) {
      const response = await post(api, body, headers);
      expect(response.status, name).toBe(415);
      const result = await json(response);
      expect(result.errors?.[0]?.extensions?.code, name).toBe("BAD_REQUEST");
      expect(result.errors?.[0]?.message, name).toMatch(/application\/json/);
    }
    expect(calls()).toBe(0);
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("takes application/json, also with charset=utf-8 in any case", async () => {
    const { api } = countingLlmApi();
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      "application/json;charset=UTF-8",
    ]) {
      const response = await post(api, JSON.stringify({ query: "{ status { version } }" }), {
        "content-type": type,
      });
      expect(response.status, type).toBe(200);
      expect((await json(response)).data, type).toEqual({ status: { version: "test" } });
    }
  });

  it("refuses batches (a JSON array of operations), running none of them", async () => {
    const { api, calls } = countingLlmApi();
    const userId = uid();
    const response = await postJson(api, [
      { query: QUERY, variables: { input: askInput(userId) } },
      { query: QUERY, variables: { input: askInput(userId) } },
    ]);
    expect(response.status).toBe(400);
    expect((await json(response)).errors?.[0]?.message).toMatch(/Batching is not supported/);
    expect(calls()).toBe(0);
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });
});

describe("/graphql transport: GET only reads", () => {
  it("runs a query over GET", async () => {
    const response = await get(countingLlmApi().api, { query: "{ status { version } }" });
    expect(response.status).toBe(200);
    expect((await json(response)).data).toEqual({ status: { version: "test" } });
  });

  it("refuses a mutation or a subscription over GET (405), with or without Accept: text/event-stream", async () => {
    const { api, calls } = countingLlmApi();
    const userId = uid();
    const subscription = `subscription { queryStream(input: { userId: "${userId}", sessionId: "s", query: "q" }) { delta } }`;
    const mutation = `mutation { query(input: { userId: "${userId}", sessionId: "s", query: "q" }) { id } }`;
    for (const query of [subscription, mutation]) {
      for (const accept of ["text/event-stream", "application/json", "multipart/mixed", "*/*"]) {
        const response = await get(api, { query }, { accept });
        expect(response.status, `${accept} ${query.slice(0, 12)}`).toBe(405);
        expect(response.headers.get("allow")).toBe("POST");
        await response.body?.cancel();
      }
    }
    // Named, with operationName choosing the subscription out of two.
    const both = await get(
      api,
      {
        query: `query Q { status { ok } } ${subscription.replace("subscription", "subscription S")}`,
        operationName: "S",
      },
      { accept: "text/event-stream" },
    );
    expect(both.status).toBe(405);
    await both.body?.cancel();
    expect(calls()).toBe(0);
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("answers 400, not 500, to GET variables or extensions that are not JSON, and logs nothing", async () => {
    const spy = vi.spyOn(console, "error");
    const { api } = countingLlmApi();
    const cases: Record<string, string>[] = [
      { query: "{ status { ok } }", variables: "{" },
      { query: "{ status { ok } }", variables: '{"a":' },
      { query: "{ status { ok } }", extensions: "[1" },
    ];
    for (const params of cases) {
      const response = await get(api, params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect((await json(response)).errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    }
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("still renders GraphiQL for a browser (Accept: text/html)", async () => {
    const response = await get(countingLlmApi().api, {}, { accept: "text/html" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await response.text()).toContain("renderYogaGraphiQL");
  });
});

describe("/graphql CORS", () => {
  const preflight = (api: Api, origin: string) =>
    api.fetch(
      new Request("http://test/graphql", {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, authorization",
        },
      }),
      {},
    );

  it("gives no CORS headers to any origin by default, and never allows credentials", async () => {
    const { api } = countingLlmApi();
    for (const origin of ["https://evil.example", "null", "http://test"]) {
      for (const response of [
        await preflight(api, origin),
        await postJson(api, { query: "{ status { version } }" }, { origin }),
      ]) {
        expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
        expect(response.headers.get("access-control-allow-credentials"), origin).toBeNull();
        expect(response.headers.get("access-control-allow-headers"), origin).toBeNull();
        await response.body?.cancel();
      }
    }
  });

  it("gives a configured origin its own origin back, without credentials, and nothing to others", async () => {
    const { api } = countingLlmApi({ CORS_ORIGINS: "https://survey.example.org, https://lab.example.org" });
    for (const origin of ["https://survey.example.org", "https://lab.example.org"]) {
      const pre = await preflight(api, origin);
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe(origin);
      expect(pre.headers.get("access-control-allow-methods")).toBe("GET, POST");
      expect(pre.headers.get("access-control-allow-headers")).toBe("authorization, content-type, accept");
      expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
      const response = await postJson(api, { query: "{ status { version } }" }, { origin });
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      expect(response.headers.get("vary")).toMatch(/Origin/);
      await response.body?.cancel();
    }
    for (const origin of ["https://evil.example", "https://survey.example.org.evil.example", "null"]) {
      const response = await postJson(api, { query: "{ status { version } }" }, { origin });
      expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect(response.headers.get("vary"), origin).toMatch(/Origin/);
      await response.body?.cancel();
    }
  });
});

describe("/graphql document limits", () => {
  const aliasedStatus = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `s${i}: status { store { ok } }`).join(" ")} }`;

  it("does not ping the database 2,000 times for 2,000 aliased status checks, nor 200 for 200", async () => {
    for (const n of [2000, 200]) {
      const { db, calls } = countingDb(env.DB);
      const result = await json(await postJson(appOn(db).api, { query: aliasedStatus(n) }));
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.message, String(n)).toMatch(
        /Document contains more that 2000 tokens|Aliases limit of 10 exceeded/,
      );
      expect(calls, String(n)).toEqual([]);
    }
  });

  it(`pings at most once per alias within the limit (${DOCUMENT_LIMITS.aliases})`, async () => {
    const { db, calls } = countingDb(env.DB);
    const result = await json(
      await postJson(appOn(db).api, { query: aliasedStatus(DOCUMENT_LIMITS.aliases) }),
    );
    expect(result.errors).toBeUndefined();
    expect(calls.length).toBeLessThanOrEqual(DOCUMENT_LIMITS.aliases);
  });

  it("refuses two LLM calls in one operation with BAD_USER_INPUT, calling the LLM not once", async () => {
    const { api, calls } = countingLlmApi();
    const userId = uid();
    const two = `mutation Two($input: QueryInput!) {
      first: query(input: $input) { id }
      ...More
    }
    fragment More on Mutation { second: query(input: $input) { id } }`;
    const response = await postJson(api, { query: two, variables: { input: askInput(userId) } });
    const result = await json(response);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(/at most 1 time/);
    expect(calls()).toBe(0);
    expect(await storedCount({ userIds: [userId] })).toBe(0);

    // One call is fine (as the participant: their credential).
    const token = await participantToken(testApp(), { userId, sessionId: `${userId}-s` });
    const one = await json(
      await postJson(
        api,
        { query: QUERY, variables: { input: askInput(userId) } },
        { "x-participant-token": token },
      ),
    );
    expect(one.errors).toBeUndefined();
    expect(calls()).toBe(1);
  });

  it("refuses too deep and too long documents with codes and the limit", async () => {
    const { api } = countingLlmApi();
    const deep = `{ ${"... on Query { ".repeat(DOCUMENT_LIMITS.depth)} status { ok } ${"} ".repeat(DOCUMENT_LIMITS.depth)} }`;
    const deepResult = await json(await postJson(api, { query: deep }));
    expect(deepResult.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(deepResult.errors?.[0]?.message).toMatch(/^Query depth limit of 12 exceeded/);
    const long = `{ status { ${"version ".repeat(DOCUMENT_LIMITS.tokens)} } }`;
    const longResult = await json(await postJson(api, { query: long }));
    expect(longResult.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(longResult.errors?.[0]?.message).toMatch(/Document contains more that 2000 tokens/);
  });

  it("suggests no names: no 'Did you mean' for a wrong field, argument, type, enum value or input field", async () => {
    const { api } = countingLlmApi();
    const event = { eventId: uid(), userId: uid(), sessionId: "s", eventType: "CLICK" };
    const cases: [string, unknown][] = [
      ["field", { query: "{ statu { ok } }" }],
      ["subfield", { query: "{ status { okk } }" }],
      ["argument", { query: "{ export(frist: 1) { totalCount } }" }],
      ["type", { query: "query($f: ExportFiltr) { export(filter: $f) { totalCount } }" }],
      [
        "enum literal",
        {
          query: `mutation { logEvent(input: { eventId: "e", userId: "u", sessionId: "s", eventType: CLIK }) { eventId } }`,
        },
      ],
      [
        "enum value in variables",
        { query: LOG_EVENT, variables: { input: { ...event, eventType: "CLIK" } } },
      ],
      ["input field in variables", { query: LOG_EVENT, variables: { input: { ...event, pageUrll: "x" } } }],
    ];
    for (const [name, payload] of cases) {
      const result = await json(await postJson(api, payload));
      expect(result.errors?.length, name).toBeGreaterThan(0);
      for (const error of result.errors ?? []) {
        expect(error.message, name).not.toMatch(/Did you mean/i);
        expect(error.extensions?.code, name).toMatch(/^(GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/);
      }
    }
  });
});

describe("/graphql errors in the log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("logs nothing for the caller's own errors: parse, validation, variables, enum values, limits", async () => {
    const { api } = countingLlmApi();
    const spy = vi.spyOn(console, "error");
    const payloads: unknown[] = [
      { query: "{ status { ok }" },
      { query: "{ nope }" },
      { query: LOG_EVENT, variables: {} },
      {
        query: LOG_EVENT,
        variables: { input: { eventId: { $ne: null }, userId: "u", sessionId: "s", eventType: "CLICK" } },
      },
      {
        query: LOG_EVENT,
        variables: { input: { eventId: "e", userId: "u", sessionId: "s", eventType: "NOPE" } },
      },
      { query: QUERY, variables: { input: { userId: "u", sessionId: "s", query: "" } } },
      { query: `{ ${Array.from({ length: 11 }, (_, i) => `a${i}: status { ok }`).join(" ")} }` },
      { query: "{ status { ok } }", variables: "not an object" },
      { nope: 1 },
    ];
    for (const payload of payloads) {
      const response = await postJson(api, payload);
      expect(response.status, JSON.stringify(payload)).toBeLessThan(500);
      const result = await json(response);
      expect(result.errors?.length, JSON.stringify(payload)).toBeGreaterThan(0);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(payload)).toBeTruthy();
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it("logs an unexpected error as one line: the operation and the error's class, nothing of its message or the variables", async () => {
    const real = testApp();
    const secret = "internal detail 7f3a";
    const broken: Llm = {
      ...real.llm,
      name: "broken",
      model: "broken",
      answer: real.llm.answer.bind(real.llm),
      stream: real.llm.stream.bind(real.llm),
      health: async () => {
        throw new TypeError(secret);
      },
    };
    const api = createApi({
      store: real.store,
      llm: broken,
      studies: real.studies,
      config: real.config,
      limits: real.limits,
      version: "t",
    });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await postJson(api, {
      query: "query Health($id: ID!) { status { llm { ok } } study(id: $id) { id } }",
      variables: { id: "a participants words" },
      operationName: "Health",
    });
    const result = await json(response);
    expect(result.errors?.[0]?.message).toBe("Unexpected error.");
    expect(JSON.stringify(result)).not.toContain("7f3a");
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]).toEqual(["unexpected error in operation Health: TypeError"]);

    // An anonymous operation, and an operationName that is not a GraphQL name, are not written as sent.
    spy.mockClear();
    await postJson(api, { query: "{ status { llm { ok } } }" });
    await postJson(api, { query: "query A { status { llm { ok } } }", operationName: "A\nforged log line" });
    expect(spy.mock.calls).toEqual([
      ["unexpected error in operation (anonymous): TypeError"],
      // The operationName does not match the document's operation: nothing runs, nothing to log.
    ]);
  });
});
