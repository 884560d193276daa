import type { z } from "zod";
import { base64url, fromBase64url } from "../encoding/base64url";
import { sign, verify } from "./hmac";

/**
 * The format of the deployment's stateless credentials (the participant's,
 * participants/credential.ts; the researcher's session,
 * researchers/session.ts): `<prefix>.<payload>.<signature>`, the payload
 * base64url JSON with `exp` (seconds since the epoch), the signature an
 * HMAC-SHA256 of `<prefix>.<payload>` under SESSION_SECRETS. Each kind has
 * its own prefix, so none passes for another.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function signToken(
  prefix: string,
  payload: object,
  secrets: readonly string[],
): Promise<string> {
  const body = `${prefix}.${base64url(encoder.encode(JSON.stringify(payload)))}`;
  return `${body}.${await sign(secrets, body)}`;
}

/**
 * The payload of a token of this prefix, signed by one of the secrets, at
 * most `maxLength` long, whose payload the schema accepts and that has not
 * expired at `now`; null for anything else.
 */
export async function readSignedToken<T extends { exp: number }>(
  prefix: string,
  token: string,
  {
    secrets,
    schema,
    maxLength,
    now,
  }: { secrets: readonly string[]; schema: z.ZodType<T>; maxLength: number; now: number },
): Promise<T | null> {
  if (token.length > maxLength) return null;
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== prefix) return null;
  const [, encoded = "", signature = ""] = parts;
  if (!(await verify(secrets, `${prefix}.${encoded}`, signature))) return null;
  const bytes = fromBase64url(encoded);
  if (!bytes) return null;
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success || parsed.data.exp * 1000 <= now) return null;
  return parsed.data;
}
