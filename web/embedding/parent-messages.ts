import { exactOrigins, originAllowed } from "../../api/studies/origin-match";

/**
 * The messages a study page inside a survey's frame posts to the page that
 * frames it (docs/embedding.md): `ready` when a step of the study is shown,
 * `turn` with the participant's count of messages sent, `finished` with
 * the outcome and completion code, `withdrawn`. Each carries the protocol's
 * name and version and the study's id. They go only to the framing page's
 * own origin, and only when the study's file lists it (messageOrigins):
 * never to "*", so no other page that frames the study hears the code.
 */
export const PROTOCOL = "llm-study-platform";
export const PROTOCOL_VERSION = 1;

export type ParentMessage =
  | { type: "ready"; step: string }
  | { type: "turn"; count: number }
  | { type: "finished"; outcome: string; code: string }
  | { type: "withdrawn" };

export type Envelope = ParentMessage & { protocol: typeof PROTOCOL; version: number; studyId: string };

export const envelope = (studyId: string, message: ParentMessage): Envelope => ({
  protocol: PROTOCOL,
  version: PROTOCOL_VERSION,
  studyId,
  ...message,
});

/** What the page knows of the frame around it (window's, or a test's). */
export type FrameView = {
  framed: boolean;
  /** location.ancestorOrigins (Chromium, Safari): the first is the parent's origin. */
  ancestorOrigins: readonly string[] | null;
  /** document.referrer: the framing page's address (or origin) on the frame's first page. */
  referrer: string;
  /** The page's own origin: a referrer from it is the study's previous page, not the parent. */
  ownOrigin: string;
  /** The parent's origin as an earlier page of the frame found it (sessionStorage), if any. */
  remembered: string | null;
};

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The origins to post to: the parent's, when the browser tells it
 * (ancestorOrigins, else the referrer of the frame's first page, else what
 * an earlier page remembered) and it is allowed; nothing when it is not.
 * When nothing tells it, the allowed origins written without `*`: the
 * browser delivers a message only to a parent of exactly that origin.
 */
export function targetOrigins(allowed: readonly string[], view: FrameView): string[] {
  if (!view.framed) return [];
  const referred = originOf(view.referrer);
  const parent =
    view.ancestorOrigins?.[0] ??
    (referred && referred !== view.ownOrigin ? referred : null) ??
    view.remembered;
  if (parent) return originAllowed(allowed, parent) ? [parent] : [];
  return exactOrigins(allowed);
}
