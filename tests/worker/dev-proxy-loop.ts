/**
 * Where do the 503 "Your worker restarted mid-request" answers under
 * `npm start` come from? Sends a bounded run of hostile requests (the fuzz's
 * generator) to the built Worker under `wrangler dev` on 127.0.0.1, and
 * counts what comes back: the app's answers, and the dev proxy's own 503
 * (wrangler's ProxyWorker writes that text when its fetch to the Worker
 * fails). Findings: docs/decisions/008-dev-proxy-503.md.
 *
 *   npm run build && npx tsx tests/worker/dev-proxy-loop.ts [scenario] [count] [seed]
 *
 * Scenarios: hostile (the fuzz's mix), no-early (the same without the requests
 * the Worker refuses before reading their body), early (only those: bodies
 * over the limit, and posts refused as cross-site, 405 or 415), idle (valid
 * POSTs spaced 4.9-5.1 s apart, the keep-alive timing of workers-sdk#14641),
 * probe:<name> (one kind of request, `count` times: see PROBES).
 * Traffic goes to 127.0.0.1 only, and at most 2,000 requests per run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, freePort, startDevServer } from "../../scripts/dev-server";
import { type HostileRequest, hostileRequests } from "./hostile-requests";

const PROXY_503 = "Your worker restarted mid-request";
const MAX_REQUESTS = 2000;

/** One kind of request, sent `count` times: which ones make the proxy fail. */
const PROBES: Record<string, (origin: string) => HostileRequest> = {
  "ok-post": () => ({
    kind: "ok-post",
    method: "POST",
    path: "/graphql",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ status { version } }" }),
  }),
  "ok-form": (origin) => ({
    kind: "ok-form",
    method: "POST",
    path: "/s/demo",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, "sec-fetch-site": "same-origin" },
    body: "intent=decline",
  }),
  propfind: () => ({ kind: "propfind", method: "PROPFIND", path: "/graphql", headers: {}, body: "x" }),
  "propfind-no-body": () => ({ kind: "propfind-no-body", method: "PROPFIND", path: "/graphql", headers: {} }),
  "cross-site-form": () => ({
    kind: "cross-site-form",
    method: "POST",
    path: "/s/demo",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
    body: `intent=consent&pad=${"x".repeat(10_000)}`,
  }),
  "put-form": () => ({
    kind: "put-form",
    method: "PUT",
    path: "/s/demo",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `intent=consent&pad=${"x".repeat(10_000)}`,
  }),
  "graphql-413": () => ({
    kind: "graphql-413",
    method: "POST",
    path: "/graphql",
    headers: { "content-type": "application/json" },
    body: new Uint8Array(5 * 1024 * 1024 + 1).fill(32),
  }),
  "graphql-415": () => ({
    kind: "graphql-415",
    method: "POST",
    path: "/graphql",
    headers: { "content-type": "text/plain" },
    body: `{"query":"{ status { version } }","pad":"${"x".repeat(10_000)}"}`,
  }),
};

type Scenario = "hostile" | "no-early" | "early" | "idle" | `probe:${string}`;

/** Requests the Worker answers without reading their body (413 by Content-Length, 403, 405, 415). */
function refusedEarly(r: HostileRequest): boolean {
  if (r.body === undefined) return false;
  const size = typeof r.body === "string" ? new TextEncoder().encode(r.body).length : r.body.byteLength;
  if (r.kind === "oversized" || size > 256 * 1024) return true;
  if (r.path.startsWith("/graphql")) {
    const type = r.headers["content-type"] ?? "";
    return r.method === "POST" && !/^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i.test(type);
  }
  const site = r.headers["sec-fetch-site"];
  return (
    r.method !== "POST" ||
    (site !== undefined && !["same-origin", "none"].includes(site.toLowerCase())) ||
    (r.headers.origin !== undefined && !r.headers.origin.startsWith("http://127.0.0.1")) ||
    !/^(application\/x-www-form-urlencoded|text\/plain|application\/json)/i.test(
      r.headers["content-type"] ?? "",
    )
  );
}

