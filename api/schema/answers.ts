import { ask } from "../answers/ask";
import { builder } from "../builder";
import { idSchema, querySchema } from "../validation";
import { QueryRecordRef } from "./records";
import { SourceRef } from "./sources";

const QueryInputRef = builder.inputType("QueryInput", {
  description: "A participant's message to the model.",
  fields: (t) => ({
    userId: t.id({ required: true, description: "The participant.", validate: idSchema }),
    sessionId: t.id({ required: true, description: "The participant's session.", validate: idSchema }),
    prolificStudyId: t.id({
      description: "Prolific's STUDY_ID from the participant's link, kept on the record.",
      validate: idSchema.optional(),
    }),
    query: t.string({
      required: true,
      description: "The participant's message: 1 to 8000 characters after trimming.",
      validate: querySchema,
    }),
    conversationId: t.id({
      description:
        "Continue this conversation (its earlier turns are sent to the model); omitted: a new one.",
      validate: idSchema.optional(),
    }),
    clientTime: t.field({ type: "DateTime", description: "When the participant sent it, on their device." }),
  }),
});

const QueryResultRef = builder.objectRef<{
  id: string;
  conversationId: string;
  response: string;
  sources: { rank: number; title: string; url: string; content: string | null }[];
  model: string;
  latencyMs: number;
  createdAt: string;
}>("QueryResult");

QueryResultRef.implement({
  description: "The model's answer to a participant's message, as stored.",
  fields: (t) => ({
    id: t.exposeID("id", {
      description: "Id of the stored query record; events about this answer carry it as queryId.",
    }),
    conversationId: t.exposeID("conversationId", {
      description: "Pass it back as conversationId to continue.",
    }),
    response: t.exposeString("response", { description: "The answer, in Markdown." }),
    sources: t.field({
      type: [SourceRef],
      description: "The answer's sources, in rank order.",
      resolve: (r) => r.sources,
    }),
    model: t.exposeString("model", { description: "The model that answered." }),
    latencyMs: t.exposeInt("latencyMs", { description: "Time the provider took, in milliseconds." }),
    createdAt: t.field({
      type: "DateTime",
      description: "Server time at which it was stored.",
      resolve: (r) => r.createdAt,
    }),
  }),
});

builder.mutationField("query", (t) =>
  t.field({
    type: QueryResultRef,
    description:
      "Send a participant's message to the LLM of the participant's condition, store the query with its response, and return the answer with its sources. A provider failure is stored too and returned as an error with extensions.code LLM_UNAVAILABLE; nothing is lost.",
    args: {
      input: t.arg({ type: QueryInputRef, required: true, description: "The message and who sent it." }),
    },
    resolve: async (_root, { input }, ctx) => {
      const record = await ask(ctx, {
        userId: input.userId,
        sessionId: input.sessionId,
        prolificStudyId: input.prolificStudyId ?? null,
        query: input.query,
        conversationId: input.conversationId ?? null,
        clientTime: input.clientTime ?? null,
      });
      return {
        id: record.id,
        conversationId: record.conversationId,
        response: record.response ?? "",
        sources: record.sources,
        model: record.model,
        latencyMs: record.latencyMs ?? 0,
        createdAt: record.receivedAt,
      };
    },
  }),
);

builder.queryField("conversation", (t) =>
  t.field({
    type: [QueryRecordRef],
    description:
      "The turns of one conversation of one participant, oldest first (empty when there is none). Both ids are needed, so a participant sees only their own conversations.",
    args: {
      id: t.arg.id({ required: true, description: "The conversationId.", validate: idSchema }),
      userId: t.arg.id({ required: true, description: "The participant it belongs to.", validate: idSchema }),
    },
    resolve: (_root, args, ctx) => ctx.store.conversationTurns(String(args.id), String(args.userId)),
  }),
);
