import { z } from "zod";
import { sign, verify } from "../crypto/hmac";
import { idSchema } from "../domain/validation";
import { base64url, fromBase64url } from "../encoding/base64url";
import type { Participant } from "./participant";

/**
 * The one participant credential: the site's session cookie holds it, and
 * API clients outside the site send it in the X-Participant-Token header.
 * `lsp1.<payload>.<signature>`: the payload is base64url JSON, the signature
 * an HMAC-SHA256 of `lsp1.<payload>` under SESSION_SECRETS. It is stateless:
 * starting a session stores nothing, so a stranger cannot fill the store by
 * starting sessions.
 */
const PREFIX = "lsp1";

/** Where API clients outside the site put the credential. */
export const PARTICIPANT_HEADER = "x-participant-token";

/** At most this long: the payload has a few ids of at most 128 characters. */
const MAX_TOKEN_LENGTH = 2048;

const optionalId = idSchema.nullable();

const payloadSchema = z
  .object({
    u: idSchema,
    s: idSchema,
    st: optionalId,
    pp: optionalId,
    ps: optionalId,
    psn: optionalId,
    sc: z.literal("events").optional(),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().nonnegative(),
  })
  .strict();

type Payload = z.infer<typeof payloadSchema>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function issueToken(participant: Participant, secrets: readonly string[]): Promise<string> {
  const payload: Payload = {
    u: participant.userId,
    s: participant.sessionId,
    st: participant.studyId,
    pp: participant.panel.participantId,
    ps: participant.panel.studyId,
    psn: participant.panel.sessionId,
    ...(participant.scope === "events" ? { sc: "events" as const } : {}),
    iat: participant.issuedAt,
    exp: participant.expiresAt,
  };
  const body = `${PREFIX}.${base64url(encoder.encode(JSON.stringify(payload)))}`;
  return `${body}.${await sign(secrets, body)}`;
}

/** The participant of a valid, unexpired token signed by one of the secrets; null for anything else. */
export async function readToken(
  token: string,
  secrets: readonly string[],
  now = Date.now(),
): Promise<Participant | null> {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const [, encoded = "", signature = ""] = parts;
  if (!(await verify(secrets, `${PREFIX}.${encoded}`, signature))) return null;
  const bytes = fromBase64url(encoded);
  if (!bytes) return null;
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success || parsed.data.exp * 1000 <= now) return null;
  const p = parsed.data;
  return {
    userId: p.u,
    sessionId: p.s,
    studyId: p.st,
    panel: { participantId: p.pp, studyId: p.ps, sessionId: p.psn },
    scope: p.sc ?? "full",
    issuedAt: p.iat,
    expiresAt: p.exp,
  };
}
