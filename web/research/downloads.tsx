/**
 * A study's downloads (docs/research.md): each table of the export as CSV
 * and NDJSON, filtered to the study, and the description of their columns.
 * The signed-in researcher's cookie is the credential, so plain links work.
 */
export function Downloads({
  studyId,
  tables,
  descriptionPath,
}: {
  studyId: string;
  tables: readonly string[];
  descriptionPath: string;
}) {
  const href = (table: string, format: string) =>
    `/export/${table}.${format}?studyIds=${encodeURIComponent(studyId)}`;
  return (
    <>
      <ul className="downloads" data-downloads="">
        {tables.map((table) => (
          <li key={table}>
            <span className="download-table">{table}</span>{" "}
            <a href={href(table, "csv")} download aria-label={`${table} as CSV`}>
              CSV
            </a>{" "}
            <a href={href(table, "ndjson")} download aria-label={`${table} as NDJSON`}>
              NDJSON
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a href={descriptionPath}>dataset_description.json</a>: what every column means, its type and unit.
      </p>
    </>
  );
}
