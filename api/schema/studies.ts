import { builder } from "../builder";
import type { Context } from "../context";
import { apiError, ErrorCode } from "../errors";
import type { Assignment } from "../store/store";
import type { ASSIGNMENT_MODES, Condition, Study } from "../studies/definition";
import { assignmentOf, enroll, studyOrError, studyTag } from "../studies/participants";
import { idSchema } from "../validation";

/**
 * Studies, as participants and researchers see them: what the study is, its
 * conditions (never a system prompt, a script or a key: a participant could
 * read them), and a participant's way through it: enrol (consent), finish
 * (the completion code), withdraw (their records deleted).
 */

const AssignmentModeRef = builder.enumType("AssignmentMode", {
  description: "How new participants are spread over the conditions.",
  values: {
    WEIGHTED: { value: "weighted", description: "At random, in proportion to the weights." },
    BALANCED: {
      value: "balanced",
      description:
        "The least-filled condition relative to its weight (ties at random), also under concurrent arrivals.",
    },
  } satisfies Record<Uppercase<(typeof ASSIGNMENT_MODES)[number]>, unknown>,
});

type ConditionView = { study: Study; condition: Condition };

const StudyConditionRef = builder.objectRef<ConditionView>("StudyCondition").implement({
  description: "One condition of a study, without its prompt or script.",
  fields: (t) => ({
    id: t.string({ description: "The condition's id, as records carry it.", resolve: (v) => v.condition.id }),
    description: t.string({
      nullable: true,
      description: "What the condition is, in the researcher's words.",
      resolve: (v) => v.condition.description ?? null,
    }),
    weight: t.float({ description: "Its share of new participants.", resolve: (v) => v.condition.weight }),
    provider: t.string({
      description: "The LLM provider that answers in it: openai or scripted.",
      resolve: (v, _args, ctx) => ctx.studies.llmFor(v.study, v.condition.id)?.name ?? "unknown",
    }),
    model: t.string({
      description: "The model that answers in it.",
      resolve: (v, _args, ctx) => ctx.studies.llmFor(v.study, v.condition.id)?.model ?? "unknown",
    }),
    showSources: t.boolean({
      description: "Whether participants see the answers' sources.",
      resolve: (v) => v.condition.showSources,
    }),
    maxTurns: t.int({
      nullable: true,
      description: "How many messages a participant may send; null: no limit.",
      resolve: (v) => v.condition.maxTurns ?? null,
    }),
  }),
});

export const StudyRef = builder.objectRef<Study>("Study").implement({
  description: "A study: studies/<id>.json of this deployment.",
  fields: (t) => ({
    id: t.exposeString("id", { description: "The study's id, in its link /s/<id>." }),
    version: t.exposeInt("version", { description: "The definition's version, carried by every record." }),
    title: t.exposeString("title", { description: "Its title." }),
    active: t.exposeBoolean("active", { description: "False: it takes no new participants." }),
    consent: t.exposeString("consent", { description: "The consent text, in Markdown." }),
    task: t.exposeString("task", { description: "The task instructions, in Markdown." }),
    assignment: t.field({
      type: AssignmentModeRef,
      description: "How participants are assigned.",
      resolve: (s) => s.assignment,
    }),
    conditions: t.field({
      type: [StudyConditionRef],
      description: "Its conditions.",
      resolve: (study) => study.conditions.map((condition) => ({ study, condition })),
    }),
  }),
});

const AssignmentRef = builder.objectRef<Assignment>("Assignment").implement({
  description: "A participant's condition in a study: made once, when they consent, and kept on every visit.",
  fields: (t) => ({
    studyId: t.exposeString("studyId", { description: "The study." }),
    userId: t.exposeID("userId", { description: "The participant." }),
    condition: t.exposeString("condition", { description: "The condition's id." }),
    showSources: t.boolean({
      description: "Whether this participant sees the answers' sources.",
      resolve: (a, _args, ctx) => conditionOf(ctx, a)?.showSources ?? true,
    }),
    maxTurns: t.int({
      nullable: true,
      description: "How many messages this participant may send; null: no limit.",
      resolve: (a, _args, ctx) => conditionOf(ctx, a)?.maxTurns ?? null,
    }),
    turnsUsed: t.exposeInt("turns", {
      description: "Messages the participant has sent in the study (failed and stopped ones too).",
    }),
    studyVersion: t.exposeInt("studyVersion", {
      description: "The study's version when they were assigned.",
    }),
    assignedAt: t.field({ type: "DateTime", description: "When.", resolve: (a) => a.assignedAt }),
  }),
});

function conditionOf(ctx: Context, a: Assignment): Condition | undefined {
  const study = ctx.studies.get(a.studyId);
  return study && ctx.studies.condition(study, a.condition);
}

const CompletionRef = builder.objectRef<Study["completion"] & { studyId: string }>("Completion").implement({
  description: "What a participant gets at the end of a study.",
  fields: (t) => ({
    code: t.exposeString("code", { description: "The completion code to give the recruiting platform." }),
    message: t.exposeString("message", { nullable: true, description: "A closing message, in Markdown." }),
    redirectUrl: t.exposeString("redirectUrl", {
      nullable: true,
      description: "The recruiting platform's completion URL, where the participant is sent next.",
    }),
    redirectDelaySeconds: t.exposeInt("redirectDelaySeconds", {
      description: "How long the code is shown before the redirect.",
    }),
  }),
});

