import { describe, expect, it } from "vitest";
import type { NewQuery, Provenance } from "../../api/store/store";
import { type GetStore, newQuery, newWithdrawal, uid } from "./shared";

/**
 * answerProvenance: a study's answers counted by what produced them, from
 * answers written with the store's own operations, and kept right when a
 * withdrawal deletes some.
 */

const PROVENANCE: Provenance = {
  provider: "openai",
  endpoint: "openrouter.ai",
  requestedModel: "gpt-test",
  systemPromptHash: "a".repeat(64),
  parameters: { temperature: 0.3 },
  sourcesShown: true,
  order: "model",
  permutation: null,
  rotation: null,
  limit: null,
  inject: null,
  citations: "numbered",
  markers: "linked",
  answerLinks: "links",
  studyHash: "b".repeat(64),
};

export function describeAnswerProvenance(store: GetStore): void {
  describe("answerProvenance", () => {
    it("is empty for a study without answers", async () => {
      expect(await store().answerProvenance(uid("study"))).toEqual([]);
    });

    it("counts answers per condition, study version, hash, provider, models, prompt and parameters", async () => {
      const studyId = uid("study");
      const u1 = uid("u1");
      const u2 = uid("u2");
      const u3 = uid("u3");
      const ask = (userId: string, condition: string | null, fields: Partial<NewQuery> = {}) =>
        store().recordQuery(
          newQuery({ userId, studyId, condition, studyVersion: 1, provenance: PROVENANCE, ...fields }),
        );
      await ask(u1, "a", { model: "gpt-test-1" });
      await ask(u1, "a", { model: "gpt-test-1" });
      await ask(u2, "a", { model: "gpt-test-1" });
      // The prompt changed in version 2.
      const v2 = { ...PROVENANCE, systemPromptHash: "c".repeat(64), studyHash: "d".repeat(64) };
      await ask(u2, "a", { model: "gpt-test-1", studyVersion: 2, provenance: v2 });
      // Another temperature, another answering model.
      await ask(u3, "b", {
        model: "gpt-test-1",
        provenance: { ...PROVENANCE, parameters: { temperature: 1 } },
      });
      await ask(u3, "b", { model: "gpt-test-2" });
      // Stored before provenance was recorded.
      await ask(u3, "b", { model: "old-model", provenance: null });
      // Not counted: outside a condition, or another study's.
      await ask(u3, null);
      await store().recordQuery(
        newQuery({
          userId: u1,
          studyId: uid("study"),
          condition: "a",
          studyVersion: 1,
          provenance: PROVENANCE,
        }),
      );

      const row = (fields: Record<string, unknown>) => ({
        studyVersion: 1,
        studyHash: PROVENANCE.studyHash,
        provider: "openai",
        requestedModel: "gpt-test",
        model: "gpt-test-1",
        systemPromptHash: PROVENANCE.systemPromptHash,
        parameters: { temperature: 0.3 },
        ...fields,
      });
      const expected = [
        row({ condition: "a", answers: 3 }),
        row({
          condition: "a",
          studyVersion: 2,
          studyHash: v2.studyHash,
          systemPromptHash: v2.systemPromptHash,
          answers: 1,
        }),
        // b, version 1: one each; among equal counts any order.
        row({ condition: "b", parameters: { temperature: 1 }, answers: 1 }),
        row({ condition: "b", model: "gpt-test-2", answers: 1 }),
        row({
          condition: "b",
          studyHash: null,
          provider: null,
          requestedModel: null,
          model: "old-model",
          systemPromptHash: null,
          parameters: null,
          answers: 1,
        }),
      ];
      const rows = await store().answerProvenance(studyId);
      expect(rows.slice(0, 2)).toEqual(expected.slice(0, 2));
      expect(rows.slice(2)).toEqual(expect.arrayContaining(expected.slice(2)));
      expect(rows).toHaveLength(expected.length);

      // A withdrawal takes u2's answers away: one fewer in the first row, and version 2's row goes.
      await store().withdrawParticipant(u2, newWithdrawal({ studyId, condition: "a" }));
      const after = await store().answerProvenance(studyId);
      expect(after.filter((r) => r.condition === "a")).toEqual([row({ condition: "a", answers: 2 })]);
      expect(after.filter((r) => r.condition === "b")).toHaveLength(3);
    });
  });
}
