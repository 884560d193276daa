import { builder } from "../builder";
import { idSchema } from "../domain/validation";
import { type ConditionBalance, type StudyMonitorView, studyMonitor } from "../studies/monitor";
import { requireResearcher } from "./researcher";
import { StudyRef } from "./studies";

/** The live monitor of a study (docs/research.md): researchers only. */

export const ConditionMonitorRef = builder.objectRef<ConditionBalance>("ConditionMonitor").implement({
  description:
    "One condition of a study's monitor: participants by state, answers, and balance against its weight.",
  fields: (t) => ({
    condition: t.exposeString("condition", { description: "The condition's id." }),
    inDefinition: t.exposeBoolean("inDefinition", {
      description:
        "False for a condition that stored records name but the deployed definition no longer has.",
    }),
    weight: t.exposeFloat("weight", { nullable: true, description: "Its weight in the definition." }),
    targetShare: t.exposeFloat("targetShare", {
      nullable: true,
      description: "Its weight over the sum of the weights (0 to 1).",
    }),
    share: t.exposeFloat("share", {
      nullable: true,
      description: "Its share of the study's consented participants (0 to 1); null while there are none.",
    }),
    consented: t.exposeInt("consented", {
      description: "Participants assigned to it (withdrawn ones excluded).",
    }),
    inProgress: t.exposeInt("inProgress", { description: "Of them, those who have not finished." }),
    finished: t.exposeInt("finished", { description: "Of them, those who finished." }),
    withdrawn: t.exposeInt("withdrawn", { description: "Withdrawals in the audit with this condition." }),
    answers: t.exposeInt("answers", { description: "Answers stored in it (failed and stopped ones too)." }),
    answering: t.exposeInt("answering", { description: "Participants with at least one answer." }),
    answersPerParticipant: t.exposeFloat("answersPerParticipant", {
      nullable: true,
      description: "answers / consented; null while nobody consented.",
    }),
    failures: t.exposeInt("failures", { description: "Answers with an error (the LLM failed)." }),
    stopped: t.exposeInt("stopped", { description: "Answers the participant stopped." }),
    medianLatencyMs: t.exposeFloat("medianLatencyMs", {
      nullable: true,
      description:
        "Median latency of its answers in ms (even count: mean of the two middle values); null: none.",
    }),
    medianTtftMs: t.exposeFloat("medianTtftMs", {
      nullable: true,
      description: "Median time to first token of its streamed answers in ms (same rule); null: none.",
    }),
  }),
});

const MonitorHourRef = builder
  .objectRef<{ hour: string; answers: number; events: number }>("MonitorHour")
  .implement({
    description: "Activity in one hour (UTC).",
    fields: (t) => ({
      hour: t.exposeString("hour", { description: "The hour, as 2026-01-31T13 (UTC)." }),
      answers: t.exposeInt("answers", { description: "Answers stored in it." }),
      events: t.exposeInt("events", { description: "Events stored in it." }),
    }),
  });

const StudyMonitorRef = builder.objectRef<StudyMonitorView>("StudyMonitor").implement({
  description: "A study's live monitor, counted by the store.",
  fields: (t) => ({
    study: t.field({ type: StudyRef, description: "The study.", resolve: (m) => m.study }),
    consentShown: t.exposeInt("consentShown", {
      description: "Participants shown the consent page (distinct; before any assignment).",
    }),
    consentDeclined: t.exposeInt("consentDeclined", { description: "Participants who declined (distinct)." }),
    consented: t.exposeInt("consented", { description: "Participants assigned, over all conditions." }),
    withdrawnUnassigned: t.exposeInt("withdrawnUnassigned", {
      description: "Withdrawals of participants who had no assignment yet.",
    }),
    duplicatePanelIds: t.exposeInt("duplicatePanelIds", {
      description: "Panel participant ids (PROLIFIC_PID) carried by more than one participant of the study.",
    }),
    conditions: t.field({
      type: [ConditionMonitorRef],
      description: "Every condition of the definition in its order, then any only stored records name.",
      resolve: (m) => m.conditions,
    }),
    activity: t.field({
      type: [MonitorHourRef],
      description: "Answers and events per hour, oldest first: the latest 168 hours with any.",
      resolve: (m) => m.activity,
    }),
  }),
});

builder.queryField("studyMonitor", (t) =>
  t.field({
    type: StudyMonitorRef,
    description:
      "A study's live monitor: researchers only (a researcher token, or the site's researcher session), else UNAUTHENTICATED; NOT_FOUND for a study this deployment does not have.",
    args: { studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }) },
    resolve: (_root, args, ctx) => {
      requireResearcher(ctx, "The study monitor");
      return studyMonitor(ctx, String(args.studyId));
    },
  }),
);
