import type { Store } from "../store/store";
import { issueToken } from "./credential";
import type { Participant } from "./participant";

/**
 * The participant's credential for a study page inside a frame whose
 * cookies the browser blocks (a survey tool's iframe): carried in the
 * page's links and forms as the query parameter `lsp_token`. A URL leaks
 * more easily than a cookie (history, logs, a copied link), so this token
 * is narrower than the session's:
 *
 * - bound to one study (it acts in no other, nor in the open chat);
 * - short-lived: URL_TOKEN_SECONDS after it was issued, and every page the
 *   participant loads issues a fresh one, so only an idle link runs out;
 * - ended by finishing: once the participant's assignment is finished the
 *   API treats the token as no credential at all (`inForce`);
 * - never stored: events' pageUrl loses the parameter before it is written
 *   (`withoutUrlToken`).
 *
 * Asking startSession with it gives back a token of the same kind, never the
 * session's 30-day one.
 */

/** Three hours: a participant who leaves the frame for longer starts again from the study's link. */
export const URL_TOKEN_SECONDS = 3 * 60 * 60;

/** A URL token for the participant in `studyId`, valid for URL_TOKEN_SECONDS (never beyond the session). */
export function issueUrlToken(
  participant: Participant,
  studyId: string,
  secrets: readonly string[],
  now = Date.now(),
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return issueToken(
    {
      ...participant,
      studyId,
      scope: "full",
      carrier: "url",
      issuedAt,
      expiresAt: Math.min(participant.expiresAt, issuedAt + URL_TOKEN_SECONDS),
    },
    secrets,
  );
}

/**
 * The credential as the API honours it: a URL token whose participant has
 * finished the study is none (null); every other credential as it is.
 */
export async function inForce(
  store: Pick<Store, "getAssignment">,
  participant: Participant | null,
): Promise<Participant | null> {
  if (participant?.carrier !== "url" || participant.studyId === null) return participant;
  const assignment = await store.getAssignment(participant.studyId, participant.userId);
  return assignment?.finishedAt ? null : participant;
}
