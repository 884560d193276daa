import { outHref } from "./out-href";

export type TurnProps = {
  id: string;
  query: string;
  error: string | null;
  /** The answer as safe HTML, rendered on the server (markdown/render.server.ts). */
  html: string | null;
  /** `signature`: the click route's signature for the source's link; null: shown without a link. */
  sources: { rank: number; title: string; url: string; content: string | null; signature: string | null }[];
  /** The participant stopped the streamed answer: `html` is what had arrived. */
  stopped?: boolean;
  /** The condition shows the sources (default) or hides them. */
  showSources?: boolean;
};

const host = (url: string) => new URL(url).hostname.replace(/^www\./, "");

/** One question and its answer with numbered sources; links go through the click route. */
export function Turn({ id, query, error, html, sources, stopped = false, showSources = true }: TurnProps) {
  return (
    <article className="turn" id={`a-${id}`} data-answer-id={id}>
      <p className="question">{query}</p>
      {html !== null ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: built from escaped text and a fixed set of tags
        <div className="answer" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p className="error">
          No answer: the assistant could not answer. Your message was saved; send it again to retry.
        </p>
      )}
      {stopped ? <p className="stopped-note">You stopped this answer.</p> : null}
      {html !== null && error ? (
        <p className="error">
          The answer broke off. What arrived is shown; send your message again to retry.
        </p>
      ) : null}
      {showSources && sources.length > 0 ? (
        <section className="sources" aria-label="Sources">
          <h2>Sources</h2>
          <ol>
            {sources.map((source) => (
              <li key={source.url} value={source.rank}>
                {source.signature ? (
                  <a
                    href={outHref(id, source.url, source.signature)}
                    data-out={source.url}
                    target="_blank"
                    rel="noopener"
                    referrerPolicy="same-origin"
                  >
                    {source.title}
                  </a>
                ) : (
                  <span className="source-title">{source.title}</span>
                )}
                <span className="host">{host(source.url)}</span>
                {source.content ? <p>{source.content}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {html !== null && !error && !stopped ? (
        <button type="button" className="helpful" data-study-target="helpful-answer">
          This answer helped
        </button>
      ) : null}
    </article>
  );
}
