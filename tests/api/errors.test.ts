import { env } from "cloudflare:test";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { signLink } from "../../api/answers/link-signature";
import type { Llm } from "../../api/llm/llm";
import { createApi } from "../../api/yoga";
import {
  appOn,
  ask,
  D1_FAILURE,
  exportRecords,
  failingDb,
  LOG_EVENT,
  logEvent,
  logEventOk,
  logEvents,
  makeEvents,
  onlyError,
  storedCount,
  uid,
} from "./helpers";
import { gql, testApp } from "./support";

describe("errors: variables of the wrong type", () => {
  it("answers BAD_USER_INPUT for an unknown enum value, an object as an id, or an unknown field, and writes nothing", async () => {
    const app = testApp();
    const userId = uid();
    const sessionId = uid();
    const valid = { eventId: uid(), userId, sessionId, eventType: "CLICK" };
    const cases: [string, Record<string, unknown>][] = [
      ["unknown enum value", { ...valid, eventType: "NOPE" }],
      ["lower-case enum value", { ...valid, eventType: "click" }],
      ["object as an id", { ...valid, userId: { $ne: null } }],
      ["list as an id", { ...valid, eventId: [valid.eventId] }],
      ["number as a string", { ...valid, pageUrl: 42 }],
      ["unknown input field", { ...valid, nope: 1 }],
      ["missing required field", { eventId: valid.eventId, userId, sessionId }],
      ["null for a required field", { ...valid, userId: null }],
    ];
    for (const [name, input] of cases) {
      const result = await logEvent(app, input);
      const error = onlyError(result);
      expect(error.code, name).toBe("BAD_USER_INPUT");
      expect(result.data ?? null, name).toBeNull();
    }
    expect(await storedCount({ sessionIds: [sessionId] })).toBe(0);

    // The same event, well typed, is accepted.
    expect((await logEventOk(app, valid)).duplicate).toBe(false);
  });

  it("answers BAD_USER_INPUT for a wrong type in a batch, and writes none of it", async () => {
    const userId = uid();
    const events = makeEvents(3, { userId });
    const result = await logEvents(testApp(), [...events, { ...events[0], eventId: uid(), eventType: 7 }]);
    expect(onlyError(result).code).toBe("BAD_USER_INPUT");
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("answers BAD_USER_INPUT when a required variable is missing", async () => {
    const result = await gql(testApp(), LOG_EVENT, {});
    expect(onlyError(result).code).toBe("BAD_USER_INPUT");
  });
});

describe("errors: documents that are not valid", () => {
  it("answers GRAPHQL_VALIDATION_FAILED for unknown fields, arguments, input fields and enum literals", async () => {
    const app = testApp();
    const userId = uid();
    const documents = [
      "{ status { ok nope } }",
      "{ nope }",
      "{ export(nope: 1) { totalCount } }",
      `mutation { logEvent(input: { eventId: "e", userId: "${userId}", sessionId: "s", eventType: CLICK, nope: 1 }) { eventId } }`,
      `mutation { logEvent(input: { eventId: "e", userId: "${userId}", sessionId: "s", eventType: NOPE }) { eventId } }`,
      `mutation { logEvent(input: { eventId: "e", userId: "${userId}", sessionId: "s" }) { eventId } }`,
      `mutation { logEvent(input: { eventId: "e", userId: "${userId}", sessionId: "s", eventType: "CLICK" }) { eventId } }`,
      'mutation { query(input: { userId: 1.5, sessionId: "s", query: "q" }) { id } }',
      "query($unused: Int) { status { ok } }",
    ];
    for (const document of documents) {
      const result = await gql(app, document);
      expect(result.errors?.length, document).toBeGreaterThan(0);
      for (const error of result.errors ?? []) {
        expect(error.extensions?.code, document).toBe("GRAPHQL_VALIDATION_FAILED");
      }
      expect(result.data ?? null).toBeNull();
    }
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("answers GRAPHQL_PARSE_FAILED for a document that does not parse", async () => {
    for (const document of ["{ status { ok }", "mutation {", "}{"]) {
      const error = onlyError(await gql(testApp(), document));
      expect(error.code, document).toBe("GRAPHQL_PARSE_FAILED");
    }
  });
});

describe("errors: input rules", () => {
  it("refuses an empty, blank or too long message with BAD_USER_INPUT, and stores nothing", async () => {
    const app = testApp();
    const userId = uid();
    for (const query of ["", " ", "  \n\t  ", "a".repeat(8001), ` ${"b".repeat(8001)} `]) {
      const result = await ask(app, { userId, sessionId: "s", query });
      expect(result.data, JSON.stringify(query.slice(0, 10))).toBeNull();
      const error = onlyError(result);
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toMatch(/query/);
    }
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("accepts a message of exactly 8000 characters, also with blanks around it", async () => {
    const app = testApp();
    const userId = uid();
    for (const query of ["c".repeat(8000), `  ${"d".repeat(8000)}\n`]) {
      const result = await ask(app, { userId, sessionId: "s", query });
      expect(result.errors).toBeUndefined();
      expect(result.data?.query.response).toContain("scripted demo LLM");
    }
    expect(await storedCount({ userIds: [userId] })).toBe(2);
  });

  it("refuses ids that are empty, longer than 128 characters or hold control characters", async () => {
    const app = testApp();
    const sessionId = uid();
    for (const userId of ["", "u".repeat(129), "a\u0000b", "line\nbreak"]) {
      const result = await logEvent(app, { eventId: uid(), userId, sessionId, eventType: "BROWSE" });
      expect(onlyError(result).code, JSON.stringify(userId)).toBe("BAD_USER_INPUT");
      const asked = await ask(app, { userId, sessionId, query: "coffee?" });
      expect(onlyError(asked).code, JSON.stringify(userId)).toBe("BAD_USER_INPUT");
    }
    expect(await storedCount({ sessionIds: [sessionId] })).toBe(0);
    // 128 characters is fine.
    await logEventOk(app, { eventId: uid(), userId: "u".repeat(128), sessionId, eventType: "BROWSE" });
    expect(await storedCount({ sessionIds: [sessionId] })).toBe(1);
  });

  it("accepts extraData of exactly 8 KiB of JSON and refuses one byte more, counting bytes not characters", async () => {
    const app = testApp();
    const userId = uid();
    const sessionId = "s";
    const log = (extraData: unknown) =>
      logEvent(app, { eventId: uid(), userId, sessionId, eventType: "SCROLL", extraData });

    // JSON.stringify of a string adds two quotes.
    const atLimit = "x".repeat(8192 - 2);
    const objectAtLimit = { k: "y".repeat(8192 - '{"k":""}'.length) };
    const twoByteAtLimit = "é".repeat((8192 - 2) / 2);
    expect(new TextEncoder().encode(JSON.stringify(objectAtLimit)).length).toBe(8192);
    for (const extraData of [atLimit, objectAtLimit, twoByteAtLimit]) {
      const result = await log(extraData);
      expect(result.errors).toBeUndefined();
    }

    const overLimit = [
      `${atLimit}x`,
      { k: `${objectAtLimit.k}y` },
      // 4096 characters, well under 8192, but 8194 bytes of UTF-8 JSON.
      `${twoByteAtLimit}é`,
      Array.from({ length: 2000 }, (_, i) => i),
    ];
    for (const extraData of overLimit) {
      const result = await log(extraData);
      expect(result.data).toBeNull();
      const error = onlyError(result);
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("8192 bytes");
    }
    expect(await storedCount({ userIds: [userId] })).toBe(3);
  });

  it("refuses a DateTime that is not an ISO-8601 instant with a zone, and stores nothing", async () => {
    const app = testApp();
    const userId = uid();
    const bad = [
      "yesterday",
      "2026-11-25",
      "2026-11-25T16:28:52",
      "2026-13-45T00:00:00Z",
      "2026-11-25 16:28:52Z",
      1764088132123,
      "",
    ];
    for (const clientTime of bad) {
      const event = await logEvent(app, {
        eventId: uid(),
        userId,
        sessionId: "s",
        eventType: "BROWSE",
        clientTime,
      });
      expect(onlyError(event).code, String(clientTime)).toBe("BAD_USER_INPUT");
      expect(event.data ?? null).toBeNull();
      const asked = await ask(app, { userId, sessionId: "s", query: "coffee?", clientTime });
      expect(onlyError(asked).code, String(clientTime)).toBe("BAD_USER_INPUT");
    }
    expect(await storedCount({ userIds: [userId] })).toBe(0);

    const literal = await gql(
      app,
      `mutation { logEvent(input: { eventId: "${uid()}", userId: "${userId}", sessionId: "s", eventType: BROWSE, clientTime: "soon" }) { eventId } }`,
    );
    // graphql-js refuses the literal while validating the document, and keeps the scalar's code.
    expect(onlyError(literal).code).toBe("BAD_USER_INPUT");
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("refuses URLs longer than 2048 characters", async () => {
    const userId = uid();
    const result = await logEvent(testApp(), {
      eventId: uid(),
      userId,
      sessionId: "s",
      eventType: "CLICK",
      targetUrl: `https://example.org/${"p".repeat(2048)}`,
    });
    expect(onlyError(result).code).toBe("BAD_USER_INPUT");
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });
});

describe("errors: a failing store", () => {
  const expectStoreUnavailable = (result: Awaited<ReturnType<typeof gql>>) => {
    const error = onlyError(result);
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toMatch(/database is unavailable.*try again/i);
    const text = JSON.stringify(result);
    expect(text).not.toContain(D1_FAILURE);
    expect(text).not.toContain("stack");
    expect(text).not.toContain("d1.ts");
    expect(result.data).toBeNull();
  };

  it("answers STORE_UNAVAILABLE, with no internal detail, for every operation that needs the database", async () => {
    const app = appOn(failingDb(env.DB));
    const userId = uid();
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    onTestFinished(() => spy.mockRestore());
    expectStoreUnavailable(
      await logEvent(app, { eventId: uid(), userId, sessionId: "s", eventType: "BROWSE" }),
    );
    expectStoreUnavailable(await logEvents(app, makeEvents(2, { userId })));
    expectStoreUnavailable(await ask(app, { userId, sessionId: "s", query: "coffee?" }));
    expectStoreUnavailable(await exportRecords(app, {}));
    expectStoreUnavailable(
      await gql(
        app,
        "query($id: ID!, $u: ID) { conversation(id: $id, userId: $u) { id } }",
        { id: "c", u: userId },
        { participant: { userId, sessionId: "s" } },
      ),
    );
    // A click as the click route makes it: the participant's credential and a valid link signature,
    // so only the database stands in the way.
    const queryId = uid();
    const targetUrl = "https://example.org/";
    const signature = await signLink(app.config.sessionSecrets, queryId, targetUrl);
    expectStoreUnavailable(
      await gql(
        app,
        "mutation($i: LogClickInput!) { logClick(input: $i) { eventId } }",
        { i: { userId, sessionId: "s", queryId, targetUrl, signature } },
        { participant: { userId, sessionId: "s" } },
      ),
    );
    expect(await storedCount({ userIds: [userId] })).toBe(0);
    // For the operator: one line per failure, the adapter and the cause, no stack.
    expect(logged.length).toBeGreaterThanOrEqual(6);
    for (const line of logged) {
      expect(line).toEqual([`d1 store unavailable: Error: ${D1_FAILURE}`]);
    }
  });

  it("reports a failing database in status without failing the request", async () => {
    const result = await gql<{ status: { ok: boolean; store: { ok: boolean; detail: string } } }>(
      appOn(failingDb(env.DB)),
      "{ status { ok store { ok detail } } }",
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.status.ok).toBe(false);
    expect(result.data?.status.store.ok).toBe(false);
  });

  it("checks input before it needs the database: a bad input is BAD_USER_INPUT even when D1 is down", async () => {
    const app = appOn(failingDb(env.DB));
    const result = await logEvent(app, { eventId: "", userId: uid(), sessionId: "s", eventType: "BROWSE" });
    expect(onlyError(result).code).toBe("BAD_USER_INPUT");
    // A caller without a token learns nothing about the database either.
    const anonymous = await exportRecords(app, {}, null);
    expect(onlyError(anonymous).code).toBe("UNAUTHENTICATED");
  });
});

describe("errors: unexpected failures", () => {
  it("masks an unexpected error as 'Unexpected error.' and leaks nothing of it", async () => {
    const real = testApp();
    // A provider adapter with a bug (not an LlmUnavailableError): the one way left to raise
    // an error that no layer expects, since store failures have their own code.
    const broken: Llm = {
      name: "broken",
      model: "broken",
      provenance: { ...real.llm.provenance, provider: "broken" },
      answer: async () => {
        throw new TypeError("internal detail 7f3a");
      },
      // biome-ignore lint/correctness/useYield: a provider that fails before its first token
      stream: async function* () {
        throw new TypeError("internal detail 7f3a");
      },
      health: async () => {
        throw new TypeError("internal detail 7f3a");
      },
    };
    const api = createApi({
      store: real.store,
      llm: broken,
      studies: real.studies,
      config: real.config,
      limits: real.limits,
      version: "test",
    });
    const response = await api.fetch(
      new Request("http://test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ status { ok } }" }),
      }),
      {},
    );
    const result = (await response.json()) as Awaited<ReturnType<typeof gql>>;
    const error = onlyError(result);
    expect(error.message).toBe("Unexpected error.");
    expect(error.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(result)).not.toContain("7f3a");
    expect(result.data).toBeNull();
  });
});
