import { builder } from "../builder";
import type { ConversationSummary } from "../store/store";
import { idSchema } from "../validation";
import { QueryRecordRef } from "./records";

/**
 * A participant's conversations, rebuilt from the store, so a reload or
 * another tab shows the same history. Every field needs the participant's
 * id, so a participant only ever sees their own.
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
      "The turns of one conversation of one participant, oldest first (empty when there is none). Both ids are needed, so a participant sees only their own conversations.",
    args: {
      id: t.arg.id({ required: true, description: "The conversationId.", validate: idSchema }),
      userId: t.arg.id({ required: true, description: "The participant it belongs to.", validate: idSchema }),
    },
    resolve: (_root, args, ctx) => ctx.store.conversationTurns(String(args.id), String(args.userId)),
  }),
  conversations: t.field({
    type: [ConversationSummaryRef],
    description:
      "A participant's conversations, newest first (at most 100): those in the given study, or, without studyId, those outside any study. Never anyone else's.",
    args: {
      userId: t.arg.id({ required: true, description: "The participant.", validate: idSchema }),
      studyId: t.arg.id({
        description: "The study; omitted: outside any study.",
        validate: idSchema.optional(),
      }),
    },
    resolve: (_root, args, ctx) =>
      ctx.store.conversations(String(args.userId), args.studyId ? String(args.studyId) : null),
  }),
}));
