import { builder } from "../builder";
import {
  type ConversionCount,
  type DepthBucket,
  type DurationBucket,
  QUESTIONS_AT_LEAST,
  type QuestionCount,
  type ScrollDepth,
  type TimeOnTask,
} from "../store/store";
import { ConditionMonitorRef } from "./monitor";

/** The monitor's participant measures per condition (Store.studyMeasures; docs/research.md, Measures). */

const DurationBucketRef = builder.objectRef<DurationBucket>("DurationBucket").implement({
  description: "Finished participants whose time on task falls in [fromMs, toMs).",
  fields: (t) => ({
    fromMs: t.exposeFloat("fromMs", { description: "The bucket's start in ms (inclusive)." }),
    toMs: t.exposeFloat("toMs", {
      nullable: true,
      description: "The bucket's end in ms (exclusive); null for the last bucket, which has no end.",
    }),
    participants: t.exposeInt("participants", { description: "Finished participants in the bucket." }),
  }),
});

const TimeOnTaskRef = builder.objectRef<TimeOnTask>("TimeOnTask").implement({
  description: "Time from consent (the assignment) to finishing the study, over the finished participants.",
  fields: (t) => ({
    finished: t.exposeInt("finished", { description: "Participants who finished (the durations counted)." }),
    medianMs: t.exposeFloat("medianMs", {
      nullable: true,
      description:
        "Exact median time on task in ms (even count: mean of the two middle values); null while nobody finished.",
    }),
    buckets: t.field({
      type: [DurationBucketRef],
      description:
        "A histogram of the times: 0, 30 s, 1, 2, 5, 10, 15, 20, 30, 45 min, 1, 1.5 and 2 h onwards; empty buckets too.",
      resolve: (x) => x.buckets,
    }),
  }),
});

const QuestionCountRef = builder.objectRef<QuestionCount>("QuestionCount").implement({
  description: "Consented participants by how many questions (messages) they sent in the study.",
  fields: (t) => ({
    questions: t.exposeInt("questions", { description: "The number of questions." }),
    atLeast: t.exposeBoolean("atLeast", {
      description: `True for the last entry, which counts participants with at least \`questions\` (${QUESTIONS_AT_LEAST}) questions.`,
    }),
    participants: t.exposeInt("participants", { description: "Consented participants with that many." }),
  }),
});

const DepthBucketRef = builder.objectRef<DepthBucket>("DepthBucket").implement({
  description: "Participants whose deepest scroll depth falls in [from, to) (the last bucket includes 1).",
  fields: (t) => ({
    from: t.exposeFloat("from", { description: "The bucket's start (inclusive), 0 to 0.9." }),
    to: t.exposeFloat("to", {
      description: "The bucket's end (exclusive, except 1 for the last), 0.1 to 1.",
    }),
    participants: t.exposeInt("participants", { description: "Participants in the bucket." }),
  }),
});

const ScrollDepthRef = builder.objectRef<ScrollDepth>("ScrollDepth").implement({
  description:
    "Each consented participant's deepest extraData.scrollDepth (a number 0 to 1) over their SCROLL events.",
  fields: (t) => ({
    participants: t.exposeInt("participants", {
      description: "Participants with at least one SCROLL event with a scrollDepth (those in the buckets).",
    }),
    buckets: t.field({
      type: [DepthBucketRef],
      description: "10 buckets of width 0.1, from 0 to 1; empty buckets too.",
      resolve: (x) => x.buckets,
    }),
  }),
});

const ConversionCountRef = builder.objectRef<ConversionCount>("ConversionCount").implement({
  description: "CONVERSION events of consented participants with one extraData.label.",
  fields: (t) => ({
    label: t.exposeString("label", { description: "The label (the element's data-study-target)." }),
    events: t.exposeInt("events", { description: "CONVERSION events with this label." }),
    participants: t.exposeInt("participants", { description: "Distinct participants who sent them." }),
  }),
});

builder.objectFields(ConditionMonitorRef, (t) => ({
  timeOnTask: t.field({
    type: TimeOnTaskRef,
    description: "Time on task (consent to finish) of its finished participants.",
    resolve: (c) => c.timeOnTask,
  }),
  questionsPerParticipant: t.field({
    type: [QuestionCountRef],
    description: `Its consented participants by questions sent: 0 to ${QUESTIONS_AT_LEAST - 1}, then at least ${QUESTIONS_AT_LEAST}; every entry, 0 included.`,
    resolve: (c) => c.questionsPerParticipant,
  }),
  scrollDepth: t.field({
    type: ScrollDepthRef,
    description: "The distribution of its participants' deepest scroll depth.",
    resolve: (c) => c.scrollDepth,
  }),
  conversions: t.field({
    type: [ConversionCountRef],
    description: "Its participants' CONVERSION events per label, by label.",
    resolve: (c) => c.conversions,
  }),
}));
