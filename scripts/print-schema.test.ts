import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import codegenConfig from "../codegen";
import { printedSchema, SCHEMA_FILE } from "./print-schema";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where codegen writes (codegen.ts). */
const GENERATED = Object.keys(codegenConfig.generates);

describe("committed generated files", () => {
  it("schema/schema.graphql is the schema printed from the code", () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(committed, "schema/schema.graphql is out of date: run `npm run schema`").toBe(printedSchema());
  });

  it("web/graphql/generated and tests/support/generated are what graphql-codegen makes of the schema and the operations", async () => {
    // In memory (saveToFile false): nothing is written, the committed files are only read.
    const outputs: { filename: string; content: string }[] = await generate(
      { ...codegenConfig, cwd: ROOT, silent: true, verbose: false },
      false,
    );
    expect(outputs.length).toBeGreaterThan(0);
    const stale = outputs
      .filter((output) => {
        let committed: string | null;
        try {
          committed = readFileSync(resolve(ROOT, output.filename), "utf8");
        } catch {
          committed = null;
        }
        return committed !== output.content;
      })
      .map((output) => output.filename);
    const made = outputs.map((output) => resolve(ROOT, output.filename)).sort();
    const committedFiles = GENERATED.flatMap((dir) =>
      readdirSync(resolve(ROOT, dir)).map((name) => resolve(ROOT, dir, name)),
    ).sort();
    expect(
      committedFiles,
      `${GENERATED.join(" or ")} has files codegen no longer makes: run \`npm run codegen\``,
    ).toEqual(made);
    expect(stale, `generated files are out of date (${stale.join(", ")}): run \`npm run codegen\``).toEqual(
      [],
    );
  }, 30_000);
});
