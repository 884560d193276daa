/**
 * The one Worker: /graphql goes to the API (Yoga), everything else to the
 * Remix site. Static assets (build/client, GraphiQL's included) are served
 * by Workers Assets before this code runs.
 */
import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import { appFor, type Bindings } from "./api/app";
import { ConfigError } from "./api/config";
import { GRAPHQL_PATH } from "./api/yoga";
// @ts-expect-error: the server build exists only after `npm run build`, and has no types.
import * as build from "./build/server/index.js";
import "./web/load-context";

const handleRemix = createRequestHandler(build as unknown as ServerBuild);

export default {
  async fetch(request, env, ctx) {
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
    if (new URL(request.url).pathname === GRAPHQL_PATH)
      return app.api.fetch(request, { waitUntil: ctx.waitUntil.bind(ctx) });
    return handleRemix(request, {
      graphql: app.api,
      waitUntil: ctx.waitUntil.bind(ctx),
      security: { frameAncestors: app.config.frameAncestors },
    });
  },
} satisfies ExportedHandler<Bindings>;
