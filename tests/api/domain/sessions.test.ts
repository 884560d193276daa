import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../api/errors";
import { readToken } from "../../../api/participants/credential";
import { NO_PANEL } from "../../../api/participants/participant";
import { startSession } from "../../../api/participants/sessions";
import { as, domainSetup, participant, refused } from "./support";

/** startSession (api/participants/sessions.ts): who a caller is, as the server decides it. */

const panel = (participantId: string) => ({ participantId, studyId: "ps", sessionId: "pss" });

describe("startSession", () => {
  it("issues a new participant with server-chosen ids, a full token and an events-only copy", async () => {
    const { deps, studyId } = domainSetup();
    const started = await startSession(deps, as(null), { studyId, panel: panel("pid-new") });
    expect(started.created).toBe(true);
    expect(started.participant.userId).not.toBe("pid-new");
    expect(started.participant).toMatchObject({ studyId, panel: panel("pid-new"), scope: "full" });
    const secrets = deps.config.sessionSecrets;
    expect(await readToken(started.token, secrets)).toEqual(started.participant);
    expect(await readToken(started.eventsToken, secrets)).toEqual({
      ...started.participant,
      scope: "events",
    });
  });

  it("keeps a known session's identity and panel ids whatever a later link says (no fixation)", async () => {
    const { deps } = domainSetup();
    const known = participant(panel("pid-first"));
    const again = await startSession(deps, as(known), { studyId: null, panel: panel("pid-attacker") });
    expect(again.created).toBe(false);
    expect(again.participant).toEqual(known);
  });

  it("binds panel ids to a session that has none, once, keeping its ids", async () => {
    const { deps } = domainSetup();
    const known = participant();
    const bound = await startSession(deps, as(known), { studyId: null, panel: panel("pid-late") });
    expect(bound.participant).toMatchObject({
      userId: known.userId,
      sessionId: known.sessionId,
      panel: panel("pid-late"),
    });
    const later = await startSession(deps, as(bound.participant), {
      studyId: null,
      panel: panel("pid-other"),
    });
    expect(later.participant.panel).toEqual(panel("pid-late"));
  });

  it("refreshes a session older than a day, and treats the tracker's copy as no session", async () => {
    const { deps } = domainSetup();
    const old = { ...participant(), issuedAt: Math.floor(Date.now() / 1000) - 2 * 24 * 3600 };
    const refreshed = await startSession(deps, as(old), { studyId: null, panel: NO_PANEL });
    expect(refreshed.participant.userId).toBe(old.userId);
    expect(refreshed.participant.issuedAt).toBeGreaterThan(old.issuedAt);
    const tracker = { ...participant(), scope: "events" as const };
    const fresh = await startSession(deps, as(tracker), { studyId: null, panel: NO_PANEL });
    expect(fresh.created).toBe(true);
    expect(fresh.participant.userId).not.toBe(tracker.userId);
  });

  it("refuses an unknown study (NOT_FOUND) and a session bound to another study (FORBIDDEN)", async () => {
    const { deps, studyId } = domainSetup();
    await refused(
      startSession(deps, as(null), { studyId: "no-such-study", panel: NO_PANEL }),
      ErrorCode.NOT_FOUND,
    );
    const bound = participant({}, "some-other-study");
    await refused(startSession(deps, as(bound), { studyId, panel: NO_PANEL }), ErrorCode.FORBIDDEN);
  });
});
