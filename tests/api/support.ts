import { env } from "cloudflare:test";
import { type App, createApp } from "../../api/app";
import { issueToken, PARTICIPANT_HEADER } from "../../api/participants/credential";
import { SESSION_SECONDS } from "../../api/participants/participant";

export const RESEARCHER_TOKEN = "test-researcher-token-0123456789";

export type GraphQLResult<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } & Record<string, unknown> }[];
};

/** The app as the Worker builds it, on this test file's D1; extra variables override the defaults. */
export function testApp(vars: Record<string, string> = {}): App {
  return createApp({ ...env, ...vars });
}

/**
 * Runs an operation through yoga.fetch, in-process, as a client would over
 * HTTP. A participant's operation carries their credential (the
 * X-Participant-Token header) for the participant its variables name,
 * unless `participant` says otherwise (null: no credential).
 */
export async function gql<T = Record<string, unknown>>(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; participant?: TestParticipant | null; headers?: Record<string, string> } = {},
): Promise<GraphQLResult<T>> {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const who = options.participant === undefined ? claimedParticipant(variables) : options.participant;
  if (who && !options.token) headers[PARTICIPANT_HEADER] = await participantToken(app, who);
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

/** Who a test acts as: a participant whose session the server issued with these ids. */
export type TestParticipant = {
  userId: string;
  sessionId: string;
  studyId?: string | null;
  panelParticipantId?: string | null;
  prolificStudyId?: string | null;
  panelSessionId?: string | null;
  scope?: "full" | "events";
};

/**
 * The participant credential the API would have issued for these ids,
 * signed by the real credential code with the app's own secret: the tests
 * choose participant ids (as startSession would have issued them) so they
 * can find their records.
 */
export function participantToken(app: App, who: TestParticipant): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return issueToken(
    {
      userId: who.userId,
      sessionId: who.sessionId,
      studyId: who.studyId ?? null,
      panel: {
        participantId: who.panelParticipantId ?? null,
        studyId: who.prolificStudyId ?? null,
        sessionId: who.panelSessionId ?? null,
      },
      scope: who.scope ?? "full",
      issuedAt,
      expiresAt: issuedAt + SESSION_SECONDS,
    },
    app.config.sessionSecrets,
  );
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/** The participant an operation's variables speak for (input.userId/sessionId, or the first event's). */
export function claimedParticipant(variables: Record<string, unknown>): TestParticipant | null {
  const events = Array.isArray(variables.events) ? variables.events : [];
  const first = (variables.input ?? events[0] ?? variables) as Record<string, unknown> | undefined;
  const userId = text(first?.userId);
  if (!first || !userId) return null;
  return {
    userId,
    sessionId: text(first.sessionId) ?? `${userId}-session`,
    prolificStudyId: text(first.prolificStudyId) ?? null,
  };
}
