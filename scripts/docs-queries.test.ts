import { readFileSync } from "node:fs";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../api/schema";

/**
 * The GraphQL that the docs hand to researchers must run: every operation in
 * them is checked against the schema (a doc that drifts from the API fails here).
 */
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

const fenced = (markdown: string) =>
  [...markdown.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
/** The `"query":"..."` of the curl commands in a Markdown file. */
const curlQueries = (markdown: string) =>
  [...markdown.matchAll(/-d '(\{"query":[\s\S]*?\})'/g)].map(
    (m) => (JSON.parse(m[1] ?? "{}") as { query: string }).query,
  );

const operations: [string, string][] = [
  ...fenced(read("docs/export.md")).map((q, i): [string, string] => [`docs/export.md block ${i + 1}`, q]),
  ...curlQueries(read("README.md")).map((q, i): [string, string] => [`README.md curl ${i + 1}`, q]),
];

describe("GraphQL in the docs", () => {
  it("finds the operations it checks", () => {
    expect(operations.length).toBeGreaterThanOrEqual(3);
    for (const [, query] of operations) expect(query.trim()).not.toBe("");
  });

  it.each(operations)("%s is valid against the schema", (_where, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });
});
