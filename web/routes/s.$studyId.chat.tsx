import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CHECK_FIELD, pendingCheck, replyToCheck } from "../chat/attention.server";
import { loadChat, sendMessage } from "../chat/chat.server";
import { ChatView } from "../chat/chat-view";
import { EmbedMessages } from "../embedding/embed-messages";
import { studyPath } from "../participant/study-page";
import { retryAfter } from "../security/retry-after";
import { studyMeta } from "../study/meta";
import { embedOf, logStep, requireTakingPart, stepPath, visitStudy } from "../study/study.server";
import { TimeLimit } from "../study/time-limit";

/** A study's chat, in the participant's condition (sources shown or hidden, turn limit). */
export async function loader(args: LoaderFunctionArgs) {
  const visit = await visitStudy(args.request, args.context, args.params.studyId);
  const assignment = requireTakingPart(visit);
  const path = studyPath(visit.study.id, "chat");
  const [chat, attentionCheck] = await Promise.all([
    loadChat(args, { studyId: visit.study.id, path }),
    pendingCheck(visit.session, visit.study.id),
  ]);
  if (!new URL(args.request.url).searchParams.has("c")) await logStep(visit, args.request, "chat_shown");
  return json(
    {
      ...chat.data,
      title: visit.study.title,
      studyId: visit.study.id,
      path,
      emptyChatText: assignment.emptyChatText,
      feedbackLabel: assignment.feedbackLabel,
      botSignals: visit.study.botSignals,
      attentionCheck,
      turnsLeft: assignment.maxTurns == null ? null : Math.max(0, assignment.maxTurns - assignment.turnsUsed),
      secondsUntilTimeUp: assignment.secondsUntilTimeUp ?? null,
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
  const path = studyPath(studyId, "chat");
  const finish = studyPath(studyId, "finish");
  // A reply to an attention check is no message to the assistant (api/attention/).
  const form = Object.fromEntries(await args.request.clone().formData());
  if (CHECK_FIELD in form) return replyToCheck(args, form, { studyId, path, finish });
  return sendMessage(args, { studyId, path, endedPath: finish });
}

export const meta = studyMeta;

export default function StudyChat() {
  const data = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    // The participant's condition is never on the page: participants stay blind to it.
    <div data-step="chat">
      <TimeLimit seconds={data.secondsUntilTimeUp} to={data.finish} />
      <ChatView
        {...data}
        endedPath={data.finish}
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
