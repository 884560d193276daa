import { describe, expect, it } from "vitest";
import type { NewStudyDefinition } from "../../api/store/store";
import { type GetStore, uid } from "./shared";

/** A definition as a study file would have it: nested objects, arrays, numbers, Markdown, a "$" and a "." in keys. */
const definitionOf = (studyId: string, version: number, prompt: string) => ({
  id: studyId,
  version,
  title: "Ünïcode & <tags> \u2014 a title",
  consent: "## Consent\n\n- one\n- two",
  conditions: [
    { id: "a", weight: 0.5, llm: { provider: "openai", systemPrompt: prompt, temperature: 0.3 } },
    { id: "b", script: { rules: [{ pattern: "coffee|tea", answer: "Yes [1]." }], tokenDelayMs: 0 } },
  ],
  completion: { code: "C-1", minTurns: 1 },
  extra: { $odd: true, "dotted.key": [1, null, "x"] },
});

const entryOf = (
  studyId: string,
  version: number,
  hash: string,
  prompt = "Be brief.",
): NewStudyDefinition => ({
  studyId,
  version,
  hash,
  definition: definitionOf(studyId, version, prompt),
});

/** registerStudyDefinition, studyDefinitions: a study's definition as deployed, kept from its first use. */
export function describeStudyDefinitions(store: GetStore): void {
  describe("study definitions: registerStudyDefinition, studyDefinitions", () => {
    it("stores a new (study, version) and gives it back whole, with a first-seen time of now", async () => {
      const studyId = uid("defs");
      const entry = entryOf(studyId, 1, "a".repeat(64));
      const before = Date.now();
      const stored = await store().registerStudyDefinition(entry);
      expect(stored).toEqual({ ...entry, firstSeenAt: expect.any(String) });
      expect(stored.firstSeenAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Math.abs(Date.parse(stored.firstSeenAt) - before)).toBeLessThan(60_000);
      expect(await store().studyDefinitions(studyId)).toEqual([stored]);
    });

    it("keeps the first registration: another hash under the same version gets the first one back", async () => {
      const studyId = uid("defs");
      const first = await store().registerStudyDefinition(entryOf(studyId, 2, "1".repeat(64)));
      const again = await store().registerStudyDefinition(entryOf(studyId, 2, "2".repeat(64), "Changed."));
      expect(again).toEqual(first);
      expect(again.hash).toBe("1".repeat(64));
      expect(await store().studyDefinitions(studyId)).toEqual([first]);
    });

    it("a new version is a new entry; a study's entries are listed by version, every study's by study", async () => {
      const [a, b] = [uid("defs-a"), uid("defs-b")].sort();
      const a2 = await store().registerStudyDefinition(entryOf(a as string, 2, "c".repeat(64)));
      const a1 = await store().registerStudyDefinition(entryOf(a as string, 1, "d".repeat(64)));
      const b1 = await store().registerStudyDefinition(entryOf(b as string, 1, "e".repeat(64)));
      expect(await store().studyDefinitions(a as string)).toEqual([a1, a2]);
      const all = (await store().studyDefinitions(null)).filter((d) => d.studyId === a || d.studyId === b);
      expect(all).toEqual([a1, a2, b1]);
      expect(await store().studyDefinitions(uid("none"))).toEqual([]);
    });

    it("10 concurrent registrations of one (study, version) with different hashes store exactly one", async () => {
      const studyId = uid("defs");
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store().registerStudyDefinition(entryOf(studyId, 1, String(i).repeat(64), `prompt ${i}`)),
        ),
      );
      const [stored, ...more] = await store().studyDefinitions(studyId);
      expect(more).toEqual([]);
      for (const result of results) expect(result).toEqual(stored);
    });
  });
}
