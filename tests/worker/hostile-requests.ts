/**
 * A seeded generator of hostile requests to the whole Worker: random
 * methods, paths, content types and headers; malformed, huge, deep and
 * aliased GraphQL; variables of the wrong type; random bytes; oversized
 * bodies; GET with queries, mutations and subscriptions; cross-site posts.
 * The same seed gives the same requests, so a failure can be replayed.
 * Plain data (no Request objects): the fuzz test sends it through SELF.fetch,
 * tests/worker/dev-proxy-loop.ts over loopback HTTP to `wrangler dev`.
 */

import { prng } from "../support/prng";

export type HostileRequest = {
  /** What kind of request this is, to name it in a failure. */
  kind: string;
  method: string;
  /** Path and query, starting with /. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
};

type Random = {
  next: () => number;
  int: (max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
  text: (length: number) => string;
  bytes: (length: number) => Uint8Array<ArrayBuffer>;
  /** A UUID-shaped id from the seed, so a replay sends the same ids. */
  uuid: () => string;
};

function randomOf(seed: number): Random {
  const next = prng(seed);
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  // Printable ASCII and some multi-byte characters: what header values and bodies may hold.
  const alphabet = ` !"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\`abcdefghijklmnopqrstuvwxyz{|}~é中😀\u0000\u001f`;
  const chars = [...alphabet];
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    text: (length) => Array.from({ length }, () => pick(chars)).join(""),
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = int(256);
      return out;
    },
    uuid: () =>
      "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => "0123456789abcdef".charAt(int(16))),
  };
}

const asciiOnly = (value: string) => value.replace(/[^\x20-\x7e]/g, "?");

const STATUS_DOCUMENTS = [
  "{ status { ok version } }",
  "{ status { ok store { name ok detail latencyMs } llm { name ok detail } researcherTokens time } }",
  "query S { status { studies { id title conditions { id } } } }",
  "{ __typename }",
  "{ __schema { types { name } } }",
  '{ __type(name: "Query") { fields { name args { name type { name ofType { name ofType { name } } } } } } }',
];

const LOG_EVENT = "mutation Log($input: LogEventInput!) { logEvent(input: $input) { eventId duplicate } }";
const LOG_EVENTS = "mutation LogMany($events: [LogEventInput!]!) { logEvents(events: $events) { accepted } }";
const ASK = "mutation Ask($input: QueryInput!) { query(input: $input) { id response } }";
const STREAM =
  "subscription Stream($input: QueryInput!) { queryStream(input: $input) { delta result { id } } }";
const EXPORT =
  "query Export($filter: ExportFilter, $first: Int, $after: String) { export(filter: $filter, first: $first, after: $after) { totalCount edges { node { id } } } }";

/** Values of every JSON type, and some that stress parsers and validators. */
function hostileValue(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 8 : 11)) {
    case 0:
      return null;
    case 1:
      return r.int(2) === 0;
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -0, 1e308]);
    case 3:
      return r.text(r.int(20));
    case 4:
      return "x".repeat(r.pick([0, 1, 128, 129, 2049, 8001, 70_000]));
    case 5:
      return r.pick([
        "CLICK",
        "click",
        "NOPE",
        "__proto__",
        "constructor",
        "$ne",
        "<script>",
        "2026-13-45T25:61:00Z",
      ]);
    case 6:
      return r.uuid();
    case 7:
      return { $ne: null };
    case 8:
      return Array.from({ length: r.int(4) }, () => hostileValue(r, depth + 1));
    case 9:
      return Object.fromEntries(
        Array.from({ length: r.int(4) }, () => [
          r.pick(["a", "__proto__", "userId", r.text(5)]),
          hostileValue(r, depth + 1),
        ]),
      );
    default:
      return nested(r.pick([10, 1000, 20_000]));
  }
}

