/**
 * GraphiQL, served by the app itself: its JS and CSS are static assets of
 * this Worker under /graphiql/ (copied from @graphql-yoga/graphiql at build),
 * so it renders with no internet. Yoga's default page loads them from a CDN.
 *
 * The page has a Content-Security-Policy of its own, looser than the
 * participant pages' (web/security/headers.server.ts) only where GraphiQL
 * needs it, and keeps no header (so no researcher token) in localStorage.
 * Yoga gives renderGraphiQL no way to set headers, so the plugin
 * `graphiqlPage` serves the page, body and headers with one nonce, and
 * Yoga's own GraphiQL is off (`graphiql: false` in api/yoga.ts).
 */
import { type Plugin, shouldRenderGraphiQL } from "graphql-yoga";

export const GRAPHIQL_ASSETS = "/graphiql";

const EXAMPLE = `# Welcome to the LLM study platform's API.
#
# Health needs no token:
{
  status { ok version store { name ok detail } llm { name ok detail } }
}

# The export needs a researcher token. Add it under "Headers" below:
#   { "Authorization": "Bearer <your token>" }
# (npm start prints a local one.) Then run:
#
# query Export($after: String) {
#   export(first: 100, after: $after, filter: { kinds: [QUERY, EVENT] }) {
#     totalCount
#     pageInfo { hasNextPage endCursor }
#     edges { node {
#       __typename id userId sessionId receivedAt
#       ... on QueryRecord { query response model latencyMs sources { rank url } }
#       ... on EventRecord { eventType targetUrl extraData }
#     } }
#   }
# }
`;

const escapeForScript = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

/** A fresh CSP nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * GraphiQL's policy: its two inline scripts (below) run by the nonce, the
 * rest is its own files. Monaco (the editor) injects <style> elements and
 * style attributes, so styles may be inline; graphiql.css and its script
 * embed fonts and icons as data: URLs; the language workers come from
 * /graphiql/monacoeditorwork/ (Monaco makes them from getWorkerUrl, no blob:).
 * Nothing else: no other origin, no framing.
 */
export function graphiqlPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Every header of the GraphiQL page (the last two as on every page of the site: web/security/headers.server.ts). */
export function graphiqlHeaders(nonce: string): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": graphiqlPolicy(nonce),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}

export function renderGraphiQL(endpoint: string, nonce: string): string {
  const options = {
    endpoint,
    title: "LLM study platform API",
    // Yoga's GraphiQL takes the first query from `query` (after ?query=); it overrides `defaultQuery`.
    query: EXAMPLE,
    headers: JSON.stringify({ Authorization: "Bearer <researcher token>" }, null, 2),
    // A researcher token typed under "Headers" lives only as long as the tab; the settings offer no switch.
    shouldPersistHeaders: false,
  };
  const workers = {
    editorWorkerService: `${GRAPHIQL_ASSETS}/monacoeditorwork/editor.worker.bundle.js`,
    json: `${GRAPHIQL_ASSETS}/monacoeditorwork/json.worker.bundle.js`,
    graphql: `${GRAPHIQL_ASSETS}/monacoeditorwork/graphql.worker..bundle.js`,
  };
  // Earlier versions persisted headers: tokens they stored under GraphiQL's keys are removed before it starts.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${options.title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${GRAPHIQL_ASSETS}/graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript. The API itself works without it: POST JSON to ${endpoint}.</noscript>
<div id="root">Loading GraphiQL…</div>
<script nonce="${nonce}">
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => (${escapeForScript(workers)})[label] };
try {
  localStorage.removeItem("graphiql:headers");
  const tabs = localStorage.getItem("graphiql:tabState");
  if (tabs) localStorage.setItem("graphiql:tabState", JSON.stringify(JSON.parse(tabs), (key, value) => (key === "headers" ? null : value)));
} catch {}
</script>
<script src="${GRAPHIQL_ASSETS}/yoga-graphiql.umd.js"></script>
<script nonce="${nonce}">YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), ${escapeForScript(options)});</script>
</body>
</html>`;
}

/**
 * A Yoga plugin that serves GraphiQL at `endpoint` to browsers (a GET that
 * accepts text/html, as Yoga decides), each response with a fresh nonce in
 * both the page and its policy. Yoga's own GraphiQL must be off
 * (`graphiql: false`): it answers before any plugin of ours.
 */
export function graphiqlPage(endpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint && url.pathname !== `${endpoint}/`) return;
      if (!shouldRenderGraphiQL(request)) return;
      const nonce = newNonce();
      endResponse(
        new fetchAPI.Response(renderGraphiQL(endpoint, nonce), {
          status: 200,
          headers: graphiqlHeaders(nonce),
        }),
      );
    },
  };
}
