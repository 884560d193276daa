import { readdirSync, readFileSync } from "node:fs";
import { type GraphQLError, getIntrospectionQuery, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { renderGraphiQL } from "../graphiql";
import { schema } from "../schema";
import { documentLimitRules, parseWithinTokens } from "./document-limits";
import { DOCUMENT_LIMITS } from "./limits";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** What a document gets from the API's validation: graphql-js's rules and the limits. */
function refusals(source: string): readonly GraphQLError[] {
  const document = parseWithinTokens(source);
  return validate(schema, document, [...specifiedRules, ...documentLimitRules()]);
}
const messages = (source: string) => refusals(source).map((e) => e.message);

/** GraphiQL's first tab, and the export it shows commented out (a researcher uncomments it). */
function graphiqlExamples(): [string, string][] {
  const html = renderGraphiQL("/graphql", "test-nonce");
  const json = /renderYogaGraphiQL\([^,]+, (\{.*\})\);<\/script>/.exec(html)?.[1] ?? "{}";
  const example = (JSON.parse(json) as { query: string }).query;
  const commented = example.slice(example.indexOf("# query Export"));
  return [
    ["GraphiQL example", example],
    ["GraphiQL example's export", commented.replace(/^# ?/gm, "")],
  ];
}

const shipped: [string, string][] = [
  ...readdirSync(new URL("../../web/graphql/operations", import.meta.url)).map((file): [string, string] => [
    `web/graphql/operations/${file}`,
    read(`web/graphql/operations/${file}`),
  ]),
  ...[...read("docs/export.md").matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i): [string, string] => [
    `docs/export.md block ${i + 1}`,
    m[1] ?? "",
  ]),
  ...[...read("README.md").matchAll(/-d '(\{"query":[\s\S]*?\})'/g)].map((m, i): [string, string] => [
    `README.md curl ${i + 1}`,
    (JSON.parse(m[1] ?? "{}") as { query: string }).query,
  ]),
  ...graphiqlExamples(),
  // What GraphiQL sends to draw its docs and autocomplete.
  [
    "introspection",
    getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    }),
  ],
];

describe("document limits: what we ship passes", () => {
  it("finds the site's operations, the docs' and GraphiQL's", () => {
    expect(shipped.length).toBeGreaterThan(15);
    for (const [where, source] of shipped) expect(source.trim(), where).not.toBe("");
  });

  it.each(shipped)("%s passes every limit", (_where, source) => {
    expect(messages(source)).toEqual([]);
  });
});

const statuses = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `s${i}: status { store { ok } }`).join(" ")} }`;

const ask = (alias?: string) =>
  `${alias ? `${alias}: ` : ""}query(input: { userId: "u", sessionId: "s", query: "q" }) { id }`;

describe("document limits: what they refuse", () => {
  it(`refuses more than ${DOCUMENT_LIMITS.aliases} aliases, also through fragments`, () => {
    expect(messages(statuses(DOCUMENT_LIMITS.aliases))).toEqual([]);
    expect(messages(statuses(DOCUMENT_LIMITS.aliases + 1))).toEqual([
      `Aliases limit of ${DOCUMENT_LIMITS.aliases} exceeded, found ${DOCUMENT_LIMITS.aliases + 1}.`,
    ]);
    const viaFragments = `{ ...A ...B } fragment A on Query { ${statuses(6).slice(1, -1)} } fragment B on Query { ${Array.from(
      { length: 6 },
      (_, i) => `t${i}: status { ok }`,
    ).join(" ")} }`;
    expect(messages(viaFragments)).toEqual([
      `Aliases limit of ${DOCUMENT_LIMITS.aliases} exceeded, found 12.`,
    ]);
    // __typename costs nothing to resolve: aliasing it is free.
    expect(
      messages(`{ status { ${Array.from({ length: 30 }, (_, i) => `t${i}: __typename`).join(" ")} ok } }`),
    ).toEqual([]);
  });

  it(`refuses nesting deeper than ${DOCUMENT_LIMITS.depth}`, () => {
    // The schema has no cycle to nest fields in; inline fragments count as levels, so they nest.
    const nested = (n: number) => `{ ${"... on Query { ".repeat(n)} status { ok } ${"} ".repeat(n)} }`;
    expect(messages(nested(DOCUMENT_LIMITS.depth - 2))).toEqual([]);
    expect(messages(nested(DOCUMENT_LIMITS.depth - 1))).toEqual([
      `Query depth limit of ${DOCUMENT_LIMITS.depth} exceeded, found ${DOCUMENT_LIMITS.depth + 1}.`,
    ]);
  });

  it(`refuses more than ${DOCUMENT_LIMITS.tokens} tokens while parsing`, () => {
    const many = `{ status { ${"ok ".repeat(DOCUMENT_LIMITS.tokens)} } }`;
    expect(() => refusals(many)).toThrow(`Document contains more that ${DOCUMENT_LIMITS.tokens} tokens`);
  });

  it("refuses two literal pages of 1000 records in one request", () => {
    // The site's export page, with its page size written into the document.
    const site = read("web/graphql/operations/export-page.graphql");
    const selection = site.slice(site.indexOf("{", site.indexOf("export(")));
    const page = (alias: string) =>
      `${alias}: export(first: 1000) ${selection.slice(0, selection.lastIndexOf("}"))}`;
    expect(messages(`{ ${page("a")} }`)).toEqual([]);
    expect(messages(`{ ${page("a")} ${page("b")} }`)).toEqual([
      expect.stringMatching(/^Query Cost limit of 600000 exceeded, found \d+/),
    ]);
  });
});

describe("one LLM call per operation", () => {
  const llmRefusal = (source: string) =>
    refusals(source).filter((e) => e.extensions.code === "BAD_USER_INPUT");

  it("lets one query or one queryStream through", () => {
    expect(refusals(`mutation { ${ask()} }`)).toEqual([]);
    expect(refusals(`mutation { ${ask("renamed")} }`)).toEqual([]);
    expect(
      refusals('subscription { queryStream(input: { userId: "u", sessionId: "s", query: "q" }) { delta } }'),
    ).toEqual([]);
    // The same response key twice is one field, so one call.
    expect(refusals(`mutation { ${ask()} ${ask()} }`)).toEqual([]);
  });

  it("refuses two, with aliases, through fragments and inline fragments, and says why", () => {
    const cases = [
      `mutation { ${ask("a")} ${ask("b")} }`,
      `mutation { ${ask()} ${ask("again")} }`,
      `mutation { ${ask("a")} ...F } fragment F on Mutation { ${ask("b")} }`,
      `mutation { ...F ...G } fragment F on Mutation { ${ask("a")} } fragment G on Mutation { ${ask("b")} }`,
      `mutation { ${ask("a")} ... on Mutation { ${ask("b")} } }`,
      `mutation { ${ask("a")} ... @include(if: false) { ${ask("b")} } }`,
      `mutation { ${Array.from({ length: 10 }, (_, i) => ask(`a${i}`)).join(" ")} }`,
    ];
    for (const source of cases) {
      const errors = llmRefusal(source);
      expect(errors, source).toHaveLength(1);
      expect(errors[0]?.message, source).toMatch(
        /^One operation may ask the LLM at most 1 time; this one asks \d+ times/,
      );
    }
  });

  it("counts per operation: two operations of one document, one LLM call each, are fine", () => {
    expect(refusals(`mutation A { ${ask()} } mutation B { ${ask()} }`)).toEqual([]);
  });
});
