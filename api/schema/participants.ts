import { z } from "zod";
import { builder } from "../builder";
import { idSchema } from "../domain/validation";
import {
  type ListedParticipant,
  type ListedParticipantPage,
  MAX_PARTICIPANTS_PAGE,
  studyParticipants,
} from "../studies/participant-list";
import { requireResearcher } from "./researcher";
import { SignalSummaryRef } from "./signals";
import { AssignmentRef } from "./studies";

/** A study's participants, the latest consent first, for the monitor: researchers only. */

const StudyParticipantRef = builder.objectRef<ListedParticipant>("StudyParticipant").implement({
  description: "A participant of a study (their assignment) with their answers and source clicks.",
  fields: (t) => ({
    assignment: t.field({
      type: AssignmentRef,
      description: "Their assignment: condition, panel id, consent and finish times.",
      resolve: (p) => p.assignment,
    }),
    answers: t.exposeInt("answers", { description: "Their answers (queries) in the study." }),
    sourceClicks: t.exposeInt("sourceClicks", {
      description: "Their CLICK events on an answer's links and sources in the study.",
    }),
    inputSignals: t.field({
      type: SignalSummaryRef,
      nullable: true,
      description:
        "Their messages' input signals summed, with the flags they raise (a study with botSignals on); null when none were recorded.",
      resolve: (p) => p.inputSignals,
    }),
    cursor: t.exposeString("cursor", {
      description: "Continue after this participant (the `after` argument).",
    }),
  }),
});

const StudyParticipantPageRef = builder.objectRef<ListedParticipantPage>("StudyParticipantPage").implement({
  description: "One page of a study's participants.",
  fields: (t) => ({
    participants: t.field({
      type: [StudyParticipantRef],
      description: "The latest consent first.",
      resolve: (p) => p.rows,
    }),
    hasNextPage: t.exposeBoolean("hasNextPage", { description: "True when earlier participants follow." }),
  }),
});

builder.queryField("studyParticipants", (t) =>
  t.field({
    type: StudyParticipantPageRef,
    description:
      "A study's participants (their assignments; withdrawn ones are gone), the latest consent first, with their answers and source clicks. Researchers only, else UNAUTHENTICATED; NOT_FOUND for a study the deployment does not have.",
    args: {
      studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }),
      first: t.arg.int({
        defaultValue: 200,
        description: `Page size, 1 to ${MAX_PARTICIPANTS_PAGE}.`,
        validate: z
          .number()
          .int()
          .min(1, `first must be from 1 to ${MAX_PARTICIPANTS_PAGE}`)
          .max(MAX_PARTICIPANTS_PAGE, `first must be from 1 to ${MAX_PARTICIPANTS_PAGE}`)
          .nullish(),
      }),
      after: t.arg.string({
        description: "Continue after this participant's cursor (an earlier page's last).",
      }),
    },
    resolve: (_root, args, ctx) => {
      requireResearcher(ctx, "studyParticipants");
      return studyParticipants(ctx, String(args.studyId), args.first ?? 200, args.after ?? null);
    },
  }),
);