function* requestsFor(
  scenario: Scenario,
  count: number,
  seed: number,
  origin: string,
): Generator<HostileRequest> {
  if (scenario.startsWith("probe:")) {
    const probe = PROBES[scenario.slice("probe:".length)];
    if (!probe) throw new Error(`no probe ${scenario}; probes: ${Object.keys(PROBES).join(", ")}`);
    for (let i = 0; i < count; i++) yield probe(origin);
    return;
  }
  if (scenario === "idle") {
    for (let i = 0; i < count; i++) {
      yield {
        kind: "idle post",
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ status { version } }" }),
      };
    }
    return;
  }
  let sent = 0;
  for (const request of hostileRequests(seed, MAX_REQUESTS * 4, origin)) {
    if (sent >= count) return;
    const early = refusedEarly(request);
    if (scenario === "no-early" && early) continue;
    if (scenario === "early" && !early) continue;
    sent++;
    yield request;
  }
}

async function main() {
  const scenario = (process.argv[2] ?? "hostile") as Scenario;
  const count = Math.min(Number(process.argv[3] ?? 300), MAX_REQUESTS);
  const seed = Number(process.argv[4] ?? 20261201);
  const dir = mkdtempSync(join(tmpdir(), "lsp-dev-proxy-"));
  applyMigrations(dir);
  const port = await freePort();
  const server = await startDevServer({
    port,
    persistTo: dir,
    vars: {
      SESSION_SECRETS: `${crypto.randomUUID()}${crypto.randomUUID()}`,
      RESEARCHER_TOKENS: crypto.randomUUID(),
    },
  });
  // The site's own form, as a browser posts it, passes the Worker's same-origin check under the dev proxy.
  const own = await fetch(`${server.url}/s/demo`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.url,
      "sec-fetch-site": "same-origin",
    },
    body: "intent=consent",
    redirect: "manual",
  });
  await own.text();
  let output = "";
  server.process.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  server.process.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const statuses: Record<string, number> = {};
  const proxy503: string[] = [];
  const failed: string[] = [];
  const started = Date.now();
  let i = 0;
  try {
    for (const request of requestsFor(scenario, count, seed, server.url)) {
      if (scenario === "idle" && i > 0) await new Promise((r) => setTimeout(r, 4900 + (i % 5) * 50));
      const index = i++;
      const bodyBytes =
        request.body === undefined
          ? "none"
          : typeof request.body === "string"
            ? new TextEncoder().encode(request.body).length
            : request.body.byteLength;
      output += `\n>>> #${index} ${request.kind} ${request.method} ${request.path.slice(0, 60)} type=${request.headers["content-type"] ?? "-"} site=${request.headers["sec-fetch-site"] ?? "-"} origin=${request.headers.origin ?? "-"} body=${bodyBytes}\n`;
      try {
        const response = await fetch(`${server.url}${request.path}`, {
          method: request.method,
          headers: request.headers,
          redirect: "manual",
          signal: AbortSignal.timeout(30_000),
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
        const text = request.method === "HEAD" ? "" : await response.text();
        const key = text.includes(PROXY_503) ? "503 proxy" : String(response.status);
        output += `<<< #${index} ${key}\n`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (key === "503 proxy")
          proxy503.push(`#${index} ${request.kind} ${request.method} ${request.path.slice(0, 40)}`);
      } catch (error) {
        const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        failed.push(
          `#${index} ${request.kind} ${request.method} ${request.path.slice(0, 40)} (URL ${request.path.length} chars, headers ${JSON.stringify(request.headers).length} chars): ${cause}`,
        );
        statuses.failed = (statuses.failed ?? 0) + 1;
        if (server.process.exitCode !== null) break;
      }
    }
  } finally {
    const exited = server.process.exitCode;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    const errors = output.split("\n").filter((l) => /error|restart|Network connection lost/i.test(l));
    const log = join(tmpdir(), `lsp-dev-proxy-${scenario}-${seed}.log`);
    writeFileSync(log, output);
    console.log(
      JSON.stringify(
        {
          scenario,
          seed,
          ownFormStatus: own.status,
          sent: i,
          seconds: Math.round((Date.now() - started) / 100) / 10,
          statuses,
          proxy503: proxy503.slice(0, 15),
          failed: failed.slice(0, 10),
          wranglerExitedDuringRun: exited !== null,
          wranglerErrorLines: errors.length,
          wranglerLog: log,
          firstErrorLines: errors.slice(0, 8).map((l) => l.slice(0, 200)),
        },
        null,
        2,
      ),
    );
  }
}

await main();
