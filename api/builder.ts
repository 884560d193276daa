import SchemaBuilder from "@pothos/core";
import RelayPlugin from "@pothos/plugin-relay";
import ValidationPlugin from "@pothos/plugin-validation";
import { GraphQLError, Kind, type ValueNode } from "graphql";
import type { Context } from "./context";
import { apiError, ErrorCode } from "./errors";

/**
 * The Pothos builder, its plugins and scalars. Types live in schema/, one
 * file per domain.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string | Date };
    JSON: { Input: unknown; Output: unknown };
  };
  Connection: { totalCount: () => Promise<number> };
}>({
  plugins: [RelayPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false, description: "One edge per record of this page." },
    nodeFieldOptions: { nullable: false, description: "The record." },
    cursorFieldOptions: {
      description: "Opaque cursor of this record: pass it as `after` to continue after it.",
    },
    pageInfoFieldOptions: { description: "Where this page stands in the whole result." },
    pageInfoTypeOptions: { description: "Relay page information." },
    hasNextPageFieldOptions: { description: "True when more records follow this page." },
    hasPreviousPageFieldOptions: { description: "True when this page was requested with `after`." },
    startCursorFieldOptions: { description: "Cursor of the first record of this page." },
    endCursorFieldOptions: {
      description: "Cursor of the last record of this page: pass it as `after` for the next.",
    },
  },
  validation: {
    validationError: (result) =>
      apiError(
        ErrorCode.BAD_USER_INPUT,
        result.issues
          .map((issue) => {
            const path = (issue.path ?? []).map((p) => (typeof p === "object" ? p.key : p)).join(".");
            return path ? `${path}: ${issue.message}` : issue.message;
          })
          .join("; "),
      ),
  },
});

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== "string" || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 instant with a time zone, like 2026-11-25T16:28:52.123Z; got ${JSON.stringify(value)}`,
      { extensions: { code: ErrorCode.BAD_USER_INPUT } },
    );
  }
  return new Date(value).toISOString();
}

builder.scalarType("DateTime", {
  description:
    "An instant in UTC, serialised as ISO-8601 with milliseconds and a Z: 2026-11-25T16:28:52.123Z.",
  serialize: (value) => (value instanceof Date ? value : new Date(value)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw new GraphQLError("JSON literal of an unsupported kind", {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
  }
}

builder.scalarType("JSON", {
  description: "Any JSON value (object, array, string, number, boolean, null).",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});

builder.queryType({ description: "Reads: health, and the researchers' export." });
builder.mutationType({ description: "Writes: participants' queries and interaction events." });
