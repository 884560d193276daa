import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../api/errors";
import { readToken } from "../../../api/participants/credential";
import { startSession } from "../../../api/participants/sessions";
import { inForce, URL_TOKEN_SECONDS } from "../../../api/participants/url-token";
import { finish } from "../../../api/studies/finish";
import { enroll } from "../../../api/studies/participants";
import { as, domainSetup, participant, refused } from "./support";

/** The URL token of a study page in a cookieless frame (api/participants/url-token.ts), against a real D1. */

const panel = (participantId: string) => ({ participantId, studyId: "ps", sessionId: "pss" });
const now = () => Math.floor(Date.now() / 1000);

describe("the URL token", () => {
  it("is issued on request only, bound to the study, short-lived, and marked as carried in a URL", async () => {
    const { deps, studyId } = domainSetup();
    const plain = await startSession(deps, as(null), { studyId, panel: panel("pid-a") });
    expect(plain.urlToken).toBeNull();
    const started = await startSession(deps, as(null), { studyId, panel: panel("pid-a"), urlToken: true });
    const token = await readToken(started.urlToken ?? "", deps.config.sessionSecrets);
    expect(token).toMatchObject({ userId: started.participant.userId, studyId, carrier: "url" });
    expect(token?.panel).toEqual(panel("pid-a"));
    expect((token?.expiresAt ?? 0) - (token?.issuedAt ?? 0)).toBe(URL_TOKEN_SECONDS);
    // The session's own token and the tracker's copy are not URL tokens.
    expect((await readToken(started.token, deps.config.sessionSecrets))?.carrier).toBeUndefined();
    expect((await readToken(started.eventsToken, deps.config.sessionSecrets))?.carrier).toBeUndefined();
  });

  it("needs a study", async () => {
    const { deps } = domainSetup();
    await refused(
      startSession(deps, as(null), { studyId: null, panel: panel("pid-b"), urlToken: true }),
      ErrorCode.BAD_USER_INPUT,
    );
  });

  it("is never exchanged for a longer credential, and is re-issued on each use", async () => {
    const { deps, studyId } = domainSetup();
    const issuedAt = now() - 60;
    const fromUrl = {
      ...participant(panel("pid-c"), studyId),
      carrier: "url" as const,
      issuedAt,
      expiresAt: issuedAt + URL_TOKEN_SECONDS,
    };
    const again = await startSession(deps, as(fromUrl), { studyId, panel: panel("pid-c"), urlToken: true });
    expect(again.created).toBe(false);
    const session = await readToken(again.token, deps.config.sessionSecrets);
    expect(session).toMatchObject({ userId: fromUrl.userId, carrier: "url", studyId });
    expect((session?.expiresAt ?? 0) - (session?.issuedAt ?? 0)).toBe(URL_TOKEN_SECONDS);
    expect(session?.issuedAt).toBeGreaterThan(issuedAt);
    const events = await readToken(again.eventsToken, deps.config.sessionSecrets);
    expect(events?.expiresAt).toBe(session?.expiresAt);
  });

  it("does not act with a link that names other panel ids (a cookie's session keeps its own instead)", async () => {
    const { deps, studyId } = domainSetup();
    const fromUrl = { ...participant(panel("pid-d"), studyId), carrier: "url" as const };
    const other = await startSession(deps, as(fromUrl), {
      studyId,
      panel: panel("pid-other"),
      urlToken: true,
    });
    expect(other.created).toBe(true);
    expect(other.participant.userId).not.toBe(fromUrl.userId);
    const same = await startSession(deps, as(fromUrl), { studyId, panel: panel("pid-d"), urlToken: true });
    expect(same.participant.userId).toBe(fromUrl.userId);
    const cookie = participant(panel("pid-d"), studyId);
    const kept = await startSession(deps, as(cookie), { studyId, panel: panel("pid-other") });
    expect(kept.participant.userId).toBe(cookie.userId);
  });

  it("stops acting when its participant finishes; a cookie's session goes on", async () => {
    const { deps, studyId } = domainSetup();
    const who = participant(panel("pid-e"), studyId);
    const fromUrl = { ...who, carrier: "url" as const };
    await enroll(deps, as(fromUrl), studyId, null);
    expect(await inForce(deps.store, fromUrl)).toEqual(fromUrl);
    await finish(deps, as(fromUrl), studyId, null);
    expect(await inForce(deps.store, fromUrl)).toBeNull();
    expect(await inForce(deps.store, who)).toEqual(who);
    expect(await inForce(deps.store, null)).toBeNull();
  });
});
