import { describe, expect, it } from "vitest";
import { ask } from "../../../api/answers/ask";
import { signLink } from "../../../api/answers/link-signature";
import { ErrorCode } from "../../../api/errors";
import { type EventInput, recordClick, recordEvents } from "../../../api/events/record";
import { enroll } from "../../../api/studies/participants";
import { uid } from "../helpers";
import { as, countingStore, depsOf, domainSetup, participant, refused } from "./support";

/** recordEvents and recordClick (api/events/record.ts), called as the resolvers and the routes call them. */

const event = (
  studyId: string | null,
  eventType: EventInput["eventType"],
  extra: Partial<EventInput> = {},
): EventInput => ({
  eventId: uid(),
  eventType,
  studyId,
  query: null,
  queryId: null,
  targetUrl: null,
  pageUrl: null,
  extraData: null,
  clientTime: null,
  ...extra,
});

describe("recordEvents", () => {
  it("stores the tracker's events under its events-only credential, idempotent on eventId", async () => {
    const setup = domainSetup();
    const who = participant({ participantId: "pid-ev" });
    const tracker = { ...who, scope: "events" as const };
    const scroll = event(null, "SCROLL", { extraData: { depth: 0.5 } });
    const first = await recordEvents(setup.deps, as(tracker), [scroll, event(null, "BROWSE")]);
    expect(first.results.map((r) => r.duplicate)).toEqual([false, false]);
    const again = await recordEvents(setup.deps, as(tracker), [scroll]);
    expect(again.results).toEqual([{ ...first.results[0], duplicate: true }]);
    const page = await setup.deps.store.exportPage({ userIds: [who.userId] }, 10, null);
    expect(page.records.map((r) => r.record)).toMatchObject([
      {
        eventType: "SCROLL",
        sessionId: who.sessionId,
        panelParticipantId: "pid-ev",
        extraData: { depth: 0.5 },
      },
      { eventType: "BROWSE" },
    ]);
  });

  it("leaves out a study's events without consent, except its STUDY_STEPs, and tags the rest with the condition", async () => {
    const setup = domainSetup();
    const who = participant();
    const before = await recordEvents(setup.deps, as(who), [
      event(setup.studyId, "SCROLL"),
      event(setup.studyId, "STUDY_STEP", { extraData: { step: "consent_shown" } }),
    ]);
    expect(before.ignored).toBe(1);
    expect(before.results).toHaveLength(1);
    const { condition } = await enroll(setup.deps, as(who), setup.studyId, null);
    const after = await recordEvents(setup.deps, as(who), [event(setup.studyId, "SCROLL")]);
    expect(after.ignored).toBe(0);
    const page = await setup.deps.store.exportPage(
      { userIds: [who.userId], eventTypes: ["SCROLL"] },
      10,
      null,
    );
    expect(page.records.map((r) => r.record)).toMatchObject([
      { studyId: setup.studyId, condition, studyVersion: 3 },
    ]);
  });

  it("refuses a credential bound to another study before reading or writing anything", async () => {
    const setup = domainSetup();
    const counted = countingStore(setup.deps.store, ["getAssignment", "recordEvents"]);
    const bound = participant({}, "another-study");
    await refused(
      recordEvents(depsOf(setup.app, counted.store), as(bound), [event(setup.studyId, "CONVERSION")]),
      ErrorCode.FORBIDDEN,
    );
    await refused(recordEvents(setup.deps, as(null), [event(null, "CONVERSION")]), ErrorCode.UNAUTHENTICATED);
    expect(counted.calls).toEqual([]);
  });
});

describe("recordClick", () => {
  it("logs a click on a signed link of the participant's own answer, with the source's rank", async () => {
    const setup = domainSetup();
    const who = participant();
    await enroll(setup.deps, as(who), setup.studyId, null);
    const answer = await ask(setup.deps, as(who), {
      studyId: setup.studyId,
      query: "a source?",
      conversationId: null,
      clientTime: null,
    });
    const url = "https://docs.example/source";
    const signature = await signLink(setup.deps.config.sessionSecrets, answer.id, url);
    const click = {
      eventId: null,
      studyId: setup.studyId,
      queryId: answer.id,
      targetUrl: url,
      signature,
      pageUrl: null,
      clientTime: null,
      element: "source-list" as const,
      pageViewId: null,
      seq: null,
    };
    const result = await recordClick(setup.deps, as(who), click);
    expect(result.duplicate).toBe(false);
    const page = await setup.deps.store.exportPage(
      { userIds: [who.userId], eventTypes: ["CLICK"] },
      10,
      null,
    );
    expect(page.records.map((r) => r.record)).toMatchObject([
      {
        queryId: answer.id,
        targetUrl: url,
        extraData: { via: "redirect", element: "source-list", rank: 1, originalRank: 1 },
        condition: answer.condition,
      },
    ]);

    // Someone else's answer reads as none; a link without the page's signature, or not in the answer, is refused.
    await refused(recordClick(setup.deps, as(participant()), click), ErrorCode.NOT_FOUND);
    await refused(
      recordClick(setup.deps, as(who), { ...click, signature: "forged" }),
      ErrorCode.BAD_USER_INPUT,
    );
    // The page shows this source in the list, not as a link of the answer's text.
    await refused(
      recordClick(setup.deps, as(who), { ...click, element: "answer-link" }),
      ErrorCode.BAD_USER_INPUT,
    );
    const elsewhere = "https://evil.example/";
    const signedElsewhere = await signLink(setup.deps.config.sessionSecrets, answer.id, elsewhere);
    await refused(
      recordClick(setup.deps, as(who), { ...click, targetUrl: elsewhere, signature: signedElsewhere }),
      ErrorCode.BAD_USER_INPUT,
    );
    expect(await setup.deps.store.count({ userIds: [who.userId], eventTypes: ["CLICK"] })).toBe(1);
  });
});
