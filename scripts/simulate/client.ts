/**
 * The deployment's public GraphQL API as the simulation calls it: a refusal
 * with RATE_LIMITED is waited out (extensions.retryAfterSeconds) and tried
 * again, saying so; any other error ends the run with the server's message.
 */

/** A request the deployment refused or could not answer: ends the run with exit code 1. */
export class SimulationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimulationFailure";
  }
}

type GraphQLError = { message: string; extensions?: { code?: string; retryAfterSeconds?: number } };

/** How many times one request is waited out and tried again before the run gives up. */
const RATE_LIMIT_RETRIES = 5;

export type Client = {
  graphql<T>(query: string, variables: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
};

export function client(url: URL, say: (line: string) => void): Client {
  const endpoint = new URL("/graphql", url).toString();
  return {
    async graphql<T>(
      query: string,
      variables: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) {
      for (let attempt = 0; ; attempt++) {
        let response: Response;
        try {
          response = await fetch(endpoint, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify({ query, variables }),
          });
        } catch (error) {
          const cause =
            error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
          throw new SimulationFailure(
            `cannot reach ${endpoint}${cause}. Is the deployment running at --url?`,
          );
        }
        let body: { data?: T; errors?: GraphQLError[] };
        try {
          body = (await response.json()) as typeof body;
        } catch {
          throw new SimulationFailure(
            `${endpoint} answered ${response.status} without GraphQL JSON: is --url the deployment's address?`,
          );
        }
        const error = body.errors?.[0];
        const code = error?.extensions?.code;
        if (code === "RATE_LIMITED" && attempt < RATE_LIMIT_RETRIES) {
          const seconds = error?.extensions?.retryAfterSeconds ?? 60;
          say(
            `  the deployment's rate limit refused a request (RATE_LIMITED): waiting ${seconds} s as it asks`,
          );
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
          continue;
        }
        if (error)
          throw new SimulationFailure(
            `the deployment refused a request: ${code ?? "error"}: ${error.message}`,
          );
        if (!response.ok || !body.data)
          throw new SimulationFailure(`${endpoint} answered ${response.status} without data`);
        return body.data;
      }
    },
  };
}
