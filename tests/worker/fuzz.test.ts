import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import worker from "../../worker";
import { type HostileRequest, hostileRequests } from "./hostile-requests";

/**
 * 2,400 hostile requests (tests/worker/hostile-requests.ts, seeded) to the
 * whole Worker, worker.ts's fetch handler in workerd: not one may be
 * answered with a 5xx, or throw (a 500 in production). An answer of
 * /graphql is a GraphQL answer (JSON with data or errors, an event stream)
 * or a 4xx; the site answers pages, redirects or 4xx. And no request may
 * leave more in the log than one line per unexpected error.
 *
 * The first SELF_COUNT go through SELF.fetch (workerd's own loopback into
 * the Worker); the rest are handed to the handler directly, because under
 * vitest-pool-workers every SELF.fetch gets slower than the one before
 * (measured here: 100 requests took 0.4 s at first and 10 s after 500;
 * workers-sdk issue 15446), while the handler itself stays flat.
 */
const SEED = 20261201;
const COUNT = 2400;
const SELF_COUNT = 250;
const ORIGIN = "http://worker.test";
/** In flight at once: enough to overlap, few enough for two cores. */
const CONCURRENCY = 6;
const TIMEOUT_MS = 30_000;

type Answer = { status: number; type: string; body: string };

/**
 * The request as workerd's fetch builds it, or null when it refuses to
 * (methods it does not know: over HTTP its server refuses those before
 * the Worker runs).
 */
function build(request: HostileRequest): Request | null {
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, redirect: "manual" };
    if (request.body !== undefined) init.body = request.body;
    return new Request(`${ORIGIN}${request.path}`, init);
  } catch {
    return null;
  }
}

/** The handler's answer, as workerd would send it: a throw is what production answers with 500. */
async function handle(request: Request, viaSelf: boolean): Promise<Response> {
  if (viaSelf) return SELF.fetch(request);
  const ctx = createExecutionContext();
  try {
    return await worker.fetch(request as Parameters<typeof worker.fetch>[0], env as never, ctx);
  } catch (error) {
    return new Response(`the Worker threw ${error instanceof Error ? error.name : typeof error}`, {
      status: 500,
    });
  } finally {
    await waitOnExecutionContext(ctx);
  }
}

async function send(request: HostileRequest, built: Request, index: number): Promise<Answer> {
  const answer = (async () => {
    const response = await handle(built, index < SELF_COUNT);
    // Read every answer to its end: a stream that breaks off shows here. (Cancelling a
    // Remix page's stream instead keeps the test pool from finishing.)
    const body = request.method === "HEAD" ? "" : await response.text();
    return { status: response.status, type: response.headers.get("content-type") ?? "", body };
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`request ${index} (${request.kind}) got no full answer in ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with an answer, or null. */
function problem(request: HostileRequest, { status, type, body }: Answer): string | null {
  if (status >= 500) return `${status}`;
  const isApi = request.path === "/graphql" || request.path.startsWith("/graphql?");
  if (!isApi || status >= 400 || request.method === "HEAD" || request.method === "OPTIONS") return null;
  if (type.startsWith("multipart/mixed"))
    return body.includes("Content-Type: application/json") ? null : "multipart without parts";
  if (type.startsWith("text/event-stream"))
    return /event: (next|complete)/.test(body) ? null : "an event stream without events";
  if (type.startsWith("text/html"))
    return request.method === "GET" && body.includes("renderYogaGraphiQL")
      ? null
      : "HTML that is not GraphiQL";
  if (!/^application\/(graphql-response\+)?json/.test(type)) return `a ${status} of ${type || "no type"}`;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return "data" in parsed || Array.isArray(parsed.errors) ? null : "JSON without data or errors";
  } catch {
    return "a body that is not JSON";
  }
}

/**
 * 5xx answers found by this fuzz in code this suite does not own, each to be
 * removed here when it is fixed. Counted and printed, not failed on. None now:
 * an unknown study's pages answer 404, withdrawal answers.
 */
const KNOWN_5XX: { why: string; matches: (request: HostileRequest, status: number) => boolean }[] = [];

const describeRequest = (r: HostileRequest) =>
  `${r.kind} ${r.method} ${r.path.slice(0, 80)} ${JSON.stringify(r.headers).slice(0, 200)} body ${String(r.body ?? "").slice(0, 120)}`;

describe("fuzz: hostile requests to the whole Worker", () => {
  it(`answers ${COUNT} hostile requests (seed ${SEED}) without a 5xx, /graphql always in GraphQL's shape`, async () => {
    const requests = hostileRequests(SEED, COUNT, ORIGIN);
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    const statuses = new Map<number, number>();
    const kinds = new Map<string, number>();
    const wrong: string[] = [];
    const slow: string[] = [];
    const knownSeen = new Map<string, number>();
    let answered = 0;
    let unsendable = 0;
    let index = 0;
    const worker = async () => {
      for (;;) {
        const next = requests.next();
        if (next.done) return;
        const request = next.value;
        const i = index++;
        const built = build(request);
        if (!built) {
          unsendable++;
          continue;
        }
        const started = Date.now();
        const answer = await send(request, built, i);
        const ms = Date.now() - started;
        if (ms > 2000) slow.push(`#${i} ${request.kind} ${ms} ms`);
        answered++;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
        const why = problem(request, answer);
        const known = why ? KNOWN_5XX.find((k) => k.matches(request, answer.status)) : undefined;
        if (known) knownSeen.set(known.why, (knownSeen.get(known.why) ?? 0) + 1);
        else if (why) wrong.push(`#${i} ${describeRequest(request)} -> ${why}: ${answer.body.slice(0, 200)}`);
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } finally {
      spy.mockRestore();
    }
    console.log(
      `fuzz seed ${SEED}: ${answered} answers, ${unsendable} not sendable; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; kinds ${JSON.stringify(Object.fromEntries(kinds))}; slow (> 2 s): ${slow.length ? slow.join(", ") : "none"}`,
    );

    for (const [why, count] of knownSeen) console.log(`fuzz: ${count} known 5xx: ${why}`);
    if (wrong.length > 0) console.log(`fuzz: ${wrong.length} wrong answers:\n${wrong.join("\n")}`);
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(2000);
    expect(answered + unsendable).toBe(COUNT);
    // The API and the site log one line per unexpected error, with no query string (a link's
    // PROLIFIC_PID), message or stack; the caller's errors (404, bad input) are not logged.
    for (const line of logged) {
      expect(line).toHaveLength(1);
      expect(String(line[0])).toMatch(
        /^unexpected (error in operation [_A-Za-z0-9()]+|site error on [A-Z]+ \/[^?\s]*): [\w ]+$/,
      );
    }
    console.log(`fuzz: ${logged.length} lines logged`);
  }, 600_000);

  it("answers 404, not 500, for a page that does not exist, and logs nothing of it", async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    try {
      for (const path of ["/s/no-such-study?PROLIFIC_PID=pid-404", "/no/such/page?PROLIFIC_PID=pid-404"]) {
        const response = await SELF.fetch(`${ORIGIN}${path}`);
        await response.text();
        expect(response.status, path).toBe(404);
      }
    } finally {
      spy.mockRestore();
    }
    expect(logged).toEqual([]);
  });
});
