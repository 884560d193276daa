import type { ApiClient } from "./graphql/client.server";

/** What every loader and action sees: the typed API client, nothing else of the server. */
declare module "@remix-run/cloudflare" {
  interface AppLoadContext {
    api: ApiClient;
  }
}

export type { ApiClient };
