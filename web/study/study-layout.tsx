import type { ReactNode } from "react";
import type { PageType } from "../../api/domain/records";
import { type Embed, EmbedMessages } from "../embedding/embed-messages";
import type { ParentMessage } from "../embedding/parent-messages";

/** Steps on which the browser records nothing: before consent, after declining, after withdrawing. */
const UNTRACKED = new Set(["consent", "declined", "withdrawn"]);

/** The page type of each step, for page views (docs/tracking.md): the finish page stays `finish` once completed. */
const PAGE_TYPE_OF_STEP = {
  consent: "consent",
  task: "task",
  finish: "finish",
  completed: "finish",
  withdraw: "withdraw",
  withdrawn: "withdraw",
  declined: "declined",
} as const satisfies Record<string, PageType>;

/**
 * The frame of a study's steps other than the chat: title, content, and a
 * small footer. The page has one h1: the step's own `heading` when it has
 * one (Finish the study?), else the study's title; the study text's headings
 * come under it as h2 (markdown/render.server.ts).
 */
export function StudyLayout({
  title,
  heading,
  step,
  children,
  footer,
  trackerSession,
  embed = null,
  studyId,
  message,
}: {
  title: string;
  /** What the page is about, when that is not the study itself: its h1. */
  heading?: string;
  /** The session's events-only token, on pages the tracker records: its batches carry it. */
  trackerSession?: string;
  /** Names the step for styling and tests: consent, task, finish, ... */
  step: keyof typeof PAGE_TYPE_OF_STEP;
  children: ReactNode;
  footer?: ReactNode;
  /** Where the page may post to the survey that frames it (embedding/); null: the study is not embeddable. */
  embed?: Embed;
  /** The study, named in the messages to the framing survey. */
  studyId?: string;
  /** What the step tells the framing survey besides `ready` (finished, withdrawn). */
  message?: ParentMessage | null;
}) {
  return (
    <div
      className="study"
      data-step={step}
      data-page-type={PAGE_TYPE_OF_STEP[step]}
      data-untracked={UNTRACKED.has(step) ? "" : undefined}
      data-tracker-session={UNTRACKED.has(step) ? undefined : trackerSession}
    >
      <header className="study-header">
        {heading ? <p className="study-title">{title}</p> : <h1 className="study-title">{title}</h1>}
      </header>
      <main className="study-body">
        {heading ? <h1>{heading}</h1> : null}
        {children}
      </main>
      {footer ? <footer className="study-footer">{footer}</footer> : null}
      {embed && studyId ? (
        <EmbedMessages embed={embed} studyId={studyId} step={step} message={message} />
      ) : null}
    </div>
  );
}

/** The researcher's Markdown, rendered on the server by markdown/render.server.ts. */
export function StudyText({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: built from escaped text and a fixed set of tags
  return <div className="study-text" dangerouslySetInnerHTML={{ __html: html }} />;
}
