/**
 * GraphiQL, served by the app itself: its JS and CSS are static assets of
 * this Worker under /graphiql/ (copied from @graphql-yoga/graphiql at build),
 * so it renders with no internet. Yoga's default page loads them from a CDN.
 */
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

export function renderGraphiQL(endpoint: string): string {
  const options = {
    endpoint,
    title: "LLM study platform API",
    // Yoga's GraphiQL takes the first query from `query` (after ?query=); it overrides `defaultQuery`.
    query: EXAMPLE,
    headers: JSON.stringify({ Authorization: "Bearer <researcher token>" }, null, 2),
    shouldPersistHeaders: true,
  };
  const workers = {
    editorWorkerService: `${GRAPHIQL_ASSETS}/monacoeditorwork/editor.worker.bundle.js`,
    json: `${GRAPHIQL_ASSETS}/monacoeditorwork/json.worker.bundle.js`,
    graphql: `${GRAPHIQL_ASSETS}/monacoeditorwork/graphql.worker..bundle.js`,
  };
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
<script>
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => (${escapeForScript(workers)})[label] };
</script>
<script src="${GRAPHIQL_ASSETS}/yoga-graphiql.umd.js"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), ${escapeForScript(options)});</script>
</body>
</html>`;
}
