import { CompletionRedirect } from "./completion-redirect";
import { CopyCode } from "./copy-code";
import { endingTexts } from "./ending-texts";
import { StudyLayout, StudyText } from "./study-layout";

/** An ending as the page shows it: the outcome's message already rendered from Markdown. */
export type EndingView = {
  outcome: string;
  code: string;
  message: string | null;
  redirectUrl: string | null;
  delay: number;
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
}: {
  title: string;
  ending: EndingView;
  returning: boolean;
  trackerSession: string;
}) {
  const texts = endingTexts(ending.outcome);
  return (
    <StudyLayout title={title} heading={texts.heading} step="completed" trackerSession={trackerSession}>
      <div data-outcome={ending.outcome} data-returning={returning ? "" : undefined}>
        {returning ? <p className="already-ended">{texts.returning}</p> : null}
        {ending.message ? <StudyText html={ending.message} /> : <p>{texts.message}</p>}
        <p className="completion">
          Your completion code: <strong data-completion-code>{ending.code}</strong>{" "}
          <CopyCode code={ending.code} />
        </p>
        {ending.redirectUrl ? <CompletionRedirect url={ending.redirectUrl} delay={ending.delay} /> : null}
      </div>
    </StudyLayout>
  );
}
