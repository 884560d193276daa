import { GraphQLError } from "graphql";

/**
 * Expected errors reach callers with a stable `extensions.code` and a message
 * a person can act on. Anything else is masked by Yoga and logged.
 */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /**
   * The request itself is not one this API takes: not a JSON POST (415), a
   * mutation or subscription over GET (405), a body or URL parameter that is
   * not JSON (400). Yoga uses the same code for a request without a query.
   */
  BAD_REQUEST: "BAD_REQUEST",
  /** No credential: a researcher token, or a participant's session or token, is needed. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** A credential, but for someone else: another participant's id, another study. */
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  LLM_UNAVAILABLE: "LLM_UNAVAILABLE",
  STORE_UNAVAILABLE: "STORE_UNAVAILABLE",
  /** The participant has not consented to (is not enrolled in) the study. */
  NOT_ENROLLED: "NOT_ENROLLED",
  /** The participant has sent as many messages as their condition allows. */
  TURN_LIMIT_REACHED: "TURN_LIMIT_REACHED",
  /** The study is not active: it takes no new participants. */
  STUDY_CLOSED: "STUDY_CLOSED",
  /**
   * The study is active but cannot take new participants: its file changed
   * while its version did not, or a condition's LLM is not configured;
   * extensions.problems lists why (as status does).
   */
  STUDY_UNAVAILABLE: "STUDY_UNAVAILABLE",
  /** The participant has finished the study: no more answers. */
  STUDY_FINISHED: "STUDY_FINISHED",
  /** The participant's time (the study's completion.maxSeconds) is up: their part ended with the outcome timed-out. */
  TIME_UP: "TIME_UP",
  /** The study's completion criteria (minTurns, minSeconds) are not met yet. */
  COMPLETION_NOT_MET: "COMPLETION_NOT_MET",
  /** The participant withdrew from the study: they cannot take part again. */
  WITHDRAWN: "WITHDRAWN",
  /** Too many requests from this session or address: extensions.retryAfterSeconds says when to try again. */
  RATE_LIMITED: "RATE_LIMITED",
  /** The request is larger than this API takes. */
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An expected error of the domain (answers, studies, participants), which
 * knows nothing of GraphQL: api/yoga.ts turns it into a GraphQL error with
 * its code, in one place.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Too many requests: the caller may try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many requests. Please wait ${retryAfterSeconds} seconds and try again.`,
  ) {
    super(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
    this.name = "RateLimitedError";
  }
}

export function apiError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}