const WithdrawResultRef = builder
  .objectRef<{ deletedQueries: number; deletedEvents: number }>("WithdrawResult")
  .implement({
    description: "What a withdrawal deleted.",
    fields: (t) => ({
      deletedQueries: t.exposeInt("deletedQueries", { description: "Query records deleted." }),
      deletedEvents: t.exposeInt("deletedEvents", { description: "Event records deleted." }),
    }),
  });

const ParticipantInputRef = builder.inputType("StudyParticipantInput", {
  description: "A participant at a step of a study.",
  fields: (t) => ({
    studyId: t.id({ required: true, description: "The study.", validate: idSchema }),
    userId: t.id({ required: true, description: "The participant.", validate: idSchema }),
    sessionId: t.id({ required: true, description: "The participant's session.", validate: idSchema }),
    prolificStudyId: t.id({ description: "Prolific's STUDY_ID, when given.", validate: idSchema.optional() }),
    clientTime: t.field({ type: "DateTime", description: "When it happened on the participant's device." }),
  }),
});

type ParticipantInput = typeof ParticipantInputRef.$inferInput;

/** Stores a STUDY_STEP event of the participant, tagged with their study fields. */
async function logStep(ctx: Context, input: ParticipantInput, step: string): Promise<void> {
  const userId = String(input.userId);
  await ctx.store.recordEvents([
    {
      eventId: crypto.randomUUID(),
      userId,
      sessionId: String(input.sessionId),
      prolificStudyId: input.prolificStudyId ? String(input.prolificStudyId) : null,
      ...(await studyTag(ctx, String(input.studyId), userId)),
      eventType: "STUDY_STEP",
      query: null,
      queryId: null,
      targetUrl: null,
      pageUrl: null,
      extraData: { step },
      clientTime: input.clientTime ?? null,
    },
  ]);
}

builder.queryFields((t) => ({
  studies: t.field({
    type: [StudyRef],
    description: "The studies of this deployment: the active ones, or all with includeInactive.",
    args: { includeInactive: t.arg.boolean({ defaultValue: false, description: "Also the closed ones." }) },
    resolve: (_root, args, ctx) => ctx.studies.list().filter((s) => s.active || args.includeInactive),
  }),
  study: t.field({
    type: StudyRef,
    nullable: true,
    description: "One study by id (active or not); null when there is none.",
    args: { id: t.arg.id({ required: true, description: "The study's id.", validate: idSchema }) },
    resolve: (_root, args, ctx) => ctx.studies.get(String(args.id)) ?? null,
  }),
  assignment: t.field({
    type: AssignmentRef,
    nullable: true,
    description: "A participant's assignment in a study; null until they consent.",
    args: {
      studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }),
      userId: t.arg.id({ required: true, description: "The participant.", validate: idSchema }),
    },
    resolve: (_root, args, ctx) => {
      const study = studyOrError(ctx, String(args.studyId));
      return assignmentOf(ctx, study.id, String(args.userId));
    },
  }),
}));

builder.mutationFields((t) => ({
  enroll: t.field({
    type: AssignmentRef,
    description:
      "The participant consents: they are assigned a condition (once: later calls, from any device with the same userId, return the same assignment) and a STUDY_STEP event with extraData.step consent_given is stored. A closed study gives STUDY_CLOSED to new participants.",
    args: {
      input: t.arg({
        type: ParticipantInputRef,
        required: true,
        description: "Who consents to which study.",
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const study = studyOrError(ctx, String(input.studyId));
      const { assignment, created } = await enroll(ctx, study, String(input.userId));
      if (created) await logStep(ctx, input, "consent_given");
      return assignment;
    },
  }),
  finishStudy: t.field({
    type: CompletionRef,
    description:
      "The participant finishes: a STUDY_STEP event with extraData.step completed is stored, and the completion code (and the recruiting platform's completion URL, when configured) is returned. NOT_ENROLLED before consent.",
    args: {
      input: t.arg({ type: ParticipantInputRef, required: true, description: "Who finishes which study." }),
    },
    resolve: async (_root, { input }, ctx) => {
      const study = studyOrError(ctx, String(input.studyId));
      if (!(await assignmentOf(ctx, study.id, String(input.userId)))) {
        throw apiError(
          ErrorCode.NOT_ENROLLED,
          `This participant has not consented to the study "${study.id}".`,
        );
      }
      await logStep(ctx, input, "completed");
      return { ...study.completion, studyId: study.id };
    },
  }),
  withdraw: t.field({
    type: WithdrawResultRef,
    description:
      "The participant withdraws: every query and event of theirs in the study, and their assignment, are deleted. Nothing about the withdrawal is stored.",
    args: {
      studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }),
      userId: t.arg.id({ required: true, description: "The participant.", validate: idSchema }),
    },
    resolve: async (_root, args, ctx) => {
      const study = studyOrError(ctx, String(args.studyId));
      const userId = String(args.userId);
      const deleted = await ctx.store.deleteParticipant(study.id, userId);
      return { deletedQueries: deleted.queries, deletedEvents: deleted.events };
    },
  }),
}));
