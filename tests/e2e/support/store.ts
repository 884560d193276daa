/** The store behind the shared Worker: its status, and on the Data API its documents. */
import { BASE_URL, DATA_API, STORE } from "./env";

/** What the shared Worker's `status` says about its store. */
export async function storeStatus(): Promise<{ name: string; ok: boolean; detail: string | null }> {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ status { store { name ok detail } } }" }),
  });
  const body = (await response.json()) as {
    data?: { status: { store: { name: string; ok: boolean; detail: string | null } } };
  };
  if (!response.ok || !body.data)
    throw new Error(`status failed (${response.status}): ${JSON.stringify(body)}`);
  return body.data.status.store;
}

/**
 * On the Data API (project e2e-data-api): the documents of one collection that
 * match `filter`, read straight from the Data API server the Worker stores in
 * (plain JSON: dates come back as ISO strings).
 */
export async function dataApiFind(
  collection: "queries" | "events",
  filter: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  if (!DATA_API) throw new Error(`the Worker runs on ${STORE}, not on the Data API`);
  const response = await fetch(`${DATA_API.url}/action/find`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      authorization: `Basic ${btoa(`${DATA_API.user}:${DATA_API.password}`)}`,
    },
    body: JSON.stringify({ database: DATA_API.database, collection, filter }),
  });
  const body = (await response.json()) as { documents?: Record<string, unknown>[] };
  if (!response.ok || !body.documents)
    throw new Error(`Data API find failed (${response.status}): ${JSON.stringify(body)}`);
  return body.documents;
}
