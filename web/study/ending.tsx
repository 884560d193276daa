import type { Embed } from "../embedding/embed-messages";
import { CompletionRedirect } from "./completion-redirect";
import { CopyCode } from "./copy-code";
import { endingTexts } from "./ending-texts";
import { PanelSubmitForm } from "./panel-submit";
import { StudyLayout, StudyText } from "./study-layout";

/** An ending as the page shows it: the outcome's message already rendered from Markdown. */
export type EndingView = {
  outcome: string;
  code: string;
  message: string | null;
  redirectUrl: string | null;
  delay: number;
  /** The panel's form to post instead of the redirect (MTurk's externalSubmit: study/panel-submit.tsx). */
  panelSubmit: { action: string; fields: { name: string; value: string }[] } | null;
};

/**
 * The end of a participant's part, whatever its outcome: its message (or
 * the default one), its code with a copy button, and its redirect. A
 * participant who comes back (`returning`) is told they took part already.
 */
export function Ending({
  title,
  ending,
  returning,
  trackerSession,
  embed,
  studyId,
}: {
  title: string;
  ending: EndingView;
  returning: boolean;
  trackerSession: string;
  /** Inside a survey's frame: the ending is posted to it as `finished` (embedding/). */
  embed?: Embed;
  studyId?: string;
}) {
  const texts = endingTexts(ending.outcome);
  return (
    <StudyLayout
      title={title}
      heading={texts.heading}
      step="completed"
      trackerSession={trackerSession}
      embed={embed}
      studyId={studyId}
      message={{ type: "finished", outcome: ending.outcome, code: ending.code }}
    >
      <div data-outcome={ending.outcome} data-returning={returning ? "" : undefined}>
        {returning ? <p className="already-ended">{texts.returning}</p> : null}
        {ending.message ? <StudyText html={ending.message} /> : <p>{texts.message}</p>}
        <p className="completion">
          Your completion code: <strong data-completion-code>{ending.code}</strong>{" "}
          <CopyCode code={ending.code} />
        </p>
        {ending.panelSubmit ? (
          <PanelSubmitForm submit={ending.panelSubmit} />
        ) : ending.redirectUrl ? (
          <CompletionRedirect url={ending.redirectUrl} delay={ending.delay} />
        ) : null}
      </div>
    </StudyLayout>
  );
}
