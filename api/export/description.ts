import { COLUMNS_ADDED, type ColumnType, SCHEMA_VERSION, TABLE_NAMES, TABLES } from "./tables";

/**
 * dataset_description.json: the downloads described in the style of
 * Psych-DS, a schema.org Dataset whose variableMeasured lists every column
 * of every table (as "<table>.<column>") with its meaning, type and unit.
 * Made from the same column lists the writers use (tables.ts).
 */
const VALUE_TYPES: Record<ColumnType, string> = {
  string: "Text",
  integer: "Integer",
  number: "Number",
  boolean: "Boolean",
  datetime: "DateTime",
  json: "StructuredValue",
};

export function datasetDescription(version: string) {
  return {
    "@context": "https://schema.org/",
    "@type": "Dataset",
    name: "LLM study platform: analysis-ready downloads",
    description:
      "One file per table (answers, sources, events, participants) as CSV (RFC 4180, UTF-8, a header row, CRLF) or NDJSON, at /export/<table>.csv and /export/<table>.ndjson. Empty CSV cells are null; times are ISO-8601 in UTC ending in Z; JSON-valued cells are JSON text. See docs/export.md.",
    schemaVersion: SCHEMA_VERSION,
    /** The columns each schema version added (tables.ts COLUMNS_ADDED). */
    columnsAdded: COLUMNS_ADDED,
    version: `platform ${version}`,
    distribution: TABLE_NAMES.flatMap((table) =>
      (["csv", "ndjson"] as const).map((format) => ({
        "@type": "DataDownload",
        name: table,
        contentUrl: `/export/${table}.${format}`,
        encodingFormat: format === "csv" ? "text/csv" : "application/x-ndjson",
      })),
    ),
    variableMeasured: TABLE_NAMES.flatMap((table) =>
      TABLES[table].map((column) => ({
        "@type": "PropertyValue",
        name: `${table}.${column.name}`,
        description: column.description,
        valueType: VALUE_TYPES[column.type],
        ...(column.unit ? { unitText: column.unit } : {}),
      })),
    ),
  };
}
