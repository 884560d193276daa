import type { Plugin, YogaServerOptions } from "graphql-yoga";

type CorsOption = NonNullable<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>["cors"]>;

/**
 * CORS for /graphql: only the configured origins (CORS_ORIGINS, none by
 * default) get CORS headers, each its own origin back, never another.
 * Yoga's default would echo any Origin with Access-Control-Allow-Credentials.
 * The API takes no cookies (a researcher's token goes in Authorization),
 * so credentials are never allowed.
 */
export function corsFor(allowed: readonly string[]): CorsOption {
  return (request: Request) => {
    const origin = request.headers.get("origin");
    if (origin === null || !allowed.includes(origin)) return false;
    return {
      origin,
      credentials: false,
      methods: ["GET", "POST"],
      allowedHeaders: ["authorization", "content-type", "accept"],
      maxAge: 600,
    };
  };
}

/**
 * An answer that depends on Origin must say so, or a shared cache could
 * hand one origin's CORS headers (or their absence) to another.
 */
export function varyOnOrigin(allowed: readonly string[]): Plugin {
  if (allowed.length === 0) return {};
  return {
    onResponse({ response }) {
      const vary = response.headers.get("vary");
      if (
        !vary
          ?.toLowerCase()
          .split(/\s*,\s*/)
          .includes("origin")
      )
        response.headers.set("vary", vary ? `${vary}, Origin` : "Origin");
    },
  };
}

/**
 * The Worker's own answers to /graphql (a body over the cap, an unreadable
 * one), made before Yoga sees the request, carry the same CORS headers as
 * Yoga's, so a script on a listed origin can read why it was refused.
 */
export function withCorsHeaders(response: Response, request: Request, allowed: readonly string[]): Response {
  const origin = request.headers.get("origin");
  if (origin === null || !allowed.includes(origin)) return response;
  const headers = new Headers(response.headers);
  headers.set("access-control-allow-origin", origin);
  headers.append("vary", "Origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
