import { GraphQLError } from "graphql";
import { createYoga, maskError, type Plugin } from "graphql-yoga";
import { bearerToken, isResearcherToken } from "./auth";
import type { Context } from "./context";
import type { Deps } from "./deps";
import { DomainError, ErrorCode, RateLimitedError } from "./errors";
import { graphiqlPage } from "./graphiql";
import { corsFor, varyOnOrigin } from "./http/cors";
import { documentLimits } from "./http/document-limits";
import { hideSuggestions } from "./http/suggestions";
import { jsonBodiesOnly, queriesOnlyOverGet } from "./http/transport";
import { logUnexpectedErrors, markUnexpected } from "./http/unexpected-errors";
import { clientIp } from "./limits/client-ip";
import { PARTICIPANT_HEADER, readToken } from "./participants/credential";
import { inForce } from "./participants/url-token";
import { readResearcherSession } from "./researchers/session";
import { schema } from "./schema";
import { StoreUnavailableError, storeFailureLine } from "./store/store";

export type ApiDeps = Omit<Deps, "waitUntil"> & { version: string };

/**
 * What the site passes in Yoga's server context (in-process, never over
 * HTTP): the participant's session token from their cookie and their
 * address. An HTTP caller cannot set these; they send the X-Participant-Token
 * header, and their address is Cloudflare's CF-Connecting-IP.
 */
export type SiteServerContext = {
  participantToken?: string | null;
  /** A researcher's signed-in session from their /research cookie (api/researchers/session.ts). */
  researcherSession?: string | null;
  clientIp?: string | null;
  waitUntil?: (promise: Promise<unknown>) => void;
};

/**
 * Errors of the request itself (a malformed document, a variable of the
 * wrong type, an unknown enum value) come from graphql-js without a code;
 * they are the caller's to fix, so they get BAD_USER_INPUT. They have no
 * path (a variable's error does carry the coercion error as originalError);
 * errors with a path come from resolvers: coded already, or masked by Yoga.
 */
const codeRequestErrors: Plugin = {
  onExecutionResult({ result, setResult }) {
    if (!result || Symbol.asyncIterator in result || !result.errors) return;
    const errors = result.errors.map((error) =>
      error.extensions?.code || error.path
        ? error
        : new GraphQLError(error.message, {
            nodes: error.nodes,
            source: error.source,
            positions: error.positions,
            path: error.path,
            extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
          }),
    );
    setResult({ ...result, errors });
  },
};

export const GRAPHQL_PATH = "/graphql";

export function createApi(deps: ApiDeps) {
  return createYoga<SiteServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    // Served by graphiqlPage with a policy of its own (Yoga's cannot set headers).
    graphiql: false,
    // The transport (api/http/transport.ts): one JSON operation per POST, reads only over GET.
    batching: false,
    multipart: false,
    cors: corsFor(deps.config.corsOrigins),
    // Yoga's own logger prints every masked error whole (message, stack): logUnexpectedErrors logs one line instead.
    logging: false,
    plugins: [
      graphiqlPage(GRAPHQL_PATH),
      jsonBodiesOnly,
      queriesOnlyOverGet,
      varyOnOrigin(deps.config.corsOrigins),
      ...documentLimits(),
      codeRequestErrors,
      hideSuggestions,
      logUnexpectedErrors(),
    ],
    maskedErrors: {
      // Never the original message to the caller, whatever NODE_ENV says.
      isDev: false,
      maskError(error, message, isDev) {
        const cause = error instanceof GraphQLError ? error.originalError : error;
        if (cause instanceof DomainError) {
          return new GraphQLError(cause.message, {
            nodes: error instanceof GraphQLError ? error.nodes : undefined,
            path: error instanceof GraphQLError ? error.path : undefined,
            extensions: { ...cause.details, code: cause.code },
          });
        }
        if (cause instanceof StoreUnavailableError) {
          console.error(storeFailureLine(cause.store, "unavailable", cause));
          return new GraphQLError(
            "The database is unavailable right now, so nothing was stored. Please try again shortly.",
            {
              nodes: error instanceof GraphQLError ? error.nodes : undefined,
              path: error instanceof GraphQLError ? error.path : undefined,
              extensions: { code: ErrorCode.STORE_UNAVAILABLE },
            },
          );
        }
        // Yoga's maskError passes GraphQL's own errors on (the caller's: parse, validation, variables) and hides the rest.
        const masked = maskError(error, message, isDev);
        if (masked !== error) markUnexpected(masked, cause ?? error);
        return masked;
      },
    },
    context: async (initial) => {
      const { request } = initial;
      const site = initial as typeof initial & SiteServerContext;
      const token = site.participantToken ?? request.headers.get(PARTICIPANT_HEADER);
      const ip = site.clientIp !== undefined ? site.clientIp : clientIp(request);
      // A URL token stops acting once its participant finished the study (participants/url-token.ts).
      const participant = await inForce(
        deps.store,
        token ? await readToken(token, deps.config.sessionSecrets) : null,
      );
      const bearer = bearerToken(request);
      const signedIn = site.researcherSession
        ? (await readResearcherSession(site.researcherSession, deps.config.sessionSecrets)) !== null
        : false;
      const researcher = signedIn || (await isResearcherToken(bearer, deps.config.researcherTokens));
      let researcherLimited: RateLimitedError | null = null;
      if (bearer !== null && !researcher) {
        // A wrong researcher token counts against the address: guessing is slow.
        await deps.limits.take("researcherAuth", { sessionId: null, ip }).catch((error: unknown) => {
          if (!(error instanceof RateLimitedError)) throw error;
          researcherLimited = error;
        });
      }
      return {
        ...deps,
        waitUntil: site.waitUntil,
        signal: request.signal,
        researcher,
        researcherLimited,
        caller: { participant, researcher, ip },
      };
    },
  });
}

export type Api = ReturnType<typeof createApi>;
