import { builder } from "../builder";
import type { Context } from "../context";
import { idSchema } from "../domain/validation";
import { checkStudyScope, readerOf } from "../participants/guard";
import type { Assignment, Withdrawal } from "../store/store";
import type { ASSIGNMENT_MODES, Condition, Study } from "../studies/definition";
import { finish } from "../studies/finish";
import type { Ending } from "../studies/outcomes";
import { assignmentOf, enroll, studyOrError, withdraw, withdrewFrom } from "../studies/participants";
import { conditionTexts, OPEN_CHAT_TEXTS } from "../studies/texts";
import { CREDENTIAL_NOTE, idOrNull, participantCaller } from "./caller";
import { optionalClaims } from "./claims";
import { forResearchers, requireResearcher } from "./researcher";

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
      description:
        "The LLM provider that answers in it: openai or scripted; unconfigured when it needs OPENAI_API_KEY and none is set (see the study's problems).",
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

const CompletionCriteriaRef = builder
  .objectRef<Pick<Study["completion"], "minTurns" | "minSeconds" | "maxSeconds">>("CompletionCriteria")
  .implement({
    description: "A study's completion criteria, counted on the server.",
    fields: (t) => ({
      minTurns: t.int({
        nullable: true,
        description: "Messages a participant must have sent; null: none.",
        resolve: (c) => c.minTurns ?? null,
      }),
      minSeconds: t.int({
        nullable: true,
        description: "Seconds from consent (server time) before finishing; null: none.",
        resolve: (c) => c.minSeconds ?? null,
      }),
      maxSeconds: t.int({
        nullable: true,
        description:
          "Seconds from consent (server time) after which the participant's part ends with the outcome timed-out; null: no limit.",
        resolve: (c) => c.maxSeconds ?? null,
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
      description:
        "Its conditions: researchers only (a researcher token), since a participant who knows the conditions is no longer blind to them; others get UNAUTHENTICATED.",
      resolve: (study, _args, ctx) => {
        requireResearcher(ctx, "A study's conditions");
        return study.conditions.map((condition) => ({ study, condition }));
      },
    }),
    definitionHash: t.string({
      nullable: true,
      description:
        "The hash of the study's file as deployed (the studyHash every answer's provenance carries): researchers only, else UNAUTHENTICATED; null for a study made without its file.",
      resolve: (study, _args, ctx) => {
        requireResearcher(ctx, "A study's definition hash");
        return ctx.studies.deployed(study)?.hash ?? null;
      },
    }),
    completionCriteria: t.field({
      type: CompletionCriteriaRef,
      description: "What a participant must have done before they may finish.",
      resolve: (study) => study.completion,
    }),
  }),
});

export const AssignmentRef = builder.objectRef<Assignment>("Assignment").implement({
  description: "A participant's condition in a study: made once, when they consent, and kept on every visit.",
  fields: (t) => ({
    studyId: t.exposeString("studyId", { description: "The study." }),
    userId: t.exposeID("userId", { description: "The participant." }),
    condition: t.string({
      nullable: true,
      description:
        "The condition's id: shown to researchers only (participants stay blind to their condition); null for participants.",
      resolve: (a, _args, ctx) => forResearchers(ctx, a.condition),
    }),
    panelParticipantId: t.string({
      nullable: true,
      description:
        "The panel participant id (PROLIFIC_PID) they consented with: researchers only; null for participants and without one.",
      resolve: (a, _args, ctx) => forResearchers(ctx, a.panelParticipantId),
    }),
    showSources: t.boolean({
      description: "Whether this participant sees the answers' sources.",
      resolve: (a, _args, ctx) => conditionOf(ctx, a)?.showSources ?? true,
    }),
    emptyChatText: t.string({
      description: "The text the chat shows before the first message, as the condition has it.",
      resolve: (a, _args, ctx) => textsOf(ctx, a).emptyChat,
    }),
    feedbackLabel: t.string({
      nullable: true,
      description: "The label of the feedback button under each answer; null: the condition shows none.",
      resolve: (a, _args, ctx) => textsOf(ctx, a).feedbackLabel,
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
    finishedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When they finished; null while they take part.",
      resolve: (a) => a.finishedAt,
    }),
    outcome: t.exposeString("outcome", {
      nullable: true,
      description:
        "How their part ended (completed, timed-out, failed-attention-check, screened-out or the study's own outcome); null while they take part.",
    }),
  }),
});

function conditionOf(ctx: Context, a: Assignment): Condition | undefined {
  const study = ctx.studies.get(a.studyId);
  return study && ctx.studies.condition(study, a.condition);
}

function textsOf(ctx: Context, a: Assignment) {
  const condition = conditionOf(ctx, a);
  return condition ? conditionTexts(condition) : OPEN_CHAT_TEXTS;
}

