import {
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { ErrorCode } from "../errors";

/**
 * The root fields that each make one call to the LLM provider, by operation
 * type. `mutation { a: query(...) b: query(...) }` would make two calls (and
 * spend two of the deployment's budget) in one request.
 */
export const LLM_ROOT_FIELDS = {
  mutation: ["query"],
  subscription: ["queryStream"],
} as const satisfies Partial<Record<OperationDefinitionNode["operation"], readonly string[]>>;

/**
 * The response keys (alias, or field name) of an operation's LLM root
 * fields, through fragment spreads and inline fragments. Fields with the
 * same response key are merged by GraphQL (and must have equal arguments),
 * so they are one call.
 */
function llmCallKeys(
  selectionSet: SelectionSetNode,
  fields: readonly string[],
  fragment: (name: string) => FragmentDefinitionNode | undefined | null,
  keys = new Set<string>(),
  seen = new Set<string>(),
): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (fields.includes(selection.name.value)) keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      llmCallKeys(selection.selectionSet, fields, fragment, keys, seen);
    } else if (!seen.has(selection.name.value)) {
      // A fragment spread: each fragment once (a cycle is refused by graphql-js's own rule).
      seen.add(selection.name.value);
      const definition = fragment(selection.name.value);
      if (definition) llmCallKeys(definition.selectionSet, fields, fragment, keys, seen);
    }
  }
  return keys;
}

/** A validation rule: at most `max` LLM calls in one operation, or BAD_USER_INPUT. */
export function maxLlmCallsRule(max: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const fields: readonly string[] =
        operation.operation === "mutation"
          ? LLM_ROOT_FIELDS.mutation
          : operation.operation === "subscription"
            ? LLM_ROOT_FIELDS.subscription
            : [];
      if (fields.length === 0) return;
      const calls = llmCallKeys(operation.selectionSet, fields, (name) => context.getFragment(name)).size;
      if (calls > max) {
        context.reportError(
          new GraphQLError(
            `One operation may ask the LLM at most ${max} time${max === 1 ? "" : "s"}; this one asks ${calls} times (${fields.join(", ")}). Send one message per request.`,
            { nodes: operation, extensions: { code: ErrorCode.BAD_USER_INPUT } },
          ),
        );
      }
    },
  });
}
