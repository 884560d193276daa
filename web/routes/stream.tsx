import { type ActionFunctionArgs, json } from "@remix-run/cloudflare";
import { idSchema } from "../../api/validation";
import { askForm } from "../chat/chat.server";
import { apiClient } from "../graphql/client.server";
import { QueryStreamDocument } from "../graphql/generated/graphql";
import { identify, withCookies } from "../participant/identity.server";

/**
 * The chat's streamed answers, for the page's script: the same form fields
 * as the chat's action (plus studyId), answered with the API's own
 * `queryStream` subscription as Server-Sent Events. When the participant
 * presses stop (the browser aborts), the API stores what had arrived.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { identity, setCookies } = identify(request);
  const headers = withCookies(new Headers(), setCookies);
  const form = Object.fromEntries(await request.formData());
  const parsed = askForm.safeParse(form);
  const studyId = idSchema.optional().safeParse(form.studyId || undefined);
  if (!parsed.success || !studyId.success) {
    const message = parsed.success ? "studyId is not a study id." : parsed.error.issues[0]?.message;
    return json({ error: { code: "BAD_USER_INPUT", message } }, { status: 400, headers });
  }
  const { query, conversationId, clientTime } = parsed.data;
  const response = await apiClient(context).subscribe(
    QueryStreamDocument,
    {
      input: { ...identity, studyId: studyId.data, query, conversationId, clientTime },
    },
    request.signal,
  );
  const merged = new Headers(response.headers);
  for (const cookie of headers.getSetCookie()) merged.append("Set-Cookie", cookie);
  merged.set("cache-control", "no-store");
  return new Response(response.body, { status: response.status, headers: merged });
}

export function loader() {
  return json(
    { error: { code: "METHOD_NOT_ALLOWED", message: "Send messages with POST." } },
    { status: 405 },
  );
}
