import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../api/app";
import { llmBudgetKey } from "../../api/limits/llm-budget";
import { onlyError, storedCount, uid } from "./helpers";
import { TINY_LIMITS, tinyRateLimitEnv } from "./rate-limit-bindings";
import { gql, RESEARCHER_TOKEN, type TestParticipant } from "./support";

/**
 * The limits wired into the API: answers, ingest and new sessions per
 * session and address (the Workers rate-limiting binding, here miniflare's,
 * with the TINY_ test limits), failed researcher tokens per address, and the
 * deployment-wide cap on LLM calls counted in the store.
 */
const tinyApp = (vars: Record<string, string> = {}) =>
  createApp({ ...env, ...tinyRateLimitEnv(env), ...vars });

const who = (): TestParticipant => {
  const userId = uid();
  return { userId, sessionId: `${userId}-s` };
};

/** A client address of its own for each test (the binding's counters outlive a test). */
const randomIp = () =>
  `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}::1`;

async function call(
  app: ReturnType<typeof tinyApp>,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) {
  const response = await app.api.fetch(
    new Request("http://test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    }),
    {},
  );
  return (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

const ASK = "mutation($i: QueryInput!) { query(input: $i) { id } }";

describe("rate limits in the API", () => {
  it("answers: the message after the session's limit is RATE_LIMITED with retryAfterSeconds, and not stored", async () => {
    const app = tinyApp();
    const p = who();
    for (let i = 0; i < TINY_LIMITS.session; i++) {
      const ok = await gql(app, ASK, { i: { ...p, query: `message ${i}` } }, { participant: p });
      expect(ok.errors, JSON.stringify(ok.errors)).toBeUndefined();
    }
    const refused = onlyError(
      await gql(app, ASK, { i: { ...p, query: "one too many" } }, { participant: p }),
    );
    expect(refused.code).toBe("RATE_LIMITED");
    expect(refused.extensions.retryAfterSeconds).toBe(60);
    expect(refused.message).toMatch(/wait|try again/i);
    expect(await storedCount({ userIds: [p.userId] })).toBe(TINY_LIMITS.session);
    // Another participant is not affected.
    const other = who();
    expect(
      (await gql(app, ASK, { i: { ...other, query: "hi" } }, { participant: other })).errors,
    ).toBeUndefined();
  });

  it("answers: sessions behind one address share its limit (an IPv6 /64 is one address)", async () => {
    const app = tinyApp();
    const ip = randomIp();
    const sameNetwork = ip.replace(/::1$/, "::beef");
    let refused = 0;
    for (let i = 0; i < TINY_LIMITS.ip + 2; i++) {
      const p = who(); // a new session each time: only the address limit can refuse
      const result = await gql(
        app,
        ASK,
        { i: { ...p, query: "hi" } },
        { participant: p, headers: { "cf-connecting-ip": i % 2 ? ip : sameNetwork } },
      );
      if (result.errors?.[0]?.extensions?.code === "RATE_LIMITED") refused++;
    }
    expect(refused).toBe(2);
  });

  it("ingest: logEvents over the session's limit is RATE_LIMITED, and stores nothing", async () => {
    const app = tinyApp();
    const p = who();
    const LOG = "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }";
    const batch = () => [{ eventId: uid(), ...p, eventType: "SCROLL", extraData: { scrollDepth: 0.5 } }];
    for (let i = 0; i < TINY_LIMITS.session; i++) {
      expect((await gql(app, LOG, { e: batch() }, { participant: p })).errors).toBeUndefined();
    }
    expect(onlyError(await gql(app, LOG, { e: batch() }, { participant: p })).code).toBe("RATE_LIMITED");
    expect(await storedCount({ userIds: [p.userId] })).toBe(TINY_LIMITS.session);
  });

  it("new sessions: startSession from one address is limited; continuing a session is not", async () => {
    const app = tinyApp();
    const ip = randomIp();
    const START = "mutation { startSession { token } }";
    const tokens: string[] = [];
    for (let i = 0; i < TINY_LIMITS.ip; i++) {
      const result = (await call(app, START, {}, { "cf-connecting-ip": ip })) as {
        data?: { startSession: { token: string } };
      };
      const token = result.data?.startSession.token;
      if (!token) throw new Error("no token");
      tokens.push(token);
    }
    const refused = await call(app, START, {}, { "cf-connecting-ip": ip });
    expect(refused.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    // A participant who has a session keeps it: no new session is counted.
    const again = await call(
      app,
      START,
      {},
      { "cf-connecting-ip": ip, "x-participant-token": tokens[0] ?? "" },
    );
    expect(again.errors).toBeUndefined();
  });

  it("researcher tokens: after repeated wrong tokens from one address, even a guess is answered RATE_LIMITED", async () => {
    const app = tinyApp();
    const ip = randomIp();
    const EXPORT = "{ export(first: 1) { totalCount } }";
    const codes: string[] = [];
    for (let i = 0; i < TINY_LIMITS.ip + 1; i++) {
      const result = await call(
        app,
        EXPORT,
        {},
        { "cf-connecting-ip": ip, authorization: `Bearer wrong-token-${i}-0123456789` },
      );
      codes.push(String(result.errors?.[0]?.extensions?.code));
    }
    expect(codes.slice(0, TINY_LIMITS.ip)).toEqual(Array(TINY_LIMITS.ip).fill("UNAUTHENTICATED"));
    expect(codes.at(-1)).toBe("RATE_LIMITED");
    // The right token still works (only failures are counted).
    const right = await call(
      app,
      EXPORT,
      {},
      { "cf-connecting-ip": ip, authorization: `Bearer ${RESEARCHER_TOKEN}` },
    );
    expect(right.errors).toBeUndefined();
  });
});

describe("the deployment-wide cap on LLM calls", () => {
  it("refuses answers past LLM_CALLS_PER_HOUR, counted in the store across sessions, with the seconds to the next hour", async () => {
    const key = llmBudgetKey(new Date());
    const row = await env.DB.prepare("SELECT used FROM budgets WHERE key = ?1")
      .bind(key)
      .first<{ used: number }>();
    const cap = (row?.used ?? 0) + 2;
    const app = createApp({ ...env, LLM_CALLS_PER_HOUR: String(cap) });
    const results = [];
    for (let i = 0; i < 3; i++) {
      const p = who(); // different participants: only the deployment's cap can refuse
      results.push(await gql(app, ASK, { i: { ...p, query: "hi" } }, { participant: p }));
    }
    expect(results.slice(0, 2).map((r) => r.errors)).toEqual([undefined, undefined]);
    const refused = onlyError(results[2] ?? {});
    expect(refused.code).toBe("RATE_LIMITED");
    const retry = Number(refused.extensions.retryAfterSeconds);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(3600);
  });
});
