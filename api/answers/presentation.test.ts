import { describe, expect, it } from "vitest";
import type { Source } from "../domain/records";
import { conditionSchema } from "../studies/definition";
import { rewriteMarkers } from "./markers";
import { presentAnswer } from "./presentation";

const source = (rank: number): Source => ({
  rank,
  title: `Source ${rank}`,
  url: `https://s${rank}.example/`,
  content: null,
});
const FOUR = [1, 2, 3, 4].map(source);
const TEXT = "One [1]. Two [2]. Three [3]. Four [4].";

/** A condition's presentation settings as a study file would give them (defaults applied). */
const settings = (fields: Record<string, unknown>) => conditionSchema.parse({ id: "c", ...fields });
const draw = { arrival: null, random: Math.random };
const present = (fields: Record<string, unknown>, arrival: number | null = null, text = TEXT) =>
  presentAnswer(text, FOUR, settings(fields), { ...draw, arrival });
const originals = (p: ReturnType<typeof present>) => p.sources.map((s) => s.originalRank);

describe("presentAnswer: source order", () => {
  it("model: as returned; markers keep their numbers", () => {
    const p = present({});
    expect(originals(p)).toEqual([1, 2, 3, 4]);
    expect(p.sources.map((s) => s.rank)).toEqual([1, 2, 3, 4]);
    expect(p.text).toBe(TEXT);
    expect(p.presentation).toMatchObject({ order: "model", markers: "linked", sourcesShown: true });
  });

  it("reversed: the markers follow their sources to the ranks shown", () => {
    const p = present({ sources: { order: "reversed" } });
    expect(originals(p)).toEqual([4, 3, 2, 1]);
    expect(p.text).toBe("One [4]. Two [3]. Three [2]. Four [1].");
  });

  it("fixed: the permutation; sources beyond it follow in the model's order", () => {
    const p = present({ sources: { order: "fixed", permutation: [3, 1, 2] } });
    expect(originals(p)).toEqual([3, 1, 2, 4]);
    expect(p.text).toBe("One [2]. Two [3]. Three [1]. Four [4].");
    expect(p.presentation.permutation).toEqual([3, 1, 2]);
    // Fewer sources than the permutation names: the missing numbers are skipped.
    const two = presentAnswer(
      "A [1] B [2]",
      FOUR.slice(0, 2),
      settings({ sources: { order: "fixed", permutation: [3, 2, 1] } }),
      draw,
    );
    expect(two.sources.map((s) => s.originalRank)).toEqual([2, 1]);
    expect(two.text).toBe("A [2] B [1]");
  });

  it("random: a permutation drawn per answer, recorded in the ranks", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const p = present({ sources: { order: "random" } });
      expect([...originals(p)].sort()).toEqual([1, 2, 3, 4]);
      // The markers say the rank shown of the source they cite.
      const shownOf = new Map(p.sources.map((s) => [s.originalRank, s.rank]));
      expect(p.text).toBe(
        `One [${shownOf.get(1)}]. Two [${shownOf.get(2)}]. Three [${shownOf.get(3)}]. Four [${shownOf.get(4)}].`,
      );
      seen.add(originals(p).join());
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it("latin-square: over k arrivals each source is at each position once", () => {
    const positions = FOUR.map(() => new Set<number>());
    for (let arrival = 0; arrival < 4; arrival++) {
      const p = present({ sources: { order: "latin-square" } }, arrival);
      expect(p.presentation.rotation).toBe(arrival);
      for (const s of p.sources) positions[(s.originalRank ?? 0) - 1]?.add(s.rank);
    }
    expect(positions.map((p) => [...p].sort())).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    // Arrival 5 repeats arrival 1's row.
    expect(originals(present({ sources: { order: "latin-square" } }, 5))).toEqual(
      originals(present({ sources: { order: "latin-square" } }, 1)),
    );
  });
});

describe("presentAnswer: limit and inject", () => {
  it("limit: the top k are shown; markers of the others disappear with the space before them", () => {
    const p = present({ sources: { order: "reversed", limit: 2 } });
    expect(originals(p)).toEqual([4, 3]);
    expect(p.text).toBe("One. Two. Three [2]. Four [1].");
  });

  it("inject: the study's source at its position, the others move down; no model rank", () => {
    const inject = { position: 2, title: "Ours", url: "https://ours.example/", content: "Our snippet." };
    const p = present({ sources: { inject } });
    expect(p.sources.map((s) => [s.rank, s.originalRank, s.injected, s.url])).toEqual([
      [1, 1, false, "https://s1.example/"],
      [2, null, true, "https://ours.example/"],
      [3, 2, false, "https://s2.example/"],
      [4, 3, false, "https://s3.example/"],
      [5, 4, false, "https://s4.example/"],
    ]);
    expect(p.text).toBe("One [1]. Two [3]. Three [4]. Four [5].");
    expect(p.presentation.inject).toEqual({ position: 2, url: "https://ours.example/" });
    // Past the end it goes last; the model's own copy of the same URL is dropped.
    const last = present({
      sources: { limit: 1, inject: { ...inject, position: 9, url: "https://s1.example/" } },
    });
    expect(last.sources.map((s) => [s.originalRank, s.injected])).toEqual([
      [2, false],
      [null, true],
    ]);
  });
});

describe("presentAnswer: markers by condition", () => {
  it("list-only: every marker removed, the list kept", () => {
    const p = present({ citations: "list-only" });
    expect(p.text).toBe("One. Two. Three. Four.");
    expect(p.sources).toHaveLength(4);
    expect(p.presentation.markers).toBe("removed");
  });

  it("sources hidden: markers stripped by default, or kept as the model wrote them", () => {
    const stripped = present({ showSources: false, sources: { order: "reversed" } });
    expect(stripped.text).toBe("One. Two. Three. Four.");
    expect(stripped.presentation).toMatchObject({ sourcesShown: false, markers: "removed" });
    const kept = present({ showSources: false, hiddenMarkers: "text", sources: { order: "reversed" } });
    expect(kept.text).toBe(TEXT);
    expect(kept.presentation.markers).toBe("text");
  });

  it("a marker citing no source is removed; a stopped answer with no sources loses all its markers", () => {
    expect(present({}, null, "Real [2], made up [9].").text).toBe("Real [2], made up.");
    const stopped = presentAnswer("Half an answer [1]", [], settings({}), draw);
    expect(stopped.text).toBe("Half an answer");
    expect(presentAnswer(null, FOUR, settings({}), draw).text).toBeNull();
  });
});

describe("rewriteMarkers", () => {
  it("touches markers of the text only: not code, not link text or URLs, not escaped ones", () => {
    const md = "A [1] `code [1]` [see [1]](https://x.example/[1]) \\[1] **bold [1]**\n\n```\nblock [1]\n```";
    expect(rewriteMarkers(md, () => 7)).toBe(
      "A [7] `code [1]` [see [1]](https://x.example/[1]) \\[1] **bold [7]**\n\n```\nblock [1]\n```",
    );
  });

  it("keeps everything else byte for byte", () => {
    const md = "# Title\n\n- *item* [2]\n- &amp; [3]\n\n> quote [1]";
    expect(rewriteMarkers(md, (n) => n)).toBe(md);
    expect(rewriteMarkers(md, () => null)).toBe("# Title\n\n- *item*\n- &amp;\n\n> quote");
  });
});
