import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * The site's GraphQL documents (web/graphql/operations) typed against the
 * committed schema. `npm run codegen` writes web/graphql/generated, which is
 * committed and checked for drift by the tests.
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["web/graphql/operations/*.graphql"],
  generates: {
    "web/graphql/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: "string", JSON: "unknown", ID: "string" },
      },
    },
  },
};

export default config;
