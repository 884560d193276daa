import { builder } from "../builder";
import type { OutcomeCount } from "../store/store";
import { ConditionMonitorRef } from "./monitor";

/** Outcomes in the monitor: how many of a condition's participants ended with each (Assignment.outcome). */

const OutcomeCountRef = builder.objectRef<OutcomeCount>("OutcomeCount").implement({
  description: "How many of a condition's participants ended with one outcome.",
  fields: (t) => ({
    outcome: t.exposeString("outcome", {
      description: "completed, timed-out, failed-attention-check, screened-out or the study's own outcome.",
    }),
    participants: t.exposeInt("participants", { description: "Participants who ended with it." }),
  }),
});

builder.objectField(ConditionMonitorRef, "outcomes", (t) =>
  t.field({
    type: [OutcomeCountRef],
    description:
      "Its finished participants by outcome, by outcome name (code-point order); only outcomes some participant ended with.",
    resolve: (c) => c.outcomes,
  }),
);
