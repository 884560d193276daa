import { TableScroll } from "./table-scroll";

type ConditionOutcomes = {
  condition: string;
  finished: number;
  outcomes: { outcome: string; participants: number }[];
};

/**
 * How the participants who finished ended, per condition: one column per
 * outcome that any participant of the study ended with (completed,
 * timed-out, ...), counted by the store (ConditionMonitor.outcomes).
 */
export function OutcomeTable({ conditions }: { conditions: ConditionOutcomes[] }) {
  const names = [...new Set(conditions.flatMap((c) => c.outcomes.map((o) => o.outcome)))].sort();
  if (names.length === 0) return <p data-table="outcomes">No participant has finished yet.</p>;
  return (
    <TableScroll label="Outcomes per condition">
      <table className="research-table" data-table="outcomes">
        <caption>How finished participants ended, per condition</caption>
        <thead>
          <tr>
            <th scope="col">Condition</th>
            {names.map((name) => (
              <th scope="col" key={name}>
                <code>{name}</code>
              </th>
            ))}
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {conditions.map((c) => (
            <tr key={c.condition} data-condition={c.condition}>
              <th scope="row">
                <code>{c.condition}</code>
              </th>
              {names.map((name) => (
                <td className="number" key={name} data-outcome={name}>
                  {c.outcomes.find((o) => o.outcome === name)?.participants ?? 0}
                </td>
              ))}
              <td className="number">{c.finished}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
