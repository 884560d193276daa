/**
 * The end of an MTurk HIT: a form that posts the assignment to MTurk's
 * externalSubmit (the turkSubmitTo of the participant's session, only ever
 * an MTurk host), with assignmentId and the completion code as hidden
 * fields. The worker submits it: a plain form, so it works with JavaScript off.
 */
export function PanelSubmitForm({
  submit,
}: {
  submit: { action: string; fields: { name: string; value: string }[] };
}) {
  return (
    <form method="post" action={submit.action} className="choices" data-panel-submit>
      {submit.fields.map((field) => (
        <input key={field.name} type="hidden" name={field.name} value={field.value} />
      ))}
      <button type="submit" className="primary">
        Submit the HIT
      </button>
    </form>
  );
}
