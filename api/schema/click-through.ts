import { builder } from "../builder";
import type { ClickThrough, RankClickThrough } from "../store/store";
import { ConditionMonitorRef } from "./monitor";

/** The monitor's click-through per condition (docs/research.md#click-through). */

/** n / of; null when `of` is 0. */
const rate = (n: number, of: number): number | null => (of === 0 ? null : n / of);

const RankClickThroughRef = builder.objectRef<RankClickThrough>("RankClickThrough").implement({
  description: "Click-through of the sources shown at one rank.",
  fields: (t) => ({
    rank: t.exposeInt("rank", { description: "The rank (1 first)." }),
    shown: t.exposeInt("shown", { description: "Sources shown at this rank (one per answer)." }),
    seen: t.exposeInt("seen", {
      description: "Of them, those an exposure summary lists with visibleMs > 0.",
    }),
    clicked: t.exposeInt("clicked", { description: "Of them, those clicked at least once." }),
    seenClicked: t.exposeInt("seenClicked", { description: "Of them, those seen and clicked." }),
    clickRate: t.float({
      nullable: true,
      description: "clicked / shown; null when none was shown.",
      resolve: (r) => rate(r.clicked, r.shown),
    }),
    seenClickRate: t.float({
      nullable: true,
      description: "seenClicked / seen; null when none was seen.",
      resolve: (r) => rate(r.seenClicked, r.seen),
    }),
  }),
});

const ClickThroughRef = builder.objectRef<ClickThrough>("ClickThrough").implement({
  description:
    "Click-through of a condition's sources: shown (one per answer and displayed rank, none when the condition hides the list), seen (an exposure summary lists it with visibleMs > 0), clicked (a CLICK with the answer's queryId and the source's URL, as the `sources` download counts clicks).",
  fields: (t) => ({
    shown: t.exposeInt("shown", { description: "Sources shown with the condition's answers." }),
    seen: t.exposeInt("seen", { description: "Of them, those seen." }),
    clicked: t.exposeInt("clicked", { description: "Of them, those clicked at least once." }),
    seenClicked: t.exposeInt("seenClicked", { description: "Of them, those seen and clicked." }),
    byDisplayedRank: t.field({
      type: [RankClickThroughRef],
      description: "The same by the rank shown, ascending; only ranks with sources shown.",
      resolve: (c) => c.byDisplayedRank,
    }),
    byOriginalRank: t.field({
      type: [RankClickThroughRef],
      description:
        "The same by the rank the model gave, ascending (the position curve); injected sources have none and are left out.",
      resolve: (c) => c.byOriginalRank,
    }),
  }),
});

builder.objectFields(ConditionMonitorRef, (t) => ({
  clickThrough: t.field({
    type: ClickThroughRef,
    description: "Click-through of its sources, counted by the store (one read for every condition).",
    resolve: (c) => c.clickThrough(),
  }),
}));
