/**
 * The one Worker: /graphql goes to the API (Yoga), everything else to the
 * Remix site. Static assets (build/client, GraphiQL's included) are served
 * by Workers Assets before this code runs. Before either sees a request,
 * api/http/admission.ts caps its body and refuses cross-site posts to the site.
 */
import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import { type App, appFor, type Bindings, inRequest } from "./api/app";
import { ConfigError } from "./api/config";
import { handleDownload, isDownloadPath } from "./api/export/http";
import { admitApiRequest, admitSiteRequest } from "./api/http/admission";
import { withCorsHeaders } from "./api/http/cors";
import { type StudyEmbedding, studyEmbedding } from "./api/studies/embedding";
import { panelFrameOrigins } from "./api/studies/panels";
import { GRAPHQL_PATH } from "./api/yoga";
// @ts-expect-error: the server build exists only after `npm run build`, and has no types.
import * as build from "./build/server/index.js";
import packageJson from "./package.json";
import "./web/load-context";
import { BASELINE_HEADERS } from "./web/security/headers.server";
import { TRACK_ENDPOINT } from "./web/tracker/tracker";

/**
 * Who may frame a study's pages and hear their messages: the study file's
 * `embedding` (api/studies/embedding.ts), and the origins of a panel that
 * frames every study of its kind (MTurk's HIT page: api/studies/panels.ts).
 */
function embeddingOfStudy(app: App, studyId: string): StudyEmbedding | null {
  const study = app.studies.get(studyId);
  return study ? studyEmbedding(study.embedding, panelFrameOrigins(study.panel)) : null;
}

const handleRemix = createRequestHandler(build as unknown as ServerBuild);

/** The site's forms post urlencoded; the tracker's endpoint takes its beacons as text. */
const SITE_POSTS = { textPaths: [TRACK_ENDPOINT] };

/**
 * Resource routes (/out, /t, /stream, /export.ndjson, /withdrawals.ndjson,
 * /study-definitions.ndjson) answer without
 * entry.server, so their responses get the baseline here. A redirect keeps
 * no Referrer-Policy of its own: it would replace the link's
 * referrerpolicy="same-origin" and tell the destination where the click came from.
 */
function withBaselineHeaders(response: Response): Response {
  if (response.headers.has("X-Content-Type-Options")) return response;
  const headers = new Headers(response.headers);
  headers.set("X-Content-Type-Options", BASELINE_HEADERS["X-Content-Type-Options"]);
  const redirect = response.status >= 300 && response.status < 400;
  if (!redirect && !headers.has("Referrer-Policy"))
    headers.set("Referrer-Policy", BASELINE_HEADERS["Referrer-Policy"]);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const handler = {
  async fetch(incoming, env, ctx) {
    let app: ReturnType<typeof appFor>;
    try {
      app = appFor(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      return new Response(`This deployment is misconfigured.\n${error.message}\n`, {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    const { pathname } = new URL(incoming.url);
    // The analysis-ready downloads (api/export/http.ts): GETs that read the store, no body.
    if (isDownloadPath(pathname)) {
      return withBaselineHeaders(await handleDownload(incoming, { ...app, version: packageJson.version }));
    }
    const isApi = pathname === GRAPHQL_PATH;
    if (isApi) {
      const request = await admitApiRequest(incoming);
      if (request instanceof Response) return withCorsHeaders(request, incoming, app.config.corsOrigins);
      return app.api.fetch(request, { waitUntil: ctx.waitUntil.bind(ctx) });
    }
    const request = await admitSiteRequest(incoming, SITE_POSTS);
    if (request instanceof Response) return request;
    const response = await handleRemix(request, {
      graphql: app.api,
      waitUntil: ctx.waitUntil.bind(ctx),
      security: { embeddingOf: (studyId: string) => embeddingOfStudy(app, studyId) },
    });
    return withBaselineHeaders(response);
  },
} satisfies ExportedHandler<Bindings>;

export default {
  // A request's store connections are its own (docs/decisions/011-mongodb-connections.md).
  fetch: (incoming, env, ctx) => inRequest(ctx.waitUntil.bind(ctx), () => handler.fetch(incoming, env, ctx)),
} satisfies ExportedHandler<Bindings>;
