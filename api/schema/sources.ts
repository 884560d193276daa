import { builder } from "../builder";
import type { ShownSource, Source } from "../store/store";

export const SourceRef = builder.objectRef<Source | ShownSource>("Source").implement({
  description: "A source that an answer cites.",
  fields: (t) => ({
    rank: t.exposeInt("rank", {
      description:
        "1-based position in the list: as shown to the participant (sources), or as the model gave it (modelSources).",
    }),
    originalRank: t.int({
      nullable: true,
      description: "Its rank as the model gave it; null for a source the study injected.",
      resolve: (s) => ("originalRank" in s ? s.originalRank : s.rank),
    }),
    injected: t.boolean({
      description: "True for a source the study's condition injected (sources.inject), not the model's.",
      resolve: (s) => "injected" in s && s.injected,
    }),
    title: t.exposeString("title", {
      description: "The source's title (its host and path when the provider gave none).",
    }),
    url: t.exposeString("url", { description: "The source's http(s) URL." }),
    content: t.exposeString("content", {
      nullable: true,
      description: "A short excerpt, where the provider gives one.",
    }),
  }),
});
