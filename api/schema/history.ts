import { conversationOf, conversationsOf } from "../answers/history";
import { builder } from "../builder";
import { idSchema } from "../domain/validation";
import type { ConversationSummary } from "../store/store";
import { idOrNull } from "./caller";
import { QueryRecordRef } from "./records";

/**
 * A participant's conversations, rebuilt from the store, so a reload or
 * another tab shows the same history: the caller's own (their credential),
 * or, for a researcher, anyone's by userId.
 */

const ConversationSummaryRef = builder.objectRef<ConversationSummary>("ConversationSummary").implement({
  description: "One conversation of a participant, for their history list.",
  fields: (t) => ({
    id: t.exposeID("conversationId", { description: "The conversationId." }),
    title: t.exposeString("title", { description: "The first message (at most 80 characters)." }),
    turns: t.exposeInt("turns", { description: "How many messages it has." }),
    startedAt: t.field({ type: "DateTime", description: "Its first message.", resolve: (c) => c.startedAt }),
    lastAt: t.field({ type: "DateTime", description: "Its latest message.", resolve: (c) => c.lastAt }),
  }),
});

builder.queryFields((t) => ({
  conversation: t.field({
    type: [QueryRecordRef],
    description:
      "The turns of one of the caller's conversations, oldest first (empty when there is none). A participant (their credential) reads only their own: another userId is FORBIDDEN, no credential UNAUTHENTICATED. A researcher (token) reads anyone's, naming them with userId.",
    args: {
      id: t.arg.id({ required: true, description: "The conversationId.", validate: idSchema }),
      userId: t.arg.id({
        description: "The participant it belongs to: omitted, the caller; a researcher must give it.",
        validate: idSchema.optional(),
      }),
    },
    resolve: (_root, args, ctx) => conversationOf(ctx, ctx.caller, String(args.id), idOrNull(args.userId)),
  }),
  conversations: t.field({
    type: [ConversationSummaryRef],
    description:
      "The caller's conversations, newest first (at most 100): those in the given study, or, without studyId, those outside any study. A participant reads only their own; a researcher anyone's, by userId.",
    args: {
      userId: t.arg.id({
        description: "The participant: omitted, the caller; a researcher must give it.",
        validate: idSchema.optional(),
      }),
      studyId: t.arg.id({
        description: "The study; omitted: outside any study.",
        validate: idSchema.optional(),
      }),
    },
    resolve: (_root, args, ctx) =>
      conversationsOf(ctx, ctx.caller, idOrNull(args.userId), idOrNull(args.studyId)),
  }),
}));
