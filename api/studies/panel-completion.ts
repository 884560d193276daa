import type { Participant } from "../participants/participant";
import type { Study } from "./definition";
import { type PanelSubmit, panelSubmit } from "./panels";
import { fillRedirect } from "./redirect-template";

/**
 * A completion as this participant's panel takes it back: the study's
 * redirect URL with the panel ids of the participant's session filled in
 * (never ids from a later link: the session's are signed), and, for MTurk,
 * the form that submits the assignment to the turkSubmitTo the session
 * holds (checked against MTurk's hosts when the link was read, and again here).
 */
export type PanelCompletion<C> = C & { redirectUrl?: string; panelSubmit: PanelSubmit | null };

export function panelCompletion<C extends { code: string; redirectUrl?: string | null }>(
  participant: Participant,
  study: Pick<Study, "panel">,
  completion: C,
): PanelCompletion<C> {
  const { redirectUrl, ...rest } = completion;
  return {
    ...(rest as C),
    ...(redirectUrl ? { redirectUrl: fillRedirect(redirectUrl, participant.panel) } : {}),
    panelSubmit: panelSubmit(
      study.panel,
      participant.panel,
      participant.panelSubmitTo ?? null,
      completion.code,
    ),
  };
}
