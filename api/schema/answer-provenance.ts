import { builder } from "../builder";
import type { AnswerProvenanceCount } from "../store/store";
import { StudyMonitorRef } from "./monitor";

/** The monitor's answers by what produced them (Store.answerProvenance): researchers only, as the monitor is. */

const AnswerProvenanceCountRef = builder.objectRef<AnswerProvenanceCount>("AnswerProvenanceCount").implement({
  description:
    "How many of a study's answers one combination of condition, study version, provider, model, system prompt and parameters produced (QueryRecord.provenance). More than one row for a condition: its answers were not all produced alike.",
  fields: (t) => ({
    condition: t.exposeString("condition", { description: "The condition's id." }),
    studyVersion: t.exposeInt("studyVersion", {
      nullable: true,
      description: "The study version the answers were given in.",
    }),
    studyHash: t.exposeString("studyHash", {
      nullable: true,
      description:
        "SHA-256 of the study file as deployed (Study.definitionHash); null for answers stored before provenance was recorded, as are the provider, requested model, prompt hash and parameters.",
    }),
    provider: t.exposeString("provider", { nullable: true, description: "openai or scripted." }),
    requestedModel: t.exposeString("requestedModel", { nullable: true, description: "The model asked for." }),
    model: t.exposeString("model", { description: "The model the provider says answered." }),
    systemPromptHash: t.exposeString("systemPromptHash", {
      nullable: true,
      description: "SHA-256 of the system prompt sent; null when none was sent.",
    }),
    parameters: t.field({
      type: "JSON",
      nullable: true,
      description: "The generation parameters sent (temperature; tokenDelayMs for scripted answers).",
      resolve: (p) => p.parameters,
    }),
    answers: t.exposeInt("answers", { description: "Answers produced so." }),
  }),
});

builder.objectField(StudyMonitorRef, "provenance", (t) =>
  t.field({
    type: [AnswerProvenanceCountRef],
    description:
      "The study's answers counted by what produced them: by condition, then study version, then the most answers first.",
    resolve: (m, _args, ctx) => ctx.store.answerProvenance(m.study.id),
  }),
);
