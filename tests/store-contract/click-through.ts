import { describe, expect, it } from "vitest";
import type { NewEvent, ShownSource, SourceExposure, StudyTag } from "../../api/store/store";
import { type GetStore, newAssignment, newEvent, newQuery, newWithdrawal, uid } from "./shared";

/**
 * studyClickThrough and sourceExposure: sources shown, seen (an exposure
 * summary lists the rank and URL with visibleMs > 0) and clicked (a CLICK
 * with the answer's queryId and the URL), counted by the store from records
 * written with its own operations: a condition that hides its sources,
 * an injected source, sources reordered (displayed rank not the model's),
 * a click's two copies (tracker and /out, one eventId), an exposure of
 * visibleMs 0, events stored before their answer, and a withdrawal.
 */

const source = (rank: number, url: string, originalRank: number | null): ShownSource => ({
  rank,
  title: `Source ${rank}`,
  url,
  content: null,
  originalRank,
  injected: originalRank === null,
});

const PROVENANCE = {
  provider: "scripted",
  endpoint: null,
  requestedModel: "test-model",
  systemPromptHash: null,
  parameters: { temperature: null },
  order: "reversed",
  permutation: null,
  rotation: null,
  limit: null,
  inject: null,
  citations: "numbered",
  markers: "text",
  answerLinks: "text",
  studyHash: null,
} as const;

const A = "https://example.com/a";
const B = "https://example.com/b";
const I = "https://study.example/injected";

