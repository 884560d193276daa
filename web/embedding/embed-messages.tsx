import { useEffect } from "react";
import { envelope, type FrameView, type ParentMessage, targetOrigins } from "./parent-messages";

/** What a study page's loader says of its embedding: where its messages may go (null: not embeddable). */
export type Embed = { messageOrigins: string[] } | null;

const REMEMBERED = "lsp-parent-origin";

/** The frame as this page sees it; the parent's origin, once known, is kept for the frame's next pages. */
function frameView(): FrameView {
  let remembered: string | null = null;
  try {
    remembered = sessionStorage.getItem(REMEMBERED);
  } catch {
    // Storage blocked in a third-party frame: the parent's origin comes from the browser alone.
  }
  const ancestors = window.location.ancestorOrigins;
  return {
    framed: window.parent !== window,
    ancestorOrigins: ancestors ? Array.from(ancestors) : null,
    referrer: document.referrer,
    ownOrigin: window.location.origin,
    remembered,
  };
}

function post(embed: NonNullable<Embed>, studyId: string, message: ParentMessage) {
  const view = frameView();
  const targets = targetOrigins(embed.messageOrigins, view);
  for (const origin of targets) window.parent.postMessage(envelope(studyId, message), origin);
  if (targets.length === 1 && targets[0] && targets[0] !== view.remembered) {
    try {
      sessionStorage.setItem(REMEMBERED, targets[0]);
    } catch {}
  }
}

/**
 * Tells the survey that frames the study what happens (parent-messages.ts):
 * `ready` with the step when the page shows, then `message` whenever it
 * changes. Renders nothing; does nothing unless the study is embeddable and
 * the page is in a frame.
 */
export function EmbedMessages({
  embed,
  studyId,
  step,
  message,
}: {
  embed: Embed;
  studyId: string;
  step: string;
  message?: ParentMessage | null;
}) {
  // A new loader result (the chat's after each answer) is not a new page: only the step's origins count.
  const origins = embed ? embed.messageOrigins.join(" ") : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the origins' text stands for embed
  useEffect(() => {
    if (embed) post(embed, studyId, { type: "ready", step });
  }, [origins, studyId, step]);
  const key = message ? JSON.stringify(message) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the message's content is the trigger
  useEffect(() => {
    if (embed && message) post(embed, studyId, message);
  }, [key, origins]);
  return null;
}
