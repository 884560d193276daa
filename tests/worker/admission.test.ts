import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../api/app";
import { admitApiRequest } from "../../api/http/admission";
import { BODY_LIMITS } from "../../api/http/limits";
import { participantToken } from "../api/support";

/**
 * What the Worker refuses before the API or the site sees a request: bodies
 * over the limit (declared, or counted while they arrive) and cross-site
 * posts to the site. Through SELF.fetch: worker.ts as it ships, on this
 * file's D1.
 */

const ORIGIN = "http://worker.test";
const RESEARCHER = { authorization: `Bearer ${env.RESEARCHER_TOKENS}` };

const LOG_EVENTS = `mutation LogMany($events: [LogEventInput!]!) { logEvents(events: $events) { accepted duplicates } }`;

const events = (n: number, userId: string, extraData: unknown = { i: 0 }) =>
  Array.from({ length: n }, () => ({
    eventId: crypto.randomUUID(),
    userId,
    sessionId: `${userId}-s`,
    eventType: "SCROLL",
    extraData,
  }));

const graphql = (body: BodyInit, headers: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

/** A body of `bytes` bytes that arrives in 64 KiB chunks, with no Content-Length. */
function streamOf(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(64 * 1024, bytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(32));
    },
  });
}

async function storedEvents(userId: string): Promise<number> {
  const app = createApp({ ...env });
  const response = await app.api.fetch(
    new Request(`${ORIGIN}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...RESEARCHER },
      body: JSON.stringify({
        query: "query($f: ExportFilter) { export(filter: $f, first: 1) { totalCount } }",
        variables: { f: { userIds: [userId] } },
      }),
    }),
    {},
  );
  const body = (await response.json()) as { data: { export: { totalCount: number } } };
  return body.data.export.totalCount;
}

describe("the Worker caps /graphql bodies", () => {
  it("takes the API's promised batch: 500 events of the largest extraData (about 4 MiB)", async () => {
    const userId = crypto.randomUUID();
    const body = JSON.stringify({
      query: LOG_EVENTS,
      variables: { events: events(500, userId, "x".repeat(8190)) },
    });
    expect(body.length).toBeGreaterThan(4_000_000);
    expect(body.length).toBeLessThan(BODY_LIMITS.graphql);
    // As the participant the events name (their credential).
    const token = await participantToken(createApp({ ...env }), { userId, sessionId: `${userId}-s` });
    const response = await graphql(body, { "x-participant-token": token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { logEvents: { accepted: 500, duplicates: 0 } } });
  });

  it("refuses a larger body at once with 413 and a GraphQL error with code PAYLOAD_TOO_LARGE, storing nothing", async () => {
    const userId = crypto.randomUUID();
    const padding = "x".repeat(BODY_LIMITS.graphql);
    const body = JSON.stringify({
      query: LOG_EVENTS,
      variables: { events: events(1, userId) },
      extensions: { padding },
    });
    const response = await graphql(body);
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const result = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.extensions).toEqual({
      code: "PAYLOAD_TOO_LARGE",
      limitBytes: BODY_LIMITS.graphql,
    });
    expect(result.errors[0]?.message).toMatch(/5 MiB/);
    expect(await storedEvents(userId)).toBe(0);
  });

  it("sends its 413 with CORS headers to a listed origin (CORS_ORIGINS), so its script can read why; to no other", async () => {
    const body = JSON.stringify({
      query: "{ status { version } }",
      extensions: { padding: "x".repeat(BODY_LIMITS.graphql) },
    });
    const listed = await graphql(body, { origin: "https://survey.example" });
    expect(listed.status).toBe(413);
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://survey.example");
    expect(listed.headers.get("vary")).toMatch(/Origin/);
    await listed.body?.cancel();
    const other = await graphql(body, { origin: "https://evil.example" });
    expect(other.status).toBe(413);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    await other.body?.cancel();
  });

  it("counts a body that comes without Content-Length (chunked) and refuses it past the limit", async () => {
    const response = await graphql(streamOf(BODY_LIMITS.graphql + 1));
    expect(response.status).toBe(413);
    expect(
      ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe("PAYLOAD_TOO_LARGE");
  });

  it("passes a chunked body under the limit on whole", async () => {
    const json = JSON.stringify({ query: "{ status { version } }" });
    const chunks = [json.slice(0, 5), json.slice(5, 12), json.slice(12)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const response = await graphql(body);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown }).data).toEqual({
      status: { version: expect.any(String) },
    });
  });
});

describe("the Worker caps the site's bodies", () => {
  it(`refuses a post over ${BODY_LIMITS.site / 1024} KiB to the tracker or a form with 413`, async () => {
    for (const [path, type] of [
      ["/t", "text/plain"],
      ["/s/demo", "application/x-www-form-urlencoded"],
      ["/stream", "application/x-www-form-urlencoded"],
    ]) {
      const response = await SELF.fetch(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { "content-type": type as string },
        body: "a".repeat(BODY_LIMITS.site + 1),
      });
      expect(response.status, path).toBe(413);
      expect(await response.text(), path).toMatch(/larger than 256 KiB/);
    }
  });

  it("passes a tracker batch under the limit to the site", async () => {
    const userId = crypto.randomUUID();
    // The page's events-only credential, which tracker batches carry.
    const session = await participantToken(createApp({ ...env }), {
      userId,
      sessionId: `${userId}-s`,
      scope: "events",
    });
    const response = await SELF.fetch(`${ORIGIN}/t`, {
      method: "POST",
      headers: { "content-type": "text/plain", "sec-fetch-site": "same-origin", origin: ORIGIN },
      // 25 events of 7 KB: about 175 KB, under the site's limit and each under the API's 8 KiB of extraData.
      body: JSON.stringify({
        session,
        events: Array.from({ length: 25 }, () => ({
          eventId: crypto.randomUUID(),
          eventType: "SCROLL",
          extraData: { pad: "x".repeat(7000) },
        })),
      }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    await response.body?.cancel();
    expect(await storedEvents(userId)).toBe(25);
  });
});

describe("the Worker takes only what the site's routes read", () => {
  it("answers 405 to other methods than POST, which Remix would hand to an action", async () => {
    for (const method of ["PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const response = await SELF.fetch(`${ORIGIN}/s/demo`, {
        method,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "intent=consent",
      });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
      await response.text();
    }
  });

  it("answers 415 to a form route posted anything but a urlencoded form, and the tracker anything but text", async () => {
    const cases: [string, string][] = [
      ["/s/demo", "text/plain"],
      ["/s/demo", "application/json"],
      ["/s/demo/chat", "multipart/form-data; boundary=xyz"],
      ["/stream", "text/plain"],
      ["/s/demo/withdraw", ""],
      ["/t", "application/x-www-form-urlencoded"],
      ["/t", "multipart/form-data; boundary=xyz"],
    ];
    for (const [path, type] of cases) {
      const response = await SELF.fetch(`${ORIGIN}${path}`, {
        method: "POST",
        headers: type ? { "content-type": type } : {},
        body: new TextEncoder().encode("--xyz\r\nbroken"),
      });
      expect(response.status, `${path} ${type}`).toBe(415);
      await response.text();
    }
  });
});

describe("the Worker refuses cross-site posts to the site", () => {
  const consent = (headers: Record<string, string>) =>
    SELF.fetch(`${ORIGIN}/s/demo`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: "intent=consent",
      redirect: "manual",
    });

  it("answers 403 with a plain message to a form posted from another site, or a sibling subdomain", async () => {
    const foreign: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { "sec-fetch-site": "same-site", origin: "http://other.worker.test" },
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of foreign) {
      const response = await consent(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toMatch(/came from another site/);
    }
  });

  it("lets the site's own forms, and clients that send neither header, through", async () => {
    const own: Record<string, string>[] = [
      { "sec-fetch-site": "same-origin", origin: ORIGIN },
      { origin: ORIGIN },
      {},
    ];
    for (const headers of own) {
      const response = await consent(headers);
      // Consent given: on to the task (a redirect), never refused.
      expect(response.status, JSON.stringify(headers)).toBe(302);
      await response.body?.cancel();
    }
  });

  it("leaves GET alone, and /graphql to its own rules (no cookies, CORS)", async () => {
    const page = await SELF.fetch(`${ORIGIN}/s/demo`, { headers: { "sec-fetch-site": "cross-site" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Consent");
    const api = await graphql(JSON.stringify({ query: "{ status { version } }" }), {
      "sec-fetch-site": "cross-site",
      origin: "https://evil.example",
    });
    expect(api.status).toBe(200);
    expect(api.headers.get("access-control-allow-origin")).toBeNull();
    await api.body?.cancel();
  });
});

describe("the API never sees a cookie", () => {
  it("drops Cookie from what reaches the API, and keeps the rest", async () => {
    const admitted = await admitApiRequest(
      new Request(`${ORIGIN}/graphql`, {
        method: "POST",
        headers: { cookie: "lsp_pid=someone", "content-type": "application/json", ...RESEARCHER },
        body: "{}",
      }),
    );
    if (admitted instanceof Response) throw new Error(`refused: ${admitted.status}`);
    expect(admitted.headers.get("cookie")).toBeNull();
    expect(admitted.headers.get("authorization")).toBe(RESEARCHER.authorization);
    expect(await admitted.text()).toBe("{}");
    const get = await admitApiRequest(new Request(`${ORIGIN}/graphql`, { headers: { cookie: "a=b" } }));
    if (get instanceof Response) throw new Error("refused");
    expect(get.headers.get("cookie")).toBeNull();
  });

  it("keeps the request's signal, so a stream stops when its client leaves", async () => {
    const controller = new AbortController();
    const admitted = await admitApiRequest(
      new Request(`${ORIGIN}/graphql`, { method: "POST", body: "{}", signal: controller.signal }),
    );
    if (admitted instanceof Response) throw new Error("refused");
    controller.abort();
    expect(admitted.signal.aborted).toBe(true);
  });
});

describe("the baseline headers of resource routes", () => {
  it("/t, /out and /export.ndjson answer with nosniff; a refused /out link with Referrer-Policy too", async () => {
    for (const path of [
      "/t",
      "/out?q=x&u=https%3A%2F%2Fexample.org%2F&s=sig",
      "/export.ndjson",
      "/withdrawals.ndjson",
      "/study-definitions.ndjson",
    ]) {
      const response = await SELF.fetch(`${ORIGIN}${path}`);
      await response.body?.cancel();
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
  });
});
