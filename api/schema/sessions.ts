import { builder } from "../builder";
import { idSchema, urlTextSchema } from "../domain/validation";
import type { Participant } from "../participants/participant";
import { type StartedSession, startSession } from "../participants/sessions";
import { idOrNull } from "./caller";

/**
 * A participant's credential: the site's session cookie holds it; API
 * clients outside the site (a survey tool, a script) get it here and send
 * it in the X-Participant-Token header.
 */
const SessionLinkInputRef = builder.inputType("SessionLinkInput", {
  description:
    "The study link the participant arrived by: the panel of its study (the study file's panel) says which query parameters carry the panel's ids.",
  fields: (t) => ({
    studyId: t.id({
      description:
        "The link's study (/s/<studyId>); omitted: the open chat, whose link has Prolific's names.",
      validate: idSchema.optional(),
    }),
    query: t.string({
      required: true,
      description: "The link's query string (what follows the ?), at most 2048 characters.",
      validate: urlTextSchema,
    }),
  }),
});

const StartSessionInputRef = builder.inputType("StartSessionInput", {
  description: "What a new session starts with: the study it is for, and the panel's ids from the link.",
  fields: (t) => ({
    studyId: t.id({
      description:
        "Bind the token to this study (it then acts in no other); omitted: any study and the open chat.",
      validate: idSchema.optional(),
    }),
    panelParticipantId: t.id({
      description:
        "The panel's participant id (Prolific's PROLIFIC_PID): stored on every record, never the identity.",
      validate: idSchema.optional(),
    }),
    prolificStudyId: t.id({ description: "Prolific's STUDY_ID.", validate: idSchema.optional() }),
    panelSessionId: t.id({
      description: "The panel's session id (Prolific's SESSION_ID).",
      validate: idSchema.optional(),
    }),
    link: t.field({
      type: SessionLinkInputRef,
      description:
        "Instead of the three ids: the study link's query, read by the study's panel (MTurk's turkSubmitTo too, when it is MTurk's). Not together with the ids (BAD_USER_INPUT).",
    }),
    urlToken: t.boolean({
      description:
        "Also issue urlToken, the study-bound token a study page inside a cookieless frame carries in its URL (needs studyId; docs/embedding.md).",
    }),
  }),
});

const ParticipantSessionRef = builder.objectRef<StartedSession>("ParticipantSession").implement({
  description: "A participant's session: the ids the server issued and the signed token that carries them.",
  fields: (t) => ({
    token: t.string({
      description: "Send it as the X-Participant-Token header. Keep it secret: it acts as the participant.",
      resolve: (s) => s.token,
    }),
    eventsToken: t.string({
      description: "The same session for a browser tracker: it can only record events (logEvent, logEvents).",
      resolve: (s) => s.eventsToken,
    }),
    urlToken: t.string({
      nullable: true,
      description:
        "When asked for: the token for a study page's URL (query parameter lsp_token). It acts only in the study, expires three hours after it was issued, and stops acting once the participant finished the study. Null otherwise.",
      resolve: (s) => s.urlToken,
    }),
    userId: t.id({
      description: "The participant, issued by the server.",
      resolve: (s) => s.participant.userId,
    }),
    sessionId: t.id({
      description: "The session, issued by the server.",
      resolve: (s) => s.participant.sessionId,
    }),
    studyId: t.id({
      nullable: true,
      description: "The study the token is bound to; null: any.",
      resolve: (s) => s.participant.studyId,
    }),
    panelParticipantId: t.id({
      nullable: true,
      description: "The panel participant id bound to the session.",
      resolve: (s) => s.participant.panel.participantId,
    }),
    prolificStudyId: t.id({
      nullable: true,
      description: "Prolific's STUDY_ID bound to the session (the same as panelStudyId).",
      resolve: (s) => s.participant.panel.studyId,
    }),
    panelStudyId: t.id({
      nullable: true,
      description: "The panel's study id bound to the session (Prolific's STUDY_ID, MTurk's hitId, ...).",
      resolve: (s) => s.participant.panel.studyId,
    }),
    preview: t.boolean({
      description:
        "True when the link is the panel's preview (MTurk's, before the worker accepts the HIT): show what the study is and store nothing.",
      resolve: (s) => s.preview,
    }),
    panelSessionId: t.id({
      nullable: true,
      description: "The panel's session id bound to the session.",
      resolve: (s) => s.participant.panel.sessionId,
    }),
    expiresAt: t.field({
      type: "DateTime",
      description: "When the token stops working.",
      resolve: (s) => new Date(s.participant.expiresAt * 1000),
    }),
    created: t.boolean({
      description: "True when this call started a new participant; false when it continued the caller's.",
      resolve: (s) => s.created,
    }),
  }),
});

builder.mutationField("startSession", (t) =>
  t.field({
    type: ParticipantSessionRef,
    description:
      "Starts a participant session (server-issued participant and session ids) and returns its token; with a valid credential, continues it instead (panel ids bind to the session that first sees them and never replace what it has). Stores nothing. New sessions are rate-limited per address (RATE_LIMITED).",
    args: {
      input: t.arg({ type: StartSessionInputRef, description: "The study and the link's panel ids." }),
    },
    resolve: (_root, { input }, ctx) =>
      startSession(ctx, ctx.caller, {
        studyId: idOrNull(input?.studyId),
        panel: {
          participantId: idOrNull(input?.panelParticipantId),
          studyId: idOrNull(input?.prolificStudyId),
          sessionId: idOrNull(input?.panelSessionId),
        },
        link: input?.link ? { studyId: idOrNull(input.link.studyId), query: input.link.query } : null,
        urlToken: input?.urlToken === true,
      }),
  }),
);

const ParticipantIdentityRef = builder.objectRef<Participant>("ParticipantIdentity").implement({
  description: "Who the caller's participant credential says they are.",
  fields: (t) => ({
    userId: t.exposeID("userId", { description: "The participant." }),
    sessionId: t.exposeID("sessionId", { description: "The session." }),
    studyId: t.exposeID("studyId", {
      nullable: true,
      description: "The study the credential is bound to; null: any.",
    }),
    eventsOnly: t.boolean({
      description: "True for a tracker's credential, which can only record events.",
      resolve: (p) => p.scope === "events",
    }),
  }),
});

builder.queryField("me", (t) =>
  t.field({
    type: ParticipantIdentityRef,
    nullable: true,
    description: "The caller's participant (their session or X-Participant-Token); null without a valid one.",
    resolve: (_root, _args, ctx) => ctx.caller.participant,
  }),
);
