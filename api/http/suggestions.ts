import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * graphql-js suggests names ("Did you mean "export"?") in validation errors
 * (fields, arguments, types, enum literals) and in variable coercion errors
 * (enum values, input fields). graphql-armor's block-field-suggestions only
 * sees the first kind, so this one plugin strips both: a caller probing the
 * schema learns nothing from a typo that introspection would not tell them,
 * and the messages stay the same whether or not introspection is on.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, "").trim();
}

function strip(error: GraphQLError): GraphQLError {
  const message = withoutSuggestions(error.message);
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

export const hideSuggestions: Plugin = {
  onValidate() {
    return ({ valid, result, setResult }) => {
      if (!valid) setResult(result.map((e) => (e instanceof GraphQLError ? strip(e) : e)));
    };
  },
  onExecutionResult({ result, setResult }) {
    if (!result || Symbol.asyncIterator in result || !result.errors) return;
    setResult({ ...result, errors: result.errors.map((e) => (e instanceof GraphQLError ? strip(e) : e)) });
  },
};
