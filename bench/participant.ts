/**
 * The benchmarks act as participants, as any client outside the site does
 * (docs/decisions/007-participant-identity.md): `startSession` issues a
 * participant and a session, and every participant call sends the token in
 * X-Participant-Token with that userId and sessionId in its inputs.
 */
export type Participant = { token: string; userId: string; sessionId: string };

/** Calls `/graphql` at `url` with `headers` (none: as nobody); returns `data`, throws on a GraphQL error. */
export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors || !body.data)
    throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** A new participant of the Worker at `url` (one startSession: counts against the per-IP limit on new sessions). */
export async function startParticipant(url: string): Promise<Participant> {
  const { startSession } = await graphql<{ startSession: Participant }>(
    url,
    "mutation { startSession { token userId sessionId } }",
  );
  return startSession;
}

/** The header that makes a call the participant's. */
export const asParticipant = (participant: Participant): Record<string, string> => ({
  "x-participant-token": participant.token,
});