/**
 * [[[...]]] n deep: JSON that recursive code may not survive (V8's own
 * JSON.parse gives up near 10,000 levels), so it exists only as text: a
 * placeholder that `serialize` writes out.
 */
const nested = (n: number): unknown => ({ __nested: n });

function serialize(value: unknown): string {
  return (JSON.stringify(value) ?? "null").replace(/\{"__nested":(\d+)\}/g, (_, n: string) =>
    "[".repeat(Number(n)).concat("]".repeat(Number(n))),
  );
}

function eventInput(r: Random): Record<string, unknown> {
  const input: Record<string, unknown> = {
    eventId: r.uuid(),
    userId: `fuzz-${r.int(50)}`,
    sessionId: "fuzz-session",
    eventType: r.pick(["CLICK", "SCROLL", "BROWSE", "CONVERSION", "STUDY_STEP"]),
  };
  for (let i = r.int(4); i > 0; i--) {
    input[
      r.pick([
        "eventId",
        "userId",
        "sessionId",
        "eventType",
        "extraData",
        "pageUrl",
        "targetUrl",
        "queryId",
        "clientTime",
        "studyId",
        "nope",
      ])
    ] = hostileValue(r);
  }
  if (r.chance(0.2)) input.extraData = nested(r.pick([100, 5000, 50_000]));
  return input;
}

function askInput(r: Random): Record<string, unknown> {
  const input: Record<string, unknown> = {
    userId: `fuzz-${r.int(50)}`,
    sessionId: "fuzz-session",
    query: "coffee?",
  };
  for (let i = r.int(3); i > 0; i--) {
    input[
      r.pick(["userId", "sessionId", "query", "conversationId", "studyId", "clientTime", "prolificStudyId"])
    ] = hostileValue(r);
  }
  return input;
}

