import { describe, expect, it } from "vitest";
import { type GetStore, newEvent, sleep, uid } from "./shared";

/**
 * Attention-check results (api/attention/): attentionResults reads a
 * participant's ATTENTION_CHECK events in one study, oldest first, leaving
 * out events without the fields; exportParticipants counts the passed and
 * failed ones (before `to`); one eventId per check keeps one reply.
 */
export function describeAttentionResults(store: GetStore): void {
  describe("attention checks: attentionResults and the participants' counts", () => {
    it("attentionResults gives the participant's replies in the study, oldest first, well-formed ones only", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      const tag = { studyId, condition: "a", studyVersion: 1 };
      const reply = (checkId: string, passed: boolean, text: string) =>
        newEvent({
          ...tag,
          userId,
          eventType: "ATTENTION_CHECK",
          extraData: { checkId, reply: text, passed },
        });
      const [first] = await store().recordEvents([reply("colour", true, "Blue")]);
      await sleep(5);
      const [second] = await store().recordEvents([reply("animal", false, "dog")]);
      await store().recordEvents([
        // Not results: malformed, another type, another study, another participant.
        newEvent({
          ...tag,
          userId,
          eventType: "ATTENTION_CHECK",
          extraData: { checkId: "x", passed: "yes" },
        }),
        newEvent({ ...tag, userId, eventType: "ATTENTION_CHECK", extraData: null }),
        newEvent({
          ...tag,
          userId,
          eventType: "STUDY_STEP",
          extraData: { checkId: "y", reply: "r", passed: true },
        }),
        newEvent({
          ...tag,
          studyId: uid("study"),
          userId,
          eventType: "ATTENTION_CHECK",
          extraData: { checkId: "z", reply: "r", passed: true },
        }),
        newEvent({
          ...tag,
          userId: uid("user"),
          eventType: "ATTENTION_CHECK",
          extraData: { checkId: "w", reply: "r", passed: false },
        }),
      ]);
      expect(await store().attentionResults(studyId, userId)).toEqual([
        { checkId: "colour", reply: "Blue", passed: true, receivedAt: first?.receivedAt },
        { checkId: "animal", reply: "dog", passed: false, receivedAt: second?.receivedAt },
      ]);
      expect(await store().attentionResults(studyId, uid("user"))).toEqual([]);
    });

    it("a reply stored twice under one eventId (concurrent requests) is one result", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      const eventId = uid("attention");
      const event = (passed: boolean) =>
        newEvent({
          eventId,
          studyId,
          condition: "a",
          studyVersion: 1,
          userId,
          eventType: "ATTENTION_CHECK",
          extraData: { checkId: "colour", reply: String(passed), passed },
        });
      const results = await Promise.all([
        store().recordEvents([event(true)]),
        store().recordEvents([event(false)]),
      ]);
      expect(results.flat().filter((r) => !r.duplicate)).toHaveLength(1);
      const stored = await store().attentionResults(studyId, userId);
      expect(stored).toHaveLength(1);
    });

    it("exportParticipants counts each participant's passed and failed checks, before `to`", async () => {
      const studyId = uid("study");
      const [u0, u1] = [uid("user"), uid("user")];
      for (const userId of [u0, u1]) {
        await store().assign({
          studyId,
          userId,
          studyVersion: 1,
          panelParticipantId: null,
          choose: () => "a",
        });
        await sleep(3);
      }
      const tag = { studyId, condition: "a", studyVersion: 1 };
      const reply = (userId: string, checkId: string, passed: boolean) =>
        newEvent({
          ...tag,
          userId,
          eventType: "ATTENTION_CHECK",
          extraData: { checkId, reply: "r", passed },
        });
      const [early] = await store().recordEvents([reply(u0, "one", true)]);
      await sleep(5);
      await store().recordEvents([
        reply(u0, "two", false),
        reply(u0, "three", false),
        // Not counted: another study, another type.
        newEvent({
          ...tag,
          studyId: uid("study"),
          userId: u0,
          eventType: "ATTENTION_CHECK",
          extraData: { checkId: "x", reply: "r", passed: false },
        }),
        newEvent({
          ...tag,
          userId: u0,
          eventType: "CONVERSION",
          extraData: { checkId: "y", reply: "r", passed: true },
        }),
      ]);
      const counts = async (to?: string) =>
        (await store().exportParticipants({ studyIds: [studyId], ...(to ? { to } : {}) }, 10, null)).rows.map(
          (r) => [r.assignment.userId, r.attentionChecksPassed, r.attentionChecksFailed],
        );
      expect(await counts()).toEqual([
        [u0, 1, 2],
        [u1, 0, 0],
      ]);
      const justAfter = new Date(Date.parse(early?.receivedAt ?? "") + 1).toISOString();
      expect(await counts(justAfter)).toEqual([
        [u0, 1, 0],
        [u1, 0, 0],
      ]);
    });
  });
}
