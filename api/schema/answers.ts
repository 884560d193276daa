import { type AskInput, ask } from "../answers/ask";
import { builder } from "../builder";
import { idSchema, querySchema } from "../domain/validation";
import { clientSignalsSchema } from "../signals/input-signals";
import type { QueryRecord } from "../store/store";
import { CREDENTIAL_NOTE, idOrNull, participantCaller } from "./caller";
import { requiredClaims } from "./claims";
import { addPresentationFields, shownSources } from "./presentation";
import { forResearchers } from "./researcher";
import { InputSignalsInputRef } from "./signal-inputs";
import { SourceRef } from "./sources";

export const QueryInputRef = builder.inputType("QueryInput", {
  description: "A participant's message to the model.",
  fields: (t) => ({
    ...requiredClaims(t, { validated: true }),
    studyId: t.id({
      description:
        "The study the participant takes part in: the answer comes from their condition's LLM, and the record carries study, condition and version. They must have consented (enroll), else NOT_ENROLLED; a condition's turn limit gives TURN_LIMIT_REACHED; an attention check due gives ATTENTION_CHECK_DUE (answer it with answerAttentionCheck). Omitted: the deployment's own LLM, outside any study.",
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
    inputSignals: t.field({
      type: InputSignalsInputRef,
      description:
        "How the message was written, without its content (docs/tracking.md#input-signals): only for a study with botSignals on, else BAD_USER_INPUT; each number bounded (BAD_USER_INPUT otherwise).",
      validate: clientSignalsSchema.nullish(),
    }),
  }),
});

export const QueryResultRef = builder.objectRef<QueryRecord>("QueryResult");

type QueryInputShape = typeof QueryInputRef.$inferInput;

/** The input as the answering code takes it, and the caller after checking what it claims. */
export function askInput(input: QueryInputShape): AskInput {
  return {
    studyId: idOrNull(input.studyId),
    query: input.query,
    conversationId: idOrNull(input.conversationId),
    clientTime: input.clientTime ?? null,
    inputSignals: input.inputSignals ?? null,
  };
}

export function askClaims(input: QueryInputShape) {
  return {
    userId: String(input.userId),
    sessionId: String(input.sessionId),
    prolificStudyId: idOrNull(input.prolificStudyId),
  };
}

QueryResultRef.implement({
  description: "The model's answer to a participant's message, as stored.",
  fields: (t) => ({
    id: t.exposeID("id", {
      description: "Id of the stored query record; events about this answer carry it as queryId.",
    }),
    conversationId: t.exposeID("conversationId", {
      description: "Pass it back as conversationId to continue.",
    }),
    response: t.string({
      description: "The answer, in Markdown (of a stopped stream: what had arrived).",
      resolve: (r) => r.response ?? "",
    }),
    sources: t.field({
      type: [SourceRef],
      description:
        "The answer's sources in the order shown (rank), each with the model's rank (originalRank). Empty for a participant whose condition hides them.",
      resolve: (r, _args, ctx) => shownSources(ctx, r),
    }),
    model: t.exposeString("model", { description: "The model that answered." }),
    latencyMs: t.int({
      description: "Time the provider took, in milliseconds.",
      resolve: (r) => r.latencyMs ?? 0,
    }),
    timeToFirstTokenMs: t.exposeInt("ttftMs", {
      nullable: true,
      description:
        "Of a streamed answer: milliseconds from the request to the first token. Null when not streamed.",
    }),
    stopped: t.exposeBoolean("stopped", {
      description: "True when the participant stopped the streamed answer before it ended.",
    }),
    historyTurns: t.exposeInt("historyTurns", {
      description:
        "How many earlier turns of the conversation were sent to the model with this message (the history is capped by size).",
    }),
    condition: t.string({
      nullable: true,
      description:
        "The participant's condition in the study, when the message was sent in one: shown to researchers only (participants stay blind to it); null for anyone else.",
      resolve: (r, _args, ctx) => forResearchers(ctx, r.condition),
    }),
    createdAt: t.field({
      type: "DateTime",
      description: "Server time at which it was stored.",
      resolve: (r) => r.receivedAt,
    }),
  }),
});

addPresentationFields(QueryResultRef);

builder.mutationField("query", (t) =>
  t.field({
    type: QueryResultRef,
    description: `Send a participant's message to the LLM of the participant's condition, store the query with its response, and return the answer with its sources. A provider failure is stored too and returned as an error with extensions.code LLM_UNAVAILABLE; nothing is lost. ${CREDENTIAL_NOTE} Rate-limited per session and address (RATE_LIMITED, with extensions.retryAfterSeconds).`,
    args: {
      input: t.arg({ type: QueryInputRef, required: true, description: "The message and who sent it." }),
    },
    resolve: (_root, { input }, ctx) => ask(ctx, participantCaller(ctx, askClaims(input)), askInput(input)),
  }),
);
