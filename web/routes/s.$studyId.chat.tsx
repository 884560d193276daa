import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { loadChat, sendMessage } from "../chat/chat.server";
import { ChatView } from "../chat/chat-view";
import { EmbedMessages } from "../embedding/embed-messages";
import { studyPath } from "../participant/study-page";
import { retryAfter } from "../security/retry-after";
import { studyMeta } from "../study/meta";
import { embedOf, logStep, requireConsent, stepPath, visitStudy } from "../study/study.server";

/** A study's chat, in the participant's condition (sources shown or hidden, turn limit). */
export async function loader(args: LoaderFunctionArgs) {
  const visit = await visitStudy(args.request, args.context, args.params.studyId);
  const assignment = requireConsent(visit);
  if (assignment.finishedAt) throw redirect(stepPath(visit, "finish"), { headers: visit.headers });
  const path = studyPath(visit.study.id, "chat");
  const chat = await loadChat(args, { studyId: visit.study.id, path });
  if (!new URL(args.request.url).searchParams.has("c")) await logStep(visit, args.request, "chat_shown");
  return json(
    {
      ...chat.data,
      title: visit.study.title,
      studyId: visit.study.id,
      path,
      emptyChatText: assignment.emptyChatText,
      feedbackLabel: assignment.feedbackLabel,
      turnsLeft: assignment.maxTurns == null ? null : Math.max(0, assignment.maxTurns - assignment.turnsUsed),
      turnsUsed: assignment.turnsUsed,
      linkToken: visit.session.linkToken,
      embed: embedOf(visit),
      finish: stepPath(visit, "finish"),
      withdraw: stepPath(visit, "withdraw"),
    },
    { headers: chat.headers },
  );
}

export const headers = retryAfter;

export async function action(args: ActionFunctionArgs) {
  const studyId = args.params.studyId ?? "";
  return sendMessage(args, { studyId, path: studyPath(studyId, "chat") });
}

export const meta = studyMeta;

export default function StudyChat() {
  const data = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    // The participant's condition is never on the page: participants stay blind to it.
    <div data-step="chat">
      <ChatView
        {...data}
        failed={failed ?? null}
        linkToken={data.linkToken}
        actions={
          <>
            <Link to={data.finish} className="finish">
              Finish
            </Link>
            <Link to={data.withdraw} className="withdraw-link">
              Withdraw
            </Link>
          </>
        }
      />
      {data.embed ? (
        <EmbedMessages
          embed={data.embed}
          studyId={data.studyId}
          step="chat"
          message={data.turnsUsed > 0 ? { type: "turn", count: data.turnsUsed } : null}
        />
      ) : null}
    </div>
  );
}
