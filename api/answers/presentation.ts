import type { AnswerPresentation, ShownSource, Source } from "../domain/records";
import type { QueryRecord } from "../store/store";
import type { Condition } from "../studies/definition";
import { rewriteMarkers } from "./markers";

/** The settings of a condition that decide how its answers are shown. */
export type PresentationSettings = Pick<
  Condition,
  "showSources" | "sources" | "citations" | "hiddenMarkers" | "answerLinks"
>;

/** Outside a study (the open chat): sources as the model ranked them, numbered markers, links. */
export const OPEN_CHAT_PRESENTATION: PresentationSettings = {
  showSources: true,
  sources: { order: "model" },
  citations: "numbered",
  hiddenMarkers: "strip",
  answerLinks: "links",
};

export type Presented = {
  /** The answer's text as the participant sees it (markers renumbered or removed); null with no text. */
  text: string | null;
  /** The sources in the order shown, each with its displayed and original rank. */
  sources: ShownSource[];
  presentation: AnswerPresentation;
};

type Draw = {
  /** The participant's arrival number in the study (latin-square rotation); null outside a study. */
  arrival: number | null;
  /** A uniform number in [0, 1), for order "random". */
  random: () => number;
};

/** The model's sources (indexes into them) in the condition's order; `rotation` for latin-square. */
function ordered(settings: PresentationSettings, count: number, draw: Draw) {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const { order, permutation } = settings.sources;
  switch (order) {
    case "model":
      return { indexes, rotation: null };
    case "reversed":
      return { indexes: indexes.reverse(), rotation: null };
    case "random":
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(draw.random() * (i + 1));
        [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
      }
      return { indexes, rotation: null };
    case "fixed": {
      // The permutation's numbers that exist, then any further sources in the model's order.
      const listed = (permutation ?? []).map((n) => n - 1).filter((i) => i < count);
      return { indexes: [...listed, ...indexes.filter((i) => !listed.includes(i))], rotation: null };
    }
    case "latin-square": {
      // Row r of the cyclic Latin square: position p shows source (p + r) mod k, so over k
      // consecutive arrivals each source is shown at each position once.
      const rotation = count === 0 ? 0 : (draw.arrival ?? 0) % count;
      return { indexes: indexes.map((i) => (i + rotation) % count), rotation };
    }
  }
}

/**
 * An answer as the participant's condition shows it: its sources reordered,
 * cut to the top `limit`, with the injected source at its position, ranked
 * 1..n as shown; its markers renumbered to the rank shown of the source they
 * cite, removed when that source is not shown (cut by `limit`, or a marker
 * that cites no source), all removed for `citations: "list-only"` and, with
 * the sources hidden, removed or kept as plain text (`hiddenMarkers`).
 */
export function presentAnswer(
  text: string | null,
  modelSources: Source[],
  settings: PresentationSettings,
  draw: Draw,
): Presented {
  const { inject, limit } = settings.sources;
  const { indexes, rotation } = ordered(settings, modelSources.length, draw);
  const picked: ShownSource[] = indexes
    .map((i) => modelSources[i] as Source)
    .filter((s) => s.url !== inject?.url)
    .slice(0, limit)
    .map((s) => ({ ...s, originalRank: s.rank, injected: false }));
  if (inject) {
    const at = Math.min(inject.position, picked.length + 1) - 1;
    const { title, url, content } = inject;
    picked.splice(at, 0, {
      rank: 0,
      title,
      url,
      content: content ?? null,
      originalRank: null,
      injected: true,
    });
  }
  const sources = picked.map((s, i) => ({ ...s, rank: i + 1 }));

  const markers: AnswerPresentation["markers"] = !settings.showSources
    ? settings.hiddenMarkers === "text"
      ? "text"
      : "removed"
    : settings.citations === "list-only"
      ? "removed"
      : "linked";
  const shownRank = new Map(
    sources.flatMap((s) => (s.originalRank === null ? [] : [[s.originalRank, s.rank]])),
  );
  const displayed =
    text === null || markers === "text"
      ? text
      : rewriteMarkers(text, (n) => (markers === "linked" ? (shownRank.get(n) ?? null) : null));

  return {
    text: displayed,
    sources,
    presentation: {
      sourcesShown: settings.showSources,
      order: settings.sources.order,
      permutation: settings.sources.permutation ?? null,
      rotation,
      limit: limit ?? null,
      inject: inject ? { position: inject.position, url: inject.url } : null,
      citations: settings.citations,
      markers,
      answerLinks: settings.answerLinks,
    },
  };
}

/** How a record stored before provenance was kept (migration 0004) was shown: as the model gave it. */
const AS_THE_MODEL_GAVE_IT: Pick<AnswerPresentation, "sourcesShown" | "markers" | "answerLinks"> = {
  sourcesShown: true,
  markers: "linked",
  answerLinks: "links",
};

/** How a stored answer is shown: as its condition decided when it was stored. */
export const displayOf = (r: Pick<QueryRecord, "provenance">) => r.provenance ?? AS_THE_MODEL_GAVE_IT;
