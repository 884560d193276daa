import { type StreamEvent, streamAnswer } from "../answers/stream";
import { builder } from "../builder";
import { askClaims, askInput, QueryInputRef, QueryResultRef } from "./answers";
import { participantCaller } from "./caller";

builder.subscriptionType({
  description:
    "Streams, over Server-Sent Events (POST /graphql with Accept: text/event-stream) or multipart responses.",
});

const QueryStreamEventRef = builder.objectRef<StreamEvent>("QueryStreamEvent").implement({
  description:
    "One event of a streamed answer: a piece of text, or (last) the stored answer. A provider failure ends the stream with an error whose extensions.code is LLM_UNAVAILABLE, after the turn was stored with what arrived.",
  fields: (t) => ({
    queryId: t.exposeID("queryId", { description: "The id the stored query record has (or will have)." }),
    conversationId: t.exposeID("conversationId", {
      description: "The conversation: pass it back to continue.",
    }),
    delta: t.exposeString("delta", {
      nullable: true,
      description:
        "The next piece of the answer's text, in order; empty on the first event (sent at once, with the ids), null on the last.",
    }),
    result: t.field({
      type: QueryResultRef,
      nullable: true,
      description: "On the last event only: the answer as stored, with its sources and time to first token.",
      resolve: (event) => event.result,
    }),
  }),
});

builder.subscriptionField("queryStream", (t) =>
  t.field({
    type: QueryStreamEventRef,
    description:
      "Like the query mutation, but the answer arrives token by token as the provider streams it. The turn is stored once, when it ends: complete; stopped, when the client closes the stream (stopped: true, with what had arrived); or broken, with what arrived and the error.",
    args: {
      input: t.arg({ type: QueryInputRef, required: true, description: "The message and who sent it." }),
    },
    subscribe: (_root, { input }, ctx) =>
      streamAnswer(ctx, participantCaller(ctx, askClaims(input)), askInput(input), ctx.signal),
    resolve: (event) => event,
  }),
);
