import type { Column } from "./tables";

/**
 * A table's rows as CSV (RFC 4180: a header row, CRLF line ends, a field
 * quoted when it holds a comma, a quote, CR or LF, quotes doubled) or as
 * NDJSON (one JSON object per line, LF). Empty CSV cells are null; booleans
 * are true/false; JSON-valued cells are their JSON text; times are the
 * store's ISO-8601 UTC strings (ending in Z).
 */
export type Format = "csv" | "ndjson";

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvCell(value: unknown, json: boolean): string {
  if (value === null || value === undefined) return "";
  if (json || typeof value === "object") return csvField(JSON.stringify(value));
  return csvField(String(value));
}

export function csvHeader<R>(columns: Column<R>[]): string {
  return `${columns.map((c) => csvField(c.name)).join(",")}\r\n`;
}

export function csvRow<R>(columns: Column<R>[], row: R): string {
  return `${columns.map((c) => csvCell(c.value(row), c.type === "json")).join(",")}\r\n`;
}

export function ndjsonRow<R>(columns: Column<R>[], row: R): string {
  const object: Record<string, unknown> = {};
  for (const c of columns) object[c.name] = c.value(row) ?? null;
  return `${JSON.stringify(object)}\n`;
}

/** The file's text before any row. */
export function preamble<R>(format: Format, columns: Column<R>[]): string {
  return format === "csv" ? csvHeader(columns) : "";
}

export function rowsText<R>(format: Format, columns: Column<R>[], rows: R[]): string {
  let text = "";
  for (const row of rows) text += format === "csv" ? csvRow(columns, row) : ndjsonRow(columns, row);
  return text;
}
