import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { OPEN_CHAT_TEXTS } from "../../api/studies/texts";
import { loadChat, sendMessage } from "../chat/chat.server";
import { ChatView } from "../chat/chat-view";
import { apiClient } from "../graphql/client.server";
import { LlmStatusDocument } from "../graphql/generated/graphql";
import { retryAfter } from "../security/retry-after";

/** The open chat: the deployment's own LLM, outside any study. */
const SCOPE = { studyId: null, path: "/" };

export async function loader(args: LoaderFunctionArgs) {
  const [chat, status] = await Promise.all([
    loadChat(args, SCOPE),
    apiClient(args.context).run(LlmStatusDocument, {}),
  ]);
  return json({ ...chat.data, scripted: status.status.llm.name === "scripted" }, { headers: chat.headers });
}

export const headers = retryAfter;

export const action = (args: ActionFunctionArgs) => sendMessage(args, SCOPE);

export default function Chat() {
  const data = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <ChatView
      {...data}
      title="Ask the assistant"
      path="/"
      studyId={null}
      emptyChatText={OPEN_CHAT_TEXTS.emptyChat}
      feedbackLabel={OPEN_CHAT_TEXTS.feedbackLabel}
      turnsLeft={null}
      failed={failed ?? null}
      badge={
        data.scripted ? (
          <span className="badge" title="Answers come from config/scripted-llm.json; no model is called.">
            Scripted demo answers
          </span>
        ) : null
      }
    />
  );
}
