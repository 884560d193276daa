import { z } from "zod";
import { readSignedToken, signToken } from "../crypto/signed-token";

/**
 * A researcher's session on the site (/research): signed like the
 * participant credential (participants/credential.ts) under SESSION_SECRETS,
 * with a prefix of its own so neither can pass for the other.
 * `lsr1.<payload>.<signature>`: the payload is base64url JSON {iat, exp}; the
 * signature an HMAC-SHA256 of `lsr1.<payload>`. Stateless: signing out
 * clears the cookie, and the session ends by itself after SESSION_HOURS.
 * Only the site hands it to the API (in Yoga's server context, never a
 * header), so over HTTP a researcher still needs their bearer token.
 */
const PREFIX = "lsr1";

/** How long a researcher stays signed in. */
export const RESEARCHER_SESSION_SECONDS = 12 * 60 * 60;

const MAX_TOKEN_LENGTH = 512;

const payloadSchema = z
  .object({ iat: z.number().int().nonnegative(), exp: z.number().int().nonnegative() })
  .strict();

export type ResearcherSession = z.infer<typeof payloadSchema>;

export async function issueResearcherSession(
  secrets: readonly string[],
  now = Date.now(),
): Promise<{ token: string; session: ResearcherSession }> {
  const iat = Math.floor(now / 1000);
  const session = { iat, exp: iat + RESEARCHER_SESSION_SECONDS };
  return { token: await signToken(PREFIX, session, secrets), session };
}

/** The session of a valid, unexpired token signed by one of the secrets; null for anything else. */
export async function readResearcherSession(
  token: string,
  secrets: readonly string[],
  now = Date.now(),
): Promise<ResearcherSession | null> {
  return readSignedToken(PREFIX, token, { secrets, schema: payloadSchema, maxLength: MAX_TOKEN_LENGTH, now });
}
