import { type ActionFunctionArgs, json } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import { askForm, retryHeaders } from "../chat/chat.server";
import { ApiCallError } from "../graphql/client.server";
import { QueryStreamDocument } from "../graphql/generated/graphql";
import { participantSession } from "../participant/session.server";

/**
 * The chat's streamed answers, for the page's script: the same form fields
 * as the chat's action (plus studyId), answered with the API's own
 * `queryStream` subscription as Server-Sent Events. When the participant
 * presses stop (the browser aborts), the API stores what had arrived.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = askForm.safeParse(form);
  const studyId = idSchema.optional().safeParse(form.studyId || undefined);
  if (!parsed.success || !studyId.success) {
    const message = parsed.success ? "studyId is not a study id." : parsed.error.issues[0]?.message;
    return json({ error: { code: "BAD_USER_INPUT", message } }, { status: 400 });
  }
  const { query, conversationId, clientTime, inputSignals } = parsed.data;
  let session: Awaited<ReturnType<typeof participantSession>>;
  try {
    // The study's own session when its pages may be framed (a cookie of its own, or the URL token).
    session = await participantSession(request, context, studyId.data);
  } catch (error) {
    if (!(error instanceof ApiCallError) || error.code !== "RATE_LIMITED") throw error;
    return json(
      { error: { code: error.code, message: error.message } },
      { status: 429, headers: retryHeaders(error, new Headers()) },
    );
  }
  const { userId, sessionId } = session;
  const response = await session.api.subscribe(
    QueryStreamDocument,
    { input: { userId, sessionId, studyId: studyId.data, query, conversationId, clientTime, inputSignals } },
    request.signal,
  );
  const merged = new Headers(response.headers);
  for (const cookie of session.headers.getSetCookie()) merged.append("Set-Cookie", cookie);
  merged.set("cache-control", "no-store");
  return new Response(response.body, { status: response.status, headers: merged });
}

export function loader() {
  return json(
    { error: { code: "METHOD_NOT_ALLOWED", message: "Send messages with POST." } },
    { status: 405 },
  );
}
