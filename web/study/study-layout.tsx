import type { ReactNode } from "react";

/** Steps on which the browser records nothing: before consent, after declining, after withdrawing. */
const UNTRACKED = new Set(["consent", "declined", "withdrawn"]);

/** The frame of a study's steps other than the chat: title, content, and a small footer. */
export function StudyLayout({
  title,
  step,
  children,
  footer,
  trackerSession,
}: {
  title: string;
  /** The session's events-only token, on pages the tracker records: its batches carry it. */
  trackerSession?: string;
  /** Names the step for styling and tests: consent, task, finish, ... */
  step: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div
      className="study"
      data-step={step}
      data-untracked={UNTRACKED.has(step) ? "" : undefined}
      data-tracker-session={UNTRACKED.has(step) ? undefined : trackerSession}
    >
      <header className="study-header">
        <p className="study-title">{title}</p>
      </header>
      <main className="study-body">{children}</main>
      {footer ? <footer className="study-footer">{footer}</footer> : null}
    </div>
  );
}

/** The researcher's Markdown, rendered on the server by markdown/render.server.ts. */
export function StudyText({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: built from escaped text and a fixed set of tags
  return <div className="study-text" dangerouslySetInnerHTML={{ __html: html }} />;
}
