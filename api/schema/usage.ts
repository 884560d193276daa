import { builder } from "../builder";
import type { TokenUsage } from "../domain/records";

/** An answer's token usage, as the provider reported it (QueryRecord.usage). */
export const TokenUsageRef = builder.objectRef<TokenUsage>("TokenUsage").implement({
  description:
    "The tokens the provider reported for one answer (OpenAI's usage object). Never estimated: a count the provider left out is null.",
  fields: (t) => ({
    promptTokens: t.exposeInt("promptTokens", {
      nullable: true,
      description: "Tokens of the prompt sent (system prompt, history and message).",
    }),
    completionTokens: t.exposeInt("completionTokens", {
      nullable: true,
      description: "Tokens of the answer the model generated.",
    }),
    totalTokens: t.exposeInt("totalTokens", {
      nullable: true,
      description: "Prompt and completion tokens together, as the provider counted them.",
    }),
  }),
});