const CompletionRef = builder.objectRef<Ending & { studyId: string }>("Completion").implement({
  description: "What a participant gets at the end of a study: the ending of their outcome.",
  fields: (t) => ({
    outcome: t.exposeString("outcome", {
      description:
        "How their part ended: completed, timed-out, failed-attention-check, screened-out or the study's own outcome.",
    }),
    code: t.exposeString("code", { description: "The outcome's code to give the recruiting platform." }),
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
  description: "The caller at a step of a study (who they are comes from their credential).",
  fields: (t) => ({
    studyId: t.id({ required: true, description: "The study.", validate: idSchema }),
    ...optionalClaims(t),
    clientTime: t.field({ type: "DateTime", description: "When it happened on the participant's device." }),
  }),
});

type ParticipantInput = typeof ParticipantInputRef.$inferInput;

const stepCaller = (ctx: Context, input: ParticipantInput) =>
  participantCaller(ctx, {
    userId: idOrNull(input.userId),
    sessionId: idOrNull(input.sessionId),
    prolificStudyId: idOrNull(input.prolificStudyId),
  });

const WithdrawalRef = builder.objectRef<Withdrawal>("Withdrawal").implement({
  description:
    "The audit entry of a withdrawal: no content and no ids, only what researchers must account for.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The entry's id." }),
    studyId: t.exposeID("studyId", { description: "The study." }),
    studyVersion: t.exposeInt("studyVersion", { description: "The study's version at the time." }),
    condition: t.exposeString("condition", {
      nullable: true,
      description: "The participant's condition; null when they withdrew before consenting.",
    }),
    withdrawnAt: t.field({ type: "DateTime", description: "Server time.", resolve: (w) => w.withdrawnAt }),
    deletedQueries: t.exposeInt("deletedQueries", { description: "Query records deleted." }),
    deletedEvents: t.exposeInt("deletedEvents", { description: "Event records deleted." }),
    by: t.exposeString("by", { description: "participant (themselves) or researcher." }),
    panelIdHmac: t.exposeString("panelIdHmac", {
      nullable: true,
      description:
        "HMAC of the panel participant id (PROLIFIC_PID) under the deployment's secret: recognises a returning participant, reveals no id.",
    }),
  }),
});

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
    description:
      "The caller's assignment in a study (their credential); null until they consent. A researcher reads anyone's by userId.",
    args: {
      studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }),
      userId: t.arg.id({
        description: "The participant: omitted, the caller; a researcher must give it.",
        validate: idSchema.optional(),
      }),
    },
    resolve: (_root, args, ctx) => {
      const study = studyOrError(ctx, String(args.studyId));
      const reader = readerOf(ctx.caller, idOrNull(args.userId));
      if (reader.participant) checkStudyScope(reader.participant, study.id);
      return assignmentOf(ctx, study.id, reader.userId);
    },
  }),
  withdrawn: t.boolean({
    description:
      "True when the caller withdrew from this study (in this session, or with the panel id their session carries): they cannot take part again. Needs the participant's credential (the site's session, or the X-Participant-Token header): without one UNAUTHENTICATED.",
    args: { studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }) },
    resolve: (_root, args, ctx) => withdrewFrom(ctx, ctx.caller, String(args.studyId)),
  }),
  withdrawals: t.field({
    type: [WithdrawalRef],
    description: "The withdrawal audit of a study (or of every study), oldest first. Researchers only.",
    args: { studyId: t.arg.id({ description: "The study; omitted: all.", validate: idSchema.optional() }) },
    resolve: (_root, args, ctx) => {
      requireResearcher(ctx, "The withdrawal audit");
      return ctx.store.listWithdrawals(idOrNull(args.studyId));
    },
  }),
}));

builder.mutationFields((t) => ({
  enroll: t.field({
    type: AssignmentRef,
    description: `The caller consents: they are assigned a condition (once: later calls return the same assignment) and a STUDY_STEP event with extraData.step consent_given is stored. The same panel id (PROLIFIC_PID) in a new session gets the first session's condition, with turns and records of its own. A closed study gives STUDY_CLOSED to new participants; a participant who withdrew gets WITHDRAWN. ${CREDENTIAL_NOTE}`,
    args: {
      input: t.arg({ type: ParticipantInputRef, required: true, description: "Which study." }),
    },
    resolve: (_root, { input }, ctx) =>
      enroll(ctx, stepCaller(ctx, input), String(input.studyId), input.clientTime ?? null),
  }),
  finishStudy: t.field({
    type: CompletionRef,
    description: `The caller finishes: once the study's completion criteria are met (else COMPLETION_NOT_MET), their part ends with the outcome completed: the assignment is closed (no more answers: STUDY_FINISHED), a STUDY_STEP event with extraData.step completed is stored once, and the outcome's code (and its redirect URL, when configured) is returned. A participant whose part has ended already (any outcome) gets that outcome's completion again, and one whose time is up (completion.maxSeconds) ends with timed-out instead. NOT_ENROLLED before consent. ${CREDENTIAL_NOTE}`,
    args: {
      input: t.arg({ type: ParticipantInputRef, required: true, description: "Which study." }),
    },
    resolve: async (_root, { input }, ctx) => {
      const completion = await finish(
        ctx,
        stepCaller(ctx, input),
        String(input.studyId),
        input.clientTime ?? null,
      );
      return { ...completion, studyId: String(input.studyId) };
    },
  }),
  withdraw: t.field({
    type: WithdrawResultRef,
    description:
      "Withdraws from a study: the participant's queries and events of the study, their records outside any study (the open chat) and their assignment are deleted, and an audit entry without content is stored (see withdrawals). A participant withdraws themselves (their credential; userId omitted or their own); a researcher (token) withdraws anyone by userId. A withdrawn participant cannot enrol again.",
    args: {
      studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }),
      userId: t.arg.id({
        description: "The participant: omitted, the caller; a researcher must give it.",
        validate: idSchema.optional(),
      }),
    },
    resolve: (_root, args, ctx) => withdraw(ctx, ctx.caller, String(args.studyId), idOrNull(args.userId)),
  }),
}));
