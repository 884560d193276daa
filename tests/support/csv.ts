/**
 * A reader of RFC 4180 CSV for the tests, written apart from the writer
 * (api/export/write.ts) so a mistake in one is not hidden by the other:
 * CRLF records, quoted fields with doubled quotes, CR and LF inside quotes.
 * Throws on a bare LF or a quote in an unquoted field.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i];
        i++;
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`a quote in an unquoted field at ${i}`);
        field += text[i];
        i++;
      }
    }
    row.push(field);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
      continue;
    }
    if (i >= text.length) break;
    throw new Error(`a line end other than CRLF at ${i}`);
  }
  if (row.length > 0) throw new Error("the last record has no CRLF");
  return rows;
}

/** The rows of a CSV with a header, as objects by column name. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error("no header row");
  return rows.map((cells) => {
    if (cells.length !== header.length)
      throw new Error(`a row of ${cells.length} cells under ${header.length} columns`);
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]));
  });
}
