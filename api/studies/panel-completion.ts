import type { Participant } from "../participants/participant";
import type { Study } from "./definition";
import type { Ending } from "./outcomes";
import { type PanelSubmit, panelSubmit } from "./panels";
import { fillRedirect } from "./redirect-template";

/**
 * An ending as this participant's panel takes it back: the outcome's
 * redirect URL with the panel ids of the participant's session filled in
 * (never ids from a later link: the session's are signed), and, for MTurk,
 * the form that submits the assignment to the turkSubmitTo the session
 * holds (checked against MTurk's hosts when the link was read, and again here).
 */
export type PanelEnding = Ending & { panelSubmit: PanelSubmit | null };

export function panelEnding(
  participant: Participant,
  study: Pick<Study, "panel">,
  ending: Ending,
): PanelEnding {
  return {
    ...ending,
    redirectUrl: ending.redirectUrl === null ? null : fillRedirect(ending.redirectUrl, participant.panel),
    panelSubmit: panelSubmit(study.panel, participant.panel, participant.panelSubmitTo ?? null, ending.code),
  };
}
