import { builder } from "../builder";
import type { TokenUsage } from "../domain/records";
import type { TokenTotals } from "../store/store";
import { ConditionMonitorRef } from "./monitor";

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

/** A condition's token sums in the monitor (ConditionMonitor.tokens). */
const TokenTotalsRef = builder.objectRef<TokenTotals>("TokenTotals").implement({
  description:
    "The tokens a condition's answers used, summed from what the providers reported: answers without usage (scripted ones, or a provider that sends none) add nothing, a count missing from a report adds 0.",
  fields: (t) => ({
    answersWithUsage: t.exposeInt("answersWithUsage", {
      description: "Answers whose provider reported usage (the sums are over these).",
    }),
    promptTokens: t.exposeInt("promptTokens", { description: "Prompt tokens, summed." }),
    completionTokens: t.exposeInt("completionTokens", { description: "Completion tokens, summed." }),
    totalTokens: t.exposeInt("totalTokens", {
      description: "Total tokens as the providers counted them, summed.",
    }),
  }),
});

builder.objectField(ConditionMonitorRef, "tokens", (t) =>
  t.field({
    type: TokenTotalsRef,
    description: "The tokens its answers used, where the provider reported usage.",
    resolve: (c) => c.tokens,
  }),
);
