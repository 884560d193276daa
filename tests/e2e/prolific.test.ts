/**
 * Participants recruited on Prolific arrive with PROLIFIC_PID, STUDY_ID and
 * SESSION_ID in the URL: every record of theirs carries them.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerId,
  ask,
  eventsOf,
  launchBrowser,
  newParticipant,
  queriesOf,
  type TestBrowser,
  waitForExport,
  waitForHydration,
} from "./support";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("Prolific", () => {
  it("records carry PROLIFIC_PID as userId, SESSION_ID as sessionId and STUDY_ID as prolificStudyId", async () => {
    const pid = `pp-${randomUUID()}`;
    const session = `se-${randomUUID()}`;
    const { page, userId } = await newParticipant(browser);
    await page.goto(`/?PROLIFIC_PID=${pid}&STUDY_ID=st-1&SESSION_ID=${session}`);
    await waitForHydration(page);
    // The server issues the participant id; PROLIFIC_PID is data bound to the session.
    const uid = await userId();
    expect(uid).not.toBe(pid);

    const turn = await ask(page, "Is coffee healthy?");
    const id = await answerId(turn);
    // After the answer the URL no longer has Prolific's parameters: the cookies carry them on.
    expect(new URL(page.url()).searchParams.has("PROLIFIC_PID")).toBe(false);
    await turn.locator('[data-study-target="answer-feedback"]').click();

    const records = await waitForExport(
      { panelParticipantId: pid },
      (all) => (eventsOf(all, "CONVERSION").length > 0 ? all : undefined),
      "the participant's query and events",
    );
    expect(queriesOf(records).map((q) => q.id)).toEqual([id]);
    expect(eventsOf(records, "BROWSE").length).toBeGreaterThan(0);
    for (const record of records) {
      expect(
        {
          userId: record.userId,
          panelParticipantId: record.panelParticipantId,
          panelSessionId: record.panelSessionId,
          prolificStudyId: record.prolificStudyId,
        },
        `${record.__typename} ${record.id}`,
      ).toEqual({ userId: uid, panelParticipantId: pid, panelSessionId: session, prolificStudyId: "st-1" });
    }
  });
});
