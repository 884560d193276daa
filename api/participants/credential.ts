import { z } from "zod";
import { readSignedToken, signToken } from "../crypto/signed-token";
import { idSchema } from "../domain/validation";
import { mturkSubmitOrigin } from "../studies/panels";
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
    /** The panel's submission origin (MTurk's turkSubmitTo), checked against the allowlist when the link was read. */
    pst: z.string().max(200).optional(),
    sc: z.literal("events").optional(),
    cr: z.literal("url").optional(),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().nonnegative(),
  })
  .strict();

type Payload = z.infer<typeof payloadSchema>;

export async function issueToken(participant: Participant, secrets: readonly string[]): Promise<string> {
  const payload: Payload = {
    u: participant.userId,
    s: participant.sessionId,
    st: participant.studyId,
    pp: participant.panel.participantId,
    ps: participant.panel.studyId,
    psn: participant.panel.sessionId,
    ...(participant.panelSubmitTo ? { pst: participant.panelSubmitTo } : {}),
    ...(participant.scope === "events" ? { sc: "events" as const } : {}),
    ...(participant.carrier === "url" ? { cr: "url" as const } : {}),
    iat: participant.issuedAt,
    exp: participant.expiresAt,
  };
  return signToken(PREFIX, payload, secrets);
}

/** The participant of a valid, unexpired token signed by one of the secrets; null for anything else. */
export async function readToken(
  token: string,
  secrets: readonly string[],
  now = Date.now(),
): Promise<Participant | null> {
  const p = await readSignedToken(PREFIX, token, {
    secrets,
    schema: payloadSchema,
    maxLength: MAX_TOKEN_LENGTH,
    now,
  });
  if (!p) return null;
  return {
    userId: p.u,
    sessionId: p.s,
    studyId: p.st,
    panel: { participantId: p.pp, studyId: p.ps, sessionId: p.psn },
    // Signed, and checked again: only an MTurk host can ever be a form's target.
    ...(p.pst && mturkSubmitOrigin(p.pst) ? { panelSubmitTo: p.pst } : {}),
    scope: p.sc ?? "full",
    ...(p.cr ? { carrier: p.cr } : {}),
    issuedAt: p.iat,
    expiresAt: p.exp,
  };
}
