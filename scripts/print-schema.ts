/**
 * Prints the API's SDL, sorted, to schema/schema.graphql (the committed
 * contract). `--check` exits 1 when the committed file differs from the code.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { lexicographicSortSchema, printSchema } from "graphql";
import { schema } from "../api/schema";

export const SCHEMA_FILE = new URL("../schema/schema.graphql", import.meta.url);

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  const printed = printedSchema();
  if (process.argv.includes("--check")) {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    if (committed !== printed) {
      console.error("schema/schema.graphql is out of date: run `npm run schema`");
      process.exit(1);
    }
    console.log("schema/schema.graphql matches the code");
  } else {
    writeFileSync(SCHEMA_FILE, printed);
    console.log("wrote schema/schema.graphql");
  }
}
