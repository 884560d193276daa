import { type ActionFunctionArgs, json, redirect } from "@remix-run/cloudflare";
import { idSchema } from "../../api/domain/validation";
import { ApiCallError } from "../graphql/client.server";
import { AnswerAttentionCheckDocument, AttentionCheckDocument } from "../graphql/generated/graphql";
import { renderStudyMessage } from "../markdown/render.server";
import { type ParticipantSession, participantSession } from "../participant/session.server";
import { askForm, type ChatScope, pageError, retryHeaders, statusOf } from "./chat.server";
import { ENDED_CODES } from "./ended-codes";

/**
 * A study's attention check in the chat (api/attention/): the loader's
 * check due now, as HTML from the study's Markdown, and the chat form's
 * reply to it. The reply goes by the form (JavaScript on or off), never by
 * the streamed path: it is not a message to the assistant.
 */

export type PendingCheck = { id: string; html: string };

export async function pendingCheck(
  session: ParticipantSession,
  studyId: string,
): Promise<PendingCheck | null> {
  const { attentionCheck } = await session.api.run(AttentionCheckDocument, { studyId }).catch(pageError);
  return attentionCheck ? { id: attentionCheck.id, html: renderStudyMessage(attentionCheck.message) } : null;
}

const replyForm = askForm.extend({ attentionCheckId: idSchema });

/** The chat form's field that marks a reply to a check (the page renders it while one is due). */
export const CHECK_FIELD = "attentionCheckId";

/**
 * Sends the reply; then the chat again (the same conversation), or the
 * finish page when the reply ended the participation.
 */
export async function replyToCheck(
  { request, context }: ActionFunctionArgs,
  form: Record<string, FormDataEntryValue>,
  scope: ChatScope & { studyId: string; finish: string },
) {
  const draft = typeof form.query === "string" ? form.query : "";
  const parsed = replyForm.safeParse(form);
  if (!parsed.success) {
    return json(
      { error: parsed.error.issues[0]?.message ?? "Please check your answer.", draft, conversationId: null },
      { status: 400 },
    );
  }
  const { query, conversationId, clientTime, attentionCheckId } = parsed.data;
  let headers = new Headers();
  try {
    const session = await participantSession(request, context);
    headers = session.headers;
    const { answerAttentionCheck } = await session.api.run(AnswerAttentionCheckDocument, {
      input: { studyId: scope.studyId, checkId: attentionCheckId, reply: query, clientTime },
    });
    if (answerAttentionCheck.ended) return redirect(scope.finish, { headers });
    const back = conversationId ? `${scope.path}?c=${encodeURIComponent(conversationId)}` : scope.path;
    return redirect(back, { headers });
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    // Their part ended meanwhile (time up, finished elsewhere): the end page says how.
    if (ENDED_CODES.has(error.code)) throw redirect(scope.finish, { headers });
    return json(
      { error: error.message, draft, conversationId: conversationId ?? null },
      { status: statusOf(error.code), headers: retryHeaders(error, headers) },
    );
  }
}