export function describeClickThrough(store: GetStore): void {
  describe("studyClickThrough and sourceExposure", () => {
    it("is empty for a study without records", async () => {
      expect(await store().studyClickThrough(uid("study"))).toEqual([]);
    });

    it("counts sources shown, seen and clicked by displayed and original rank", async () => {
      const studyId = uid("study");
      const [u1, u2, u3] = ["u1", "u2", "u3"].map(uid) as [string, string, string];
      const tag = (condition: string): StudyTag => ({ studyId, condition, studyVersion: 1 });
      for (const [userId, condition] of [
        [u1, "shown"],
        [u2, "hidden"],
        [u3, "shown"],
      ] as const)
        await store().assign(newAssignment({ studyId, userId, choose: () => condition }));
      const event = (userId: string, condition: string, fields: Partial<NewEvent>) =>
        newEvent({ userId, ...tag(condition), ...fields });
      const click = (userId: string, condition: string, queryId: string, url: string) =>
        event(userId, condition, { eventType: "CLICK", queryId, targetUrl: url, extraData: {} });
      const exposure = (
        userId: string,
        condition: string,
        queryId: string,
        pageViewId: string,
        seq: number,
        sources: { url: string; rank: number; visibleMs: number }[],
      ) =>
        event(userId, condition, {
          eventType: "BROWSE",
          queryId,
          extraData: { kind: "exposure", pageViewId, seq, sources },
        });

      // q1 reorders the model's two sources and injects one at rank 2.
      const q1 = newQuery({
        userId: u1,
        ...tag("shown"),
        sources: [source(1, B, 2), source(2, I, null), source(3, A, 1)],
        provenance: { ...PROVENANCE, sourcesShown: true },
      });
      await store().recordQuery(q1);
      // q2 (no provenance: stored before it was kept, counted as shown); its exposure arrives first.
      const q2 = newQuery({ userId: u1, ...tag("shown"), sources: [source(1, A, 1), source(2, B, 2)] });
      const twice = click(u1, "shown", q1.id, B);
      await store().recordEvents([
        exposure(u1, "shown", q2.id, "pv0", 1, [
          { url: A, rank: 1, visibleMs: 0 },
          { url: B, rank: 2, visibleMs: 50 },
        ]),
      ]);
      await store().recordQuery(q2);
      await store().recordEvents([
        twice,
        click(u1, "shown", q1.id, I),
        click(u1, "shown", q2.id, "https://elsewhere.example/"),
        // Running totals: B is seen in page view 1's second summary; A and I never (visibleMs 0).
        exposure(u1, "shown", q1.id, "pv1", 1, [
          { url: B, rank: 1, visibleMs: 0 },
          { url: I, rank: 2, visibleMs: 0 },
          { url: A, rank: 3, visibleMs: 0 },
        ]),
        exposure(u1, "shown", q1.id, "pv1", 2, [
          { url: B, rank: 1, visibleMs: 500 },
          { url: I, rank: 2, visibleMs: 0 },
          { url: A, rank: 3, visibleMs: 0 },
        ]),
        exposure(u1, "shown", q1.id, "pv2", 1, [
          { url: B, rank: 1, visibleMs: 200 },
          { url: A, rank: 3, visibleMs: 0 },
        ]),
        // A at a rank it was not shown at with q1: not q1's A.
        exposure(u1, "shown", q1.id, "pv2", 2, [{ url: A, rank: 1, visibleMs: 100 }]),
      ]);
      // The /out copy of the same click: one stored click.
      await store().recordEvents([{ ...twice }]);

      // The hidden condition's answer has sources, clicked (a marker) and listed, but none shown.
      const q3 = newQuery({
        userId: u2,
        ...tag("hidden"),
        sources: [source(1, A, 1)],
        provenance: { ...PROVENANCE, sourcesShown: false },
      });
      await store().recordQuery(q3);
      await store().recordEvents([
        click(u2, "hidden", q3.id, A),
        exposure(u2, "hidden", q3.id, "pv3", 1, [{ url: A, rank: 1, visibleMs: 10 }]),
      ]);

      // u3's answer counts until they withdraw.
      const q4 = newQuery({
        userId: u3,
        ...tag("shown"),
        sources: [source(1, A, 1)],
        provenance: { ...PROVENANCE, sourcesShown: true },
      });
      await store().recordQuery(q4);
      await store().recordEvents([
        click(u3, "shown", q4.id, A),
        exposure(u3, "shown", q4.id, "pv4", 1, [{ url: A, rank: 1, visibleMs: 30 }]),
      ]);

      const counts = (rank: number, shown: number, seen: number, clicked: number, seenClicked: number) => ({
        rank,
        shown,
        seen,
        clicked,
        seenClicked,
      });
      expect(await store().studyClickThrough(studyId)).toEqual([
        {
          condition: "shown",
          shown: 6,
          seen: 3,
          clicked: 3,
          seenClicked: 2,
          byDisplayedRank: [counts(1, 3, 2, 2, 2), counts(2, 2, 1, 1, 0), counts(3, 1, 0, 0, 0)],
          byOriginalRank: [counts(1, 3, 1, 1, 1), counts(2, 2, 2, 1, 1)],
        },
      ]);

      await store().withdrawParticipant(u3, newWithdrawal({ studyId, condition: "shown" }));
      expect(await store().studyClickThrough(studyId)).toEqual([
        {
          condition: "shown",
          shown: 5,
          seen: 2,
          clicked: 2,
          seenClicked: 1,
          byDisplayedRank: [counts(1, 2, 1, 1, 1), counts(2, 2, 1, 1, 0), counts(3, 1, 0, 0, 0)],
          byOriginalRank: [counts(1, 2, 0, 0, 0), counts(2, 2, 2, 1, 1)],
        },
      ]);

      // Exposure per listed (rank, URL): per page view the highest visibleMs, summed over page views.
      const byKey = (list: SourceExposure[]) =>
        [...list].sort((a, b) =>
          `${a.queryId} ${a.rank} ${a.url}`.localeCompare(`${b.queryId} ${b.rank} ${b.url}`),
        );
      expect(byKey(await store().sourceExposure([q1.id, q2.id, q3.id, q4.id], null))).toEqual(
        byKey([
          { queryId: q1.id, rank: 1, url: B, visibleMs: 700 },
          { queryId: q1.id, rank: 2, url: I, visibleMs: 0 },
          { queryId: q1.id, rank: 3, url: A, visibleMs: 0 },
          { queryId: q1.id, rank: 1, url: A, visibleMs: 100 },
          { queryId: q2.id, rank: 1, url: A, visibleMs: 0 },
          { queryId: q2.id, rank: 2, url: B, visibleMs: 50 },
          { queryId: q3.id, rank: 1, url: A, visibleMs: 10 },
        ]),
      );
      expect(await store().sourceExposure([q1.id], "2000-01-01T00:00:00.000Z")).toEqual([]);
      expect(await store().sourceExposure([], null)).toEqual([]);
    });
  });
}