/** A GraphQL body: an operation, maybe valid, usually not. */
function graphqlPayload(r: Random): { payload: unknown; streams: boolean } {
  switch (r.int(14)) {
    case 0:
      return { payload: { query: r.pick(STATUS_DOCUMENTS) }, streams: false };
    case 1:
      return { payload: { query: LOG_EVENT, variables: { input: eventInput(r) } }, streams: false };
    case 2:
      return {
        payload: {
          query: LOG_EVENTS,
          variables: { events: Array.from({ length: r.int(30) }, () => eventInput(r)) },
        },
        streams: false,
      };
    case 3:
      // The LLM, sometimes (the scripted provider: no network).
      return r.chance(0.3)
        ? { payload: { query: ASK, variables: { input: askInput(r) } }, streams: false }
        : { payload: { query: ASK, variables: { input: hostileValue(r) } }, streams: false };
    case 4:
      return {
        payload: {
          query: EXPORT,
          variables: { filter: hostileValue(r), first: hostileValue(r), after: hostileValue(r) },
        },
        streams: false,
      };
    case 5: {
      const n = r.pick([11, 200, 2000]);
      const field = r.pick([
        "status { store { ok } }",
        "status { llm { ok } }",
        "__typename",
        'study(id: "demo") { id }',
      ]);
      return {
        payload: { query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }` },
        streams: false,
      };
    }
    case 6: {
      const n = r.pick([20, 500, 50_000]);
      return { payload: { query: `${"{ status ".repeat(n)}${"}".repeat(n)}` }, streams: false };
    }
    case 7:
      return { payload: { query: `{ ${"status { ok } ".repeat(r.pick([100, 20_000]))} }` }, streams: false };
    case 8:
      return {
        payload: {
          query: r.pick([
            "fragment A on Query { ...B } fragment B on Query { ...A } { ...A }",
            "fragment A on Query { status { ok } ...A } { ...A }",
            `{ status ${"@skip(if: false) ".repeat(3000)} { ok } }`,
            `mutation { a: query(input: { userId: "u", sessionId: "s", query: "q" }) { id } b: query(input: { userId: "u", sessionId: "s", query: "q" }) { id } }`,
            `query Q($v: ${"[".repeat(500)}Int${"]".repeat(500)}) { status { ok } }`,
            "{ status { ok } } mutation { logEvent(input: {}) { eventId } }",
            "subscription { status { ok } }",
            'subscription A { queryStream(input: {userId: "u", sessionId: "s", query: "q"}) { delta } } subscription B { queryStream(input: {userId: "u", sessionId: "s", query: "q"}) { delta } }',
            '"""unterminated',
            "{ status { ok } ".repeat(1000),
            r.text(r.int(500)),
          ]),
        },
        streams: false,
      };
    case 9:
      return {
        payload: {
          query: r.pick(STATUS_DOCUMENTS),
          variables: hostileValue(r),
          operationName: r.pick([undefined, null, 5, "S", "Nope", "A\nB", r.text(10)]),
          extensions: r.pick([
            undefined,
            hostileValue(r),
            { persistedQuery: { version: 1, sha256Hash: "abc" } },
          ]),
        },
        streams: false,
      };
    case 10:
      return { payload: hostileValue(r), streams: false };
    case 11:
      return {
        payload: r.pick([
          { query: 5 },
          { query: null },
          { query: ["{ status { ok } }"] },
          { query: { kind: "Document" } },
          { queryId: "x" },
          { nope: 1, query: "{ status { ok } }" },
          [{ query: "{ status { ok } }" }, { query: "{ status { ok } }" }],
          [],
        ]),
        streams: false,
      };
    case 12:
      return r.chance(0.15)
        ? { payload: { query: STREAM, variables: { input: askInput(r) } }, streams: true }
        : { payload: { query: STREAM, variables: { input: hostileValue(r) } }, streams: false };
    default:
      return {
        payload: { query: r.pick(STATUS_DOCUMENTS), variables: { x: nested(r.pick([1000, 100_000])) } },
        streams: false,
      };
  }
}

const SITE_PATHS = [
  "/",
  "/s/demo",
  "/s/demo/chat",
  "/s/demo/task",
  "/s/demo/finish",
  "/s/demo/withdraw",
  "/s/demo/declined",
  "/s/nope",
  "/s/%00",
  "/s/..%2f..%2fetc",
  "/t",
  "/t/noscript",
  "/stream",
  "/out",
  "/out?url=javascript:alert(1)",
  "/out?url=https%3A%2F%2Fexample.org&q=x",
  "/export.ndjson",
  "/export.ndjson?kinds=NOPE&first=-1",
  "/withdrawals.ndjson?studyId=%00",
  "/graphql/",
  "/GRAPHQL",
  "/graphiql/nope.js",
  "/favicon.ico",
  "/%E0%A4%A",
  "/?PROLIFIC_PID=%ZZ&STUDY_ID=x&SESSION_ID=",
  "/s/demo?PROLIFIC_PID=p1&STUDY_ID=s&SESSION_ID=x",
];

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND", "FOO"];
/** Methods that may carry a body (fetch refuses one on GET and HEAD). */
const BODY_METHODS = METHODS.filter((m) => m !== "GET" && m !== "HEAD");

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "multipart/form-data",
  "text/plain",
  "text/plain;charset=UTF-8",
  "application/graphql",
  "application/graphql+json",
  "application/octet-stream",
  "application/json, text/plain",
  "image/png",
  "",
  "garbage",
];

const ACCEPTS = [
  "application/json",
  "application/graphql-response+json",
  "text/event-stream",
  "multipart/mixed",
  "text/html",
  "*/*",
  "image/png",
  "text/html;q=0.1, application/json;q=0",
  "",
];

function hostileHeaders(r: Random, site: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (r.chance(0.7)) headers.accept = r.pick(ACCEPTS);
  if (r.chance(0.3))
    headers.origin = r.pick([site, "https://evil.example", "null", "", asciiOnly(r.text(12))]);
  if (r.chance(0.3))
    headers["sec-fetch-site"] = r.pick(["same-origin", "cross-site", "same-site", "none", "??"]);
  if (r.chance(0.2))
    headers.cookie = r.pick([
      "lsp_pid=fuzz-1; lsp_sid=fuzz-s",
      `lsp_pid=${"p".repeat(4000)}`,
      "lsp_pid=%ZZ; lsp_sid=%",
      "lsp_study=demo; lsp_pid=",
      asciiOnly(r.text(50)),
    ]);
  if (r.chance(0.2))
    headers.authorization = r.pick([
      "Bearer ",
      "Bearer x",
      "Basic Zm9vOmJhcg==",
      `Bearer ${"t".repeat(5000)}`,
      asciiOnly(r.text(30)),
    ]);
  if (r.chance(0.1)) headers["x-forwarded-host"] = r.pick(["evil.example", "", asciiOnly(r.text(10))]);
  if (r.chance(0.05)) headers["x-long"] = "h".repeat(r.pick([1000, 8000]));
  if (r.chance(0.05)) headers.range = "bytes=0-10";
  if (r.chance(0.05)) headers["if-none-match"] = "*";
  return headers;
}

/** A body for the site's forms and tracker. */
function siteBody(r: Random): { body: string | Uint8Array<ArrayBuffer>; type: string } {
  switch (r.int(7)) {
    case 0:
      return {
        body: new URLSearchParams({
          intent: r.pick(["consent", "decline", "nope", ""]),
          query: r.pick(["coffee?", "", "x".repeat(9000), r.text(20)]),
          confirm: r.pick(["yes", "no"]),
          conversationId: r.pick(["", r.uuid(), r.text(5)]),
          studyId: r.pick(["demo", "", "nope", r.text(5)]),
          clientTime: r.pick(["", "2026-01-01T00:00:00Z", "yesterday"]),
        }).toString(),
        type: "application/x-www-form-urlencoded",
      };
    case 1:
      return {
        body: serialize({
          sentAt: r.pick([undefined, new Date().toISOString(), "nope"]),
          events: Array.from({ length: r.pick([0, 1, 5, 501]) }, () => ({
            eventId: r.uuid(),
            eventType: r.pick(["CLICK", "SCROLL", "NOPE"]),
            pageUrl: r.pick([undefined, "http://worker.test/s/demo/chat", "/s/nope", hostileValue(r)]),
            extraData: r.pick([undefined, { a: 1 }, hostileValue(r)]),
          })),
        }),
        type: r.pick(["text/plain", "application/json"]),
      };
    case 2:
      return {
        body: `--xyz\r\nContent-Disposition: form-data; name="intent"\r\n\r\nconsent\r\n--xyz--\r\n`,
        type: "multipart/form-data; boundary=xyz",
      };
    case 3:
      return {
        body: `--abc\r\nbroken`,
        type: r.pick(["multipart/form-data; boundary=xyz", "multipart/form-data"]),
      };
    case 4:
      return { body: r.bytes(r.int(2000)), type: r.pick(CONTENT_TYPES) };
    case 5:
      return { body: r.text(r.int(3000)), type: r.pick(CONTENT_TYPES) };
    default:
      return { body: `${"%".repeat(r.int(100))}&=&&==`, type: "application/x-www-form-urlencoded" };
  }
}

/**
 * `count` hostile requests for a site at `origin` (its own origin, for
 * same-origin cases), one at a time: oversized bodies are megabytes, so
 * they are made when they are sent, not all held at once.
 */
export function* hostileRequests(seed: number, count: number, origin: string): Generator<HostileRequest> {
  const r = randomOf(seed);
  for (let i = 0; i < count; i++) {
    const headers = hostileHeaders(r, origin);
    const roll = r.next();
    if (roll < 0.35) {
      // POST /graphql, JSON (mostly) with an operation (mostly) that is hostile.
      const { payload, streams } = graphqlPayload(r);
      let body: string | Uint8Array<ArrayBuffer> = serialize(payload);
      if (r.chance(0.08)) body = body.slice(0, r.int(body.length));
      headers["content-type"] = r.chance(0.85) ? "application/json" : r.pick(CONTENT_TYPES);
      if (streams) headers.accept = "text/event-stream";
      yield {
        kind: streams ? "graphql stream" : "graphql post",
        method: "POST",
        path: "/graphql",
        headers,
        body,
      };
    } else if (roll < 0.5) {
      // GET /graphql with a query, a mutation or a subscription in the URL.
      const { payload } = graphqlPayload(r);
      const params = new URLSearchParams();
      const p = payload as Record<string, unknown>;
      if (p && typeof p === "object" && !Array.isArray(p)) {
        for (const [key, value] of Object.entries(p)) {
          if (value !== undefined) params.set(key, typeof value === "string" ? value : serialize(value));
        }
      }
      if (r.chance(0.2)) params.set("variables", r.pick(["{", "[]", "null", "5", '{"a":'] as const));
      if (r.chance(0.2)) params.set("extensions", r.pick(["{", "[1]", '"x"'] as const));
      if (r.chance(0.1)) params.set("query", r.pick([STREAM, ASK, LOG_EVENT]));
      const path = `/graphql?${params}`.slice(0, r.chance(0.1) ? 100_000 : 16_000);
      yield { kind: "graphql get", method: r.chance(0.9) ? "GET" : "HEAD", path, headers };
    } else if (roll < 0.58) {
      // /graphql with another method, or a body that is not JSON.
      const method = r.pick(METHODS);
      const hasBody = method !== "GET" && method !== "HEAD";
      if (hasBody) headers["content-type"] = r.pick(CONTENT_TYPES);
      yield {
        kind: "graphql other",
        method,
        path: "/graphql",
        headers,
        ...(hasBody ? { body: r.chance(0.5) ? r.bytes(r.int(4000)) : r.text(r.int(4000)) } : {}),
      };
    } else if (roll < 0.6) {
      // Bodies over the limits.
      const toApi = r.chance(0.5);
      const size = toApi ? 5 * 1024 * 1024 + r.int(1000) + 1 : 256 * 1024 + r.int(1000) + 1;
      headers["content-type"] = toApi ? "application/json" : "text/plain";
      yield {
        kind: "oversized",
        method: "POST",
        path: toApi ? "/graphql" : r.pick(["/t", "/s/demo", "/stream", "/s/demo/chat"]),
        headers,
        body: new Uint8Array(size).fill(123),
      };
    } else if (roll < 0.8) {
      // The site's forms, tracker and stream, posted from here or elsewhere.
      const { body, type } = siteBody(r);
      headers["content-type"] = type;
      const path = r.pick([
        "/s/demo",
        "/s/demo/chat",
        "/s/demo/finish",
        "/s/demo/withdraw",
        "/t",
        "/t/noscript",
        "/stream",
        "/",
        "/s/nope/chat",
      ]);
      // The stream route calls the LLM: mostly not, to keep the run short.
      if (path === "/stream" && r.chance(0.8)) headers["content-type"] = "text/plain";
      yield { kind: "site post", method: r.chance(0.9) ? "POST" : r.pick(BODY_METHODS), path, headers, body };
    } else {
      // Pages and odd paths, with any method.
      const method = r.chance(0.7) ? "GET" : r.pick(METHODS);
      const path = r.chance(0.85)
        ? r.pick(SITE_PATHS)
        : `/${encodeURIComponent(r.text(r.int(40)))}${r.chance(0.5) ? `?${asciiOnly(r.text(30)).replace(/[#\s]/g, "")}` : ""}`;
      const hasBody = method !== "GET" && method !== "HEAD";
      yield { kind: "site page", method, path, headers, ...(hasBody ? { body: r.text(r.int(200)) } : {}) };
    }
  }
}
