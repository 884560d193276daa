import { z } from "zod";
import type { AttentionCheck } from "../attention/definition";
import { type AttentionReply, answerAttentionCheck, pendingCheck } from "../attention/reply";
import { builder } from "../builder";
import { idSchema } from "../domain/validation";
import { CREDENTIAL_NOTE, idOrNull, participantCaller } from "./caller";
import { optionalClaims } from "./claims";

/**
 * Attention checks as a participant meets them: the check due now (a
 * message from the researchers, never the assistant's) and their reply,
 * judged on the server (api/attention/reply.ts).
 */

const MAX_REPLY_LENGTH = 2000;

const AttentionCheckRef = builder.objectRef<AttentionCheck>("AttentionCheck").implement({
  description:
    "An attention check of the study, shown as a message from the researchers (not the assistant's). The rule that judges the reply is not exposed.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The check's id in the study file." }),
    message: t.exposeString("message", { description: "The message from the researchers (Markdown)." }),
  }),
});

const AttentionReplyRef = builder.objectRef<AttentionReply>("AttentionCheckReply").implement({
  description:
    "What happened to a reply. Whether it passed is not said to the participant; researchers see it in the ATTENTION_CHECK event.",
  fields: (t) => ({
    checkId: t.exposeID("checkId", { description: "The check replied to." }),
    ended: t.exposeBoolean("ended", {
      description:
        "True when this reply ended the participation: the study's maxFailures failed checks were reached (attentionPolicy action end).",
    }),
    outcome: t.exposeString("outcome", {
      nullable: true,
      description:
        "The outcome the participation ended with (failed-attention-check unless the study names another); null when it did not end.",
    }),
  }),
});

const AnswerAttentionCheckInputRef = builder.inputType("AnswerAttentionCheckInput", {
  description: "The participant's reply to the attention check due now.",
  fields: (t) => ({
    studyId: t.id({ required: true, description: "The study.", validate: idSchema }),
    checkId: t.id({ required: true, description: "The check (AttentionCheck.id).", validate: idSchema }),
    reply: t.string({
      required: true,
      description: `The reply, at most ${MAX_REPLY_LENGTH} characters.`,
      validate: z
        .string()
        .trim()
        .min(1, "must not be empty")
        .max(MAX_REPLY_LENGTH, `must be at most ${MAX_REPLY_LENGTH} characters`),
    }),
    ...optionalClaims(t),
    clientTime: t.field({ type: "DateTime", description: "When it was sent on the participant's device." }),
  }),
});

builder.queryFields((t) => ({
  attentionCheck: t.field({
    type: AttentionCheckRef,
    nullable: true,
    description: `The attention check the caller must answer now in the study, or null: the first of the study's checks, in its file's order, that is due (after afterTurns messages, or afterSeconds since consent) and not yet answered. While one is due, query and queryStream refuse with ATTENTION_CHECK_DUE. ${CREDENTIAL_NOTE}`,
    args: { studyId: t.arg.id({ required: true, description: "The study.", validate: idSchema }) },
    resolve: (_root, args, ctx) => pendingCheck(ctx, ctx.caller, String(args.studyId)),
  }),
}));

builder.mutationFields((t) => ({
  answerAttentionCheck: t.field({
    type: AttentionReplyRef,
    description: `The caller's reply to the attention check due now: judged on the server by the check's rule and stored as an ATTENTION_CHECK event (one per check: a second reply returns ended false and stores nothing). It takes no turn and never reaches the model. After the study's maxFailures failed checks, attentionPolicy action end ends the participation with its outcome (then STUDY_FINISHED for further messages); action flag only records. A check not due now: ATTENTION_CHECK_NOT_DUE; unknown check: NOT_FOUND; NOT_ENROLLED before consent. ${CREDENTIAL_NOTE}`,
    args: {
      input: t.arg({ type: AnswerAttentionCheckInputRef, required: true, description: "The reply." }),
    },
    resolve: (_root, { input }, ctx) =>
      answerAttentionCheck(
        ctx,
        participantCaller(ctx, {
          userId: idOrNull(input.userId),
          sessionId: idOrNull(input.sessionId),
          prolificStudyId: idOrNull(input.prolificStudyId),
        }),
        {
          studyId: String(input.studyId),
          checkId: String(input.checkId),
          reply: input.reply.trim(),
          clientTime: input.clientTime ?? null,
        },
      ),
  }),
}));
