import { useEffect, useState } from "react";

const attribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The way back to the recruiting platform after the study's delay, and a
 * link to go at once. WCAG 2.2.1 (Timing Adjustable) asks that a participant
 * can stop a time limit: with JavaScript on a countdown redirects, and
 * "Stay on this page" stops it (a screen reader user may still be reading
 * the code). With it off a meta refresh inside <noscript> does it, which
 * nothing can stop; the link says where it goes. Set as HTML, the
 * <noscript> holds only text once scripts run (a <noscript>'s content is
 * parsed as text when scripting is on), so the refresh never races the
 * countdown, even when React renders the page in the browser.
 */
export function CompletionRedirect({ url, delay }: { url: string; delay: number }) {
  const [left, setLeft] = useState(delay);
  const [staying, setStaying] = useState(false);
  // Only a running script can keep the participant here: without one the button would do nothing.
  const [scripted, setScripted] = useState(false);

  useEffect(() => {
    setScripted(true);
    if (staying) return;
    const started = Date.now();
    const redirect = setTimeout(() => window.location.assign(url), delay * 1000);
    const tick = setInterval(
      () => setLeft(Math.max(0, delay - Math.floor((Date.now() - started) / 1000))),
      1000,
    );
    return () => {
      clearTimeout(redirect);
      clearInterval(tick);
    };
  }, [url, delay, staying]);

  return (
    <>
      <noscript
        // biome-ignore lint/security/noDangerouslySetInnerHtml: one meta element, its URL escaped
        dangerouslySetInnerHTML={{
          __html: `<meta http-equiv="refresh" content="${attribute(`${delay};url=${url}`)}">`,
        }}
      />
      <p className="redirect">
        {staying ? "You stay on this page." : `You will be taken back in ${left} seconds.`}
      </p>
      <p className="choices">
        <a href={url} className="button primary" data-completion-link>
          Go now
        </a>
        {staying || !scripted ? null : (
          <button type="button" className="secondary" onClick={() => setStaying(true)}>
            Stay on this page
          </button>
        )}
      </p>
    </>
  );
}
