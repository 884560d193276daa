import type { StudyMonitorQuery } from "../graphql/generated/graphql";
import { TableScroll } from "./table-scroll";

/** A row as the loader's JSON gives it (where a JSON-valued field may be absent). */
type Row = Omit<StudyMonitorQuery["studyMonitor"]["provenance"][number], "parameters"> & {
  parameters?: unknown;
};

const short = (hash: string | null) => (hash === null ? "none" : hash.slice(0, 12));

/** `temperature 0.7`, `tokenDelayMs 25`; "none" when nothing was sent or recorded. */
function parameters(value: unknown): string {
  if (value === null || typeof value !== "object") return "none";
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} ${v ?? "null"}`).join(", ");
}

/**
 * What produced the study's answers, per condition (StudyMonitor.provenance):
 * one row per combination of study version and hash, provider, models,
 * prompt and parameters. A condition with more than one row is flagged: its
 * answers were not all produced alike. Hashes are shortened to 12 characters,
 * with the whole one in the cell's title and the downloads.
 */
export function ProvenanceTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p>No answers yet.</p>;
  const perCondition = new Map<string, number>();
  for (const r of rows) perCondition.set(r.condition, (perCondition.get(r.condition) ?? 0) + 1);
  return (
    <TableScroll label="What produced the answers">
      <table className="research-table" data-table="provenance">
        <caption>
          What produced the answers, per condition (more than one row: not all produced alike)
        </caption>
        <thead>
          <tr>
            <th scope="col">Condition</th>
            <th scope="col">Version</th>
            <th scope="col">Study hash</th>
            <th scope="col">Provider</th>
            <th scope="col">Model asked for</th>
            <th scope="col">Model that answered</th>
            <th scope="col">Prompt hash</th>
            <th scope="col">Parameters</th>
            <th scope="col">Answers</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={JSON.stringify(r)}
              data-condition={r.condition}
              data-mixed={(perCondition.get(r.condition) ?? 0) > 1 ? "" : undefined}
            >
              <th scope="row">
                <code>{r.condition}</code>
                {(perCondition.get(r.condition) ?? 0) > 1 ? " (mixed)" : null}
              </th>
              <td className="number">{r.studyVersion ?? "–"}</td>
              <td>
                <code className="hash" title={r.studyHash ?? undefined}>
                  {short(r.studyHash)}
                </code>
              </td>
              <td>{r.provider ?? "not recorded"}</td>
              <td>{r.requestedModel ?? "–"}</td>
              <td>{r.model}</td>
              <td>
                <code className="hash" title={r.systemPromptHash ?? undefined}>
                  {short(r.systemPromptHash)}
                </code>
              </td>
              <td>{parameters(r.parameters)}</td>
              <td className="number">{r.answers}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
