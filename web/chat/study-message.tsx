/**
 * A message from the researchers in the chat (an attention check): set
 * apart from the assistant's answers by its own look and its label, which
 * screen readers hear as the region's name. The same in every condition.
 */
export function StudyMessage({ id, html }: { id: string; html: string }) {
  const label = `study-message-${id}`;
  return (
    <section className="study-message" aria-labelledby={label} data-attention-check={id}>
      <h3 className="study-message-label" id={label}>
        Message from the researchers
      </h3>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the study's Markdown, rendered to a fixed set of tags on the server */}
      <div className="study-message-text" dangerouslySetInnerHTML={{ __html: html }} />
      <p className="study-message-note">Please answer in the box below. This is not the assistant.</p>
    </section>
  );
}
