import { GraphQLError } from "graphql";

/**
 * Expected errors reach callers with a stable `extensions.code` and a message
 * a person can act on. Anything else is masked by Yoga and logged.
 */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  NOT_FOUND: "NOT_FOUND",
  LLM_UNAVAILABLE: "LLM_UNAVAILABLE",
  STORE_UNAVAILABLE: "STORE_UNAVAILABLE",
  /** The participant has not consented to (is not enrolled in) the study. */
  NOT_ENROLLED: "NOT_ENROLLED",
  /** The participant has sent as many messages as their condition allows. */
  TURN_LIMIT_REACHED: "TURN_LIMIT_REACHED",
  /** The study is not active: it takes no new participants. */
  STUDY_CLOSED: "STUDY_CLOSED",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function apiError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}
