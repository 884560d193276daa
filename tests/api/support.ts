import { env } from "cloudflare:test";
import { type App, createApp } from "../../api/app";

export const RESEARCHER_TOKEN = "test-researcher-token-0123456789";

export type GraphQLResult<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } & Record<string, unknown> }[];
};

/** The app as the Worker builds it, on this test file's D1; extra variables override the defaults. */
export function testApp(vars: Record<string, string> = {}): App {
  return createApp({ ...env, ...vars });
}

/** Runs an operation through yoga.fetch, in-process, as a client would over HTTP. */
export async function gql<T = Record<string, unknown>>(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string } = {},
): Promise<GraphQLResult<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await app.api.fetch(
    new Request("http://test/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    }),
    {},
  );
  return (await response.json()) as GraphQLResult<T>;
}
