import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, parse, type ValidationContext, type ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";
import { DOCUMENT_LIMITS } from "./limits";
import { maxLlmCallsRule } from "./llm-calls";

/**
 * What a document may cost before it runs: aliases, depth, cost (graphql-armor's
 * rules), tokens (graphql-js's own `maxTokens`, checked while parsing, so a
 * huge document is never built), and one LLM call per operation (ours). Every refusal is a validation error
 * of the document: GRAPHQL_VALIDATION_FAILED (tokens: GRAPHQL_PARSE_FAILED),
 * or BAD_USER_INPUT for the LLM rule, with the limit in the message.
 */

/**
 * graphql-armor's rules throw by default, which skips graphql-js's own
 * error handling; reported instead, the refusal is one more validation
 * error. Its messages start with "Syntax Error:", which they are not.
 */
const reportTo = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ""))),
  ],
};

/** The validation rules, also for tests that validate documents directly. */
export function documentLimitRules(): ValidationRule[] {
  return [
    // __typename needs no resolver: aliasing it costs nothing (armor's default allow-list).
    maxAliasesRule({ n: DOCUMENT_LIMITS.aliases, allowList: ["__typename"], ...reportTo }),
    maxDepthRule({ n: DOCUMENT_LIMITS.depth, ignoreIntrospection: true, ...reportTo }),
    costLimitRule({ maxCost: DOCUMENT_LIMITS.cost, ignoreIntrospection: true, ...reportTo }),
    maxLlmCallsRule(DOCUMENT_LIMITS.llmCalls),
  ];
}

/**
 * Not graphql-armor's max-tokens: it imports `graphql/language/parser`,
 * which a Worker bundle (esbuild, wrangler) resolves to graphql's CommonJS
 * copy, so its syntax errors were of another GraphQLError class than
 * Yoga's and were masked as unexpected (500) under `wrangler dev`.
 */
export const parseWithinTokens = (
  source: Parameters<typeof parse>[0],
  options?: Parameters<typeof parse>[1],
) => parse(source, { ...options, maxTokens: DOCUMENT_LIMITS.tokens });

export function documentLimits(): Plugin[] {
  const rules = documentLimitRules();
  return [
    {
      onParse({ setParseFn }) {
        setParseFn(parseWithinTokens);
      },
      onValidate({ addValidationRule }) {
        for (const rule of rules) addValidationRule(rule);
      },
    },
  ];
}
