import { builder } from "../builder";
import type { Source } from "../store/store";

export const SourceRef = builder.objectRef<Source>("Source").implement({
  description: "A source that an answer cites.",
  fields: (t) => ({
    rank: t.exposeInt("rank", { description: "1-based position in the answer's source list." }),
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
