import { outHref } from "./out-href";

export type TurnProps = {
  id: string;
  query: string;
  error: string | null;
  /** The answer as safe HTML, rendered on the server (markdown/render.server.ts). */
  html: string | null;
  /**
   * The sources as shown (none when the condition hides them): `rank` shown,
   * `originalRank` the model's (null: injected by the study); `signature`:
   * the click route's signature for the source's link; null: shown without a link.
   */
  sources: {
    rank: number;
    originalRank: number | null;
    title: string;
    url: string;
    content: string | null;
    signature: string | null;
  }[];
  /** The participant stopped the streamed answer: `html` is what had arrived. */
  stopped?: boolean;
  /** The condition's feedback button under a complete answer; null: none. */
  feedbackLabel?: string | null;
};

const host = (url: string) => new URL(url).hostname.replace(/^www\./, "");

/** One question and its answer with its sources as its condition shows them; links go through the click route. */
export function Turn({ id, query, error, html, sources, stopped = false, feedbackLabel = null }: TurnProps) {
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
      {sources.length > 0 ? (
        <section className="sources" aria-label="Sources">
          <h2>Sources</h2>
          <ol>
            {sources.map((source) => (
              <li key={source.url} value={source.rank}>
                {source.signature ? (
                  <a
                    href={outHref(id, source.url, source.signature, "source-list")}
                    data-out={source.url}
                    data-element="source-list"
                    data-rank={source.rank}
                    data-original-rank={source.originalRank ?? undefined}
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
      {feedbackLabel && html !== null && !error && !stopped ? (
        <button type="button" className="helpful" data-study-target="answer-feedback">
          {feedbackLabel}
        </button>
      ) : null}
    </article>
  );
}
