import type { Context } from "../context";
import { DomainError, ErrorCode } from "../errors";

/** Fields for researchers only: a valid `Authorization: Bearer <token>`, else UNAUTHENTICATED (or RATE_LIMITED after repeated failures). */
export function requireResearcher(ctx: Context, what: string): void {
  if (ctx.researcher) return;
  if (ctx.researcherLimited) throw ctx.researcherLimited;
  throw new DomainError(
    ErrorCode.UNAUTHENTICATED,
    `${what} needs a researcher token: send the header \`Authorization: Bearer <token>\` with one of the tokens in RESEARCHER_TOKENS.`,
  );
}

/** A value that only researchers are shown (a participant's condition): null for anyone else. */
export function forResearchers<T>(ctx: Context, value: T): T | null {
  return ctx.researcher ? value : null;
}
