import { MessageSignalsLine } from "./signals-view";
import { duration, type TimelineEntry } from "./timeline";

/** The timeline's entries as an ordered list: when, the time since the entry before, and what happened. */

const clock = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 23)} `;
const orNone = (ms: number | null) => (ms === null ? "–" : duration(ms));

function What({ entry }: { entry: TimelineEntry }) {
  switch (entry.type) {
    case "step":
      return (
        <p>
          Study step <code>{entry.step}</code>
        </p>
      );
    case "page":
      return <p>Page view: {entry.pageType ?? "a page without a type"}</p>;
    case "answer-seen":
      return <p>The answer came into view</p>;
    case "scroll":
      return (
        <p>Scrolled to {entry.depth === null ? "–" : `${Math.round(entry.depth * 100)}%`} of the answer</p>
      );
    case "conversion":
      return (
        <p>
          Conversion <code>{entry.label ?? "–"}</code>
        </p>
      );
    case "attention":
      return (
        <p data-attention={entry.passed === null ? "" : entry.passed ? "passed" : "failed"}>
          Attention check <code>{entry.checkId ?? "–"}</code>:{" "}
          <strong>{entry.passed === null ? "–" : entry.passed ? "passed" : "failed"}</strong>, replied{" "}
          <q>{entry.reply ?? ""}</q>
          {entry.failures !== null ? ` (${entry.failures} failed so far)` : ""}
          {entry.ended ? "; this ended the participation" : ""}
        </p>
      );
    case "other":
      return <p>{entry.eventType}</p>;
    case "click":
      return (
        <p>
          Clicked {entry.rank === null ? "a link" : `source ${entry.rank}`}
          {entry.originalRank !== null && entry.originalRank !== entry.rank
            ? ` (the model's ${entry.originalRank})`
            : ""}
          {entry.element ? ` in the ${entry.element}` : ""}: <span className="url">{entry.targetUrl}</span>;{" "}
          <span data-since-answer="">{orNone(entry.sinceAnswerMs)}</span> after the answer, away for{" "}
          <span data-away="">{orNone(entry.awayMs)}</span>
        </p>
      );
    case "answer": {
      const { answer: a, html } = entry;
      return (
        <>
          <p className="timeline-question">
            Asked: <q>{a.query}</q>
          </p>
          {html === null ? (
            <blockquote className="timeline-answer timeline-text" data-displayed="">
              {a.displayedResponse ?? "(no answer)"}
            </blockquote>
          ) : (
            <blockquote
              className="timeline-answer answer"
              data-displayed=""
              // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered on the server from the answer's Markdown, every text escaped
              dangerouslySetInnerHTML={{ __html: html }}
            />
          )}
          {a.inputSignals ? <MessageSignalsLine signals={a.inputSignals} /> : null}
          {a.error ? <p>LLM failure: {a.error}</p> : null}
          {a.stopped ? <p>Stopped by the participant</p> : null}
          {entry.sources.length > 0 ? (
            <ol className="timeline-sources" data-sources="" aria-label="Sources as shown">
              {entry.sources.map((s) => (
                <li key={`${s.rank}-${s.url}`} data-rank={s.rank} data-url={s.url} data-clicks={s.clicks}>
                  {s.title} <span className="url">{s.url}</span>
                  {s.injected
                    ? " (injected)"
                    : s.originalRank !== s.rank
                      ? ` (the model's ${s.originalRank})`
                      : ""}
                  {": "}
                  {s.clicks > 0 ? (
                    <strong>clicked{s.clicks > 1 ? ` ${s.clicks} times` : ""}</strong>
                  ) : (
                    "not clicked"
                  )}
                </li>
              ))}
            </ol>
          ) : (
            <p>No sources shown</p>
          )}
          <dl className="timeline-provenance">
            <dt>Provider</dt>
            <dd>{a.provenance?.provider ?? "–"}</dd>
            <dt>Model</dt>
            <dd>{a.model}</dd>
            <dt>Latency</dt>
            <dd>{orNone(a.latencyMs)}</dd>
            <dt>Prompt hash</dt>
            <dd>
              <code className="hash">{a.provenance?.systemPromptHash ?? "none"}</code>
            </dd>
            <dt>Study hash</dt>
            <dd>
              <code className="hash">{a.provenance?.studyHash ?? "none"}</code>
            </dd>
          </dl>
        </>
      );
    }
  }
}

export function TimelineList({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p>No records yet.</p>;
  return (
    <ol className="timeline" data-timeline="">
      {entries.map((entry, i) => (
        // The entries are a fixed list for this render: their place is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={i} data-entry={entry.type}>
          <p className="timeline-when">
            <time dateTime={entry.time}>{clock(entry.time)}UTC</time>
            {entry.sincePreviousMs === null ? null : (
              <span data-since-previous="">
                {" "}
                {entry.sincePreviousMs >= 0 ? "+" : ""}
                {duration(entry.sincePreviousMs)}
              </span>
            )}
          </p>
          <What entry={entry} />
        </li>
      ))}
    </ol>
  );
}
