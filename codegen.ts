import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * The site's GraphQL documents (web/graphql/operations), and the tests'
 * (tests/support/operations), typed against the committed schema.
 * `npm run codegen` writes web/graphql/generated and tests/support/generated,
 * which are committed and checked for drift by the tests.
 */
const client = {
  preset: "client",
  presetConfig: { fragmentMasking: false },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: "string", JSON: "unknown", ID: "string" },
  },
} as const;

const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  generates: {
    "web/graphql/generated/": { ...client, documents: ["web/graphql/operations/*.graphql"] },
    // The tests' own documents (what researchers' scripts read), typed the same way.
    "tests/support/generated/": { ...client, documents: ["tests/support/operations/*.graphql"] },
  },
};

export default config;
