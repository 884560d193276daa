import { GraphQLError, getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode } from "../errors";

/**
 * How operations may reach /graphql. A browser sends a cross-site form
 * (urlencoded, multipart, text/plain) without asking the server first, so a
 * page elsewhere could make a participant's browser post GraphQL; JSON needs
 * a CORS preflight, which only CORS_ORIGINS pass. So every POST is JSON, and
 * GET only reads: it runs queries, never a mutation or a subscription
 * (`queryStream` over GET with Accept: text/event-stream would call the LLM
 * from a link or an <img>).
 */

/**
 * `application/json`, optionally with `charset=utf-8` (in any case): the
 * only body this API reads. The type itself in lower case, as Yoga's JSON
 * parser matches it.
 */
export function isJsonContentType(header: string | null): boolean {
  if (header === null) return false;
  const [type, ...params] = header.split(";").map((part) => part.trim());
  if (type !== "application/json") return false;
  return params.every((param) => /^charset\s*=\s*"?utf-8"?$/i.test(param));
}

const refusal = (message: string, status: number, headers: Record<string, string> = {}) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_REQUEST, http: { status, headers } } });

/**
 * POST bodies: JSON only (415 otherwise, before the body is read). GET's
 * `variables` and `extensions` are JSON in the URL: Yoga's GET parser would
 * throw a bare SyntaxError for bad ones, an unexpected error (500), so they
 * are checked here first and refused as the caller's (400).
 */
export const jsonBodiesOnly: Plugin = {
  onRequestParse({ request, url }) {
    if (request.method === "GET") {
      for (const name of ["variables", "extensions"]) {
        const value = url.searchParams.get(name);
        if (!value) continue;
        try {
          JSON.parse(value);
        } catch {
          throw refusal(`The ${name} parameter is not JSON.`, 400);
        }
      }
      return;
    }
    if (request.method !== "POST") return;
    if (!isJsonContentType(request.headers.get("content-type"))) {
      throw refusal(
        "POST /graphql takes Content-Type: application/json only (a body of {query, variables, operationName}).",
        415,
        { accept: "application/json" },
      );
    }
  },
};

/**
 * GET runs queries only. Yoga refuses mutations over GET itself
 * (usePreventMutationViaGET); this does the same, after parsing and in the
 * same way, for every operation that is not a query.
 */
export const queriesOnlyOverGet: Plugin<{ request?: Request; params?: { operationName?: string } }> = {
  onParse({ context }) {
    return ({ result }) => {
      const request = context.request;
      if (request?.method !== "GET" || result instanceof Error || !result) return;
      const operation = getOperationAST(result, context.params?.operationName);
      if (operation && operation.operation !== "query") {
        throw refusal(`A ${operation.operation} must be sent with POST.`, 405, { allow: "POST" });
      }
    };
  },
};
