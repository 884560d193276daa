/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** The participant's reply to the attention check due now. */
export type AnswerAttentionCheckInput = {
  /** The check (AttentionCheck.id). */
  checkId: string;
  /** When it was sent on the participant's device. */
  clientTime?: string | null | undefined;
  /** Prolific's STUDY_ID, when given: must be the session's. */
  prolificStudyId?: string | null | undefined;
  /** The reply, at most 2000 characters. */
  reply: string;
  /** The participant's session, when given: must be the credential's. */
  sessionId?: string | null | undefined;
  /** The study. */
  studyId: string;
  /** The participant, when given: must be the credential's. */
  userId?: string | null | undefined;
};

/** How links the model wrote into an answer's text are shown. */
export type AnswerLinks =
  /** As links, through the click route. */
  | 'LINKS'
  /** As their text only. */
  | 'TEXT';

/** What the condition did with the citation markers ([1], [2] ...) of an answer's text. */
export type CitationMarkers =
  /** Renumbered to the rank shown, each a link to its source. */
  | 'LINKED'
  /** Removed (sources hidden, or citations list-only). */
  | 'REMOVED'
  /** Kept as the model wrote them, as plain text (sources hidden). */
  | 'TEXT';

/** Which element of an answer a click was on. */
export type ClickElement =
  /** A link the model wrote into the answer's text. */
  | 'ANSWER_LINK'
  /** A citation marker ([1]) in the answer's text. */
  | 'MARKER'
  /** An entry of the answer's source list. */
  | 'SOURCE_LIST';

/** What kind of interaction an event records. */
export type EventType =
  /** A participant's reply to one of the study's attention checks, judged and recorded by the server (extraData: checkId, reply, passed, failures, ended). Participants cannot send it through logEvents. */
  | 'ATTENTION_CHECK'
  /** A page or a result was viewed. */
  | 'BROWSE'
  /** A link was clicked (targetUrl says where to). */
  | 'CLICK'
  /** A target action of the study was taken (extraData.label names it). */
  | 'CONVERSION'
  /** The page was scrolled (extraData.scrollDepth, 0..1). */
  | 'SCROLL'
  /** A step of the participant's way through a study (extraData.step: consent_shown, consent_given, consent_declined, task_shown, chat_shown, completed, ended). completed and ended, stored by the server when the participant's part ends, carry extraData.outcome (ended: any outcome but completed); logEvents refuses them. */
  | 'STUDY_STEP';

/** Which records to export. Every given condition must hold; omitted ones do not filter. */
export type ExportFilter = {
  /** Only records of participants in these conditions (at most 100); combine with studyIds when condition ids repeat across studies. */
  conditions?: Array<string> | null | undefined;
  /** Only events of these types. Queries have no event type, so this filter returns events only. */
  eventTypes?: Array<EventType> | null | undefined;
  /** Server time, inclusive. */
  from?: string | null | undefined;
  /** Default: both. */
  kinds?: Array<LogRecordKind> | null | undefined;
  /** Only records whose session came with these panel participant ids (PROLIFIC_PID; at most 100). */
  panelParticipantIds?: Array<string> | null | undefined;
  /** Only these sessions (at most 100). */
  sessionIds?: Array<string> | null | undefined;
  /** Only records of these studies (at most 100). */
  studyIds?: Array<string> | null | undefined;
  /** Server time, exclusive. */
  to?: string | null | undefined;
  /** Only these participants (at most 100). */
  userIds?: Array<string> | null | undefined;
};

/** How a message was written, measured in the participant's browser: counts and milliseconds, never content (docs/tracking.md#input-signals). The message's length is taken from the message. */
export type InputSignalsInput = {
  /** Milliseconds the page was without focus meanwhile. */
  awayMs: number;
  /** Times the page lost focus or was hidden meanwhile. */
  blurs: number;
  /** Key presses in the question box (no repeats, modifiers alone, shortcuts or the sending Enter). */
  keystrokes: number;
  /** Characters pasted into the question box. */
  pastedChars: number;
  /** Paste events into the question box. */
  pastes: number;
  /** Milliseconds from the latest answer shown on the page to the first input; null when the page showed none. */
  thinkMs?: number | null | undefined;
  /** Milliseconds from the first input to sending. */
  typingMs: number;
};

/** A click on a link of a stored answer, logged by the site's redirect route. */
export type LogClickInput = {
  /** When it was clicked, on the participant's device. */
  clientTime?: string | null | undefined;
  /** Which element the link was: a citation marker, an entry of the source list or a link in the answer's text. Checked against what the answer's page shows (BAD_USER_INPUT otherwise). */
  element?: ClickElement | null | undefined;
  /** The tracker's eventId for this click, so the click is stored once; omitted: a new one. */
  eventId?: string | null | undefined;
  /** The page on which it was clicked. */
  pageUrl?: string | null | undefined;
  /** The tracker's page view of the click (its extraData.pageViewId), when the page has one. */
  pageViewId?: string | null | undefined;
  /** Prolific's STUDY_ID, when given: must be the session's. */
  prolificStudyId?: string | null | undefined;
  /** The caller's answer whose link was clicked. */
  queryId: string;
  /** The tracker's number of the click in its page view (extraData.seq). */
  seq?: number | null | undefined;
  /** The participant's session, when given: must be the credential's. */
  sessionId?: string | null | undefined;
  /** The link's signature from QueryRecord.links. */
  signature: string;
  /** The study the participant is in (see LogEventInput.studyId). */
  studyId?: string | null | undefined;
  /** The link's URL. */
  targetUrl: string;
  /** The participant, when given: must be the credential's. */
  userId?: string | null | undefined;
};

/** One interaction event of a participant. */
export type LogEventInput = {
  /** When it happened on the participant's device. */
  clientTime?: string | null | undefined;
  /** Client-made UUID; the store keeps one event per eventId. */
  eventId: string;
  /** What kind of interaction. */
  eventType: EventType;
  /** At most 8 KiB of JSON. */
  extraData?: unknown;
  /** The page on which it happened. */
  pageUrl?: string | null | undefined;
  /** Prolific's STUDY_ID: the record takes it from the participant's session; when given, it must be the session's. */
  prolificStudyId?: string | null | undefined;
  /** The message the event relates to, if any. */
  query?: string | null | undefined;
  /** The answer (QueryResult.id) that this event is about, where there is one. */
  queryId?: string | null | undefined;
  /** The participant's session: must be the credential's. */
  sessionId: string;
  /** The study the participant is in: the record carries the study, the participant's condition and the study's version. Events of a participant who has not consented (or has withdrawn) are not stored, except STUDY_STEP events (condition null). Unknown study: NOT_FOUND. */
  studyId?: string | null | undefined;
  /** Where a click led. */
  targetUrl?: string | null | undefined;
  /** The participant: must be the credential's (startSession's userId). */
  userId: string;
};

/** The two kinds of stored record. */
export type LogRecordKind =
  /** An interaction event. */
  | 'EVENT'
  /** A participant's message with the model's answer. */
  | 'QUERY';

/** A participant's message to the model. */
export type QueryInput = {
  /** When the participant sent it, on their device. */
  clientTime?: string | null | undefined;
  /** Continue this conversation (its earlier turns are sent to the model); omitted: a new one. */
  conversationId?: string | null | undefined;
  /** How the message was written, without its content (docs/tracking.md#input-signals): only for a study with botSignals on, else BAD_USER_INPUT; each number bounded (BAD_USER_INPUT otherwise). */
  inputSignals?: InputSignalsInput | null | undefined;
  /** Prolific's STUDY_ID: the record takes it from the participant's session; when given, it must be the session's. */
  prolificStudyId?: string | null | undefined;
  /** The participant's message: 1 to 8000 characters after trimming. */
  query: string;
  /** The participant's session: must be the credential's. */
  sessionId: string;
  /** The study the participant takes part in: the answer comes from their condition's LLM, and the record carries study, condition and version. They must have consented (enroll), else NOT_ENROLLED; a condition's turn limit gives TURN_LIMIT_REACHED; an attention check due gives ATTENTION_CHECK_DUE (answer it with answerAttentionCheck). Omitted: the deployment's own LLM, outside any study. */
  studyId?: string | null | undefined;
  /** The participant: must be the credential's (startSession's userId). */
  userId: string;
};

/** The study link the participant arrived by: the panel of its study (the study file's panel) says which query parameters carry the panel's ids. */
export type SessionLinkInput = {
  /** The link's query string (what follows the ?), at most 2048 characters. */
  query: string;
  /** The link's study (/s/<studyId>); omitted: the open chat, whose link has Prolific's names. */
  studyId?: string | null | undefined;
};

/** What a new session starts with: the study it is for, and the panel's ids from the link. */
export type StartSessionInput = {
  /** Instead of the three ids: the study link's query, read by the study's panel (MTurk's turkSubmitTo too, when it is MTurk's). Not together with the ids (BAD_USER_INPUT). */
  link?: SessionLinkInput | null | undefined;
  /** The panel's participant id (Prolific's PROLIFIC_PID): stored on every record, never the identity. */
  panelParticipantId?: string | null | undefined;
  /** The panel's session id (Prolific's SESSION_ID). */
  panelSessionId?: string | null | undefined;
  /** Prolific's STUDY_ID. */
  prolificStudyId?: string | null | undefined;
  /** Bind the token to this study (it then acts in no other); omitted: any study and the open chat. */
  studyId?: string | null | undefined;
  /** Also issue urlToken, the study-bound token a study page inside a cookieless frame carries in its URL (needs studyId; docs/embedding.md). */
  urlToken?: boolean | null | undefined;
};

/** The caller at a step of a study (who they are comes from their credential). */
export type StudyParticipantInput = {
  /** When it happened on the participant's device. */
  clientTime?: string | null | undefined;
  /** Prolific's STUDY_ID, when given: must be the session's. */
  prolificStudyId?: string | null | undefined;
  /** The participant's session, when given: must be the credential's. */
  sessionId?: string | null | undefined;
  /** The study. */
  studyId: string;
  /** The participant, when given: must be the credential's. */
  userId?: string | null | undefined;
};

export type AnswerAttentionCheckMutationVariables = Exact<{
  input: AnswerAttentionCheckInput;
}>;


export type AnswerAttentionCheckMutation = { answerAttentionCheck: { checkId: string, ended: boolean, outcome: string | null } };

export type AskMutationVariables = Exact<{
  input: QueryInput;
}>;


export type AskMutation = { query: { id: string, conversationId: string } };

export type AttentionCheckQueryVariables = Exact<{
  studyId: string;
}>;


export type AttentionCheckQuery = { attentionCheck: { id: string, message: string } | null };

export type ConversationQueryVariables = Exact<{
  id: string;
}>;


export type ConversationQuery = { conversation: Array<{ id: string, query: string, response: string | null, displayedResponse: string | null, error: string | null, stopped: boolean, model: string, receivedAt: string, display: { sourcesShown: boolean, markers: CitationMarkers, answerLinks: AnswerLinks }, sources: Array<{ rank: number, originalRank: number | null, injected: boolean, title: string, url: string, content: string | null }>, links: Array<{ url: string, signature: string }> }> };

export type ConversationsQueryVariables = Exact<{
  studyId?: string | null | undefined;
}>;


export type ConversationsQuery = { conversations: Array<{ id: string, title: string, turns: number, lastAt: string }> };

export type EnrollMutationVariables = Exact<{
  input: StudyParticipantInput;
}>;


export type EnrollMutation = { enroll: { assignedAt: string } };

export type ExportPageQueryVariables = Exact<{
  filter?: ExportFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ExportPageQuery = { export: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node:
        | { __typename: 'EventRecord', eventId: string, eventType: EventType, queryId: string | null, targetUrl: string | null, pageUrl: string | null, extraData: unknown, id: string, userId: string, sessionId: string, prolificStudyId: string | null, panelParticipantId: string | null, panelSessionId: string | null, panelParticipants: number | null, studyId: string | null, condition: string | null, studyVersion: number | null, receivedAt: string, clientTime: string | null, eventQuery: string | null }
        | { __typename: 'QueryRecord', conversationId: string, query: string, response: string | null, displayedResponse: string | null, model: string, latencyMs: number | null, timeToFirstTokenMs: number | null, stopped: boolean, historyTurns: number, error: string | null, id: string, userId: string, sessionId: string, prolificStudyId: string | null, panelParticipantId: string | null, panelSessionId: string | null, panelParticipants: number | null, studyId: string | null, condition: string | null, studyVersion: number | null, receivedAt: string, clientTime: string | null, usage: { promptTokens: number | null, completionTokens: number | null, totalTokens: number | null } | null, sources: Array<{ rank: number, originalRank: number | null, injected: boolean, title: string, url: string, content: string | null }>, modelSources: Array<{ rank: number, title: string, url: string, content: string | null }> | null, provenance: { provider: string, endpoint: string | null, requestedModel: string, systemPromptHash: string | null, parameters: unknown, sourcesShown: boolean, order: string, permutation: Array<number> | null, rotation: number | null, limit: number | null, citations: string, markers: CitationMarkers, answerLinks: AnswerLinks, studyHash: string | null, inject: { position: number, url: string } | null } | null, inputSignals: { pastedChars: number, pastes: number, keystrokes: number, typingMs: number, blurs: number, awayMs: number, length: number, thinkMs: number | null, charsPerSecond: number | null, flags: Array<string> } | null }
       }> } };

export type FinishStudyMutationVariables = Exact<{
  input: StudyParticipantInput;
}>;


export type FinishStudyMutation = { finishStudy: { outcome: string, code: string, message: string | null, redirectUrl: string | null, redirectDelaySeconds: number, panelSubmit: { action: string, fields: Array<{ name: string, value: string }> } | null } };

export type LlmStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type LlmStatusQuery = { status: { llm: { name: string, detail: string | null } } };

export type LogClickMutationVariables = Exact<{
  input: LogClickInput;
}>;


export type LogClickMutation = { logClick: { eventId: string, duplicate: boolean } };

export type LogEventsMutationVariables = Exact<{
  events: Array<LogEventInput> | LogEventInput;
}>;


export type LogEventsMutation = { logEvents: { accepted: number, duplicates: number } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { userId: string, sessionId: string } | null };

export type ParticipantAssignmentQueryVariables = Exact<{
  studyId: string;
  userId: string;
}>;


export type ParticipantAssignmentQuery = { assignment: { userId: string, condition: string | null, panelParticipantId: string | null, studyVersion: number, assignedAt: string, finishedAt: string | null } | null };

export type QueryStreamSubscriptionVariables = Exact<{
  input: QueryInput;
}>;


export type QueryStreamSubscription = { queryStream: { queryId: string, conversationId: string, delta: string | null, result: { id: string, conversationId: string } | null } };

export type ResearchStudiesQueryVariables = Exact<{ [key: string]: never; }>;


export type ResearchStudiesQuery = { studies: Array<{ id: string, title: string, version: number, active: boolean, definitionHash: string | null, conditions: Array<{ id: string, weight: number }> }> };

export type StartResearcherSessionMutationVariables = Exact<{ [key: string]: never; }>;


export type StartResearcherSessionMutation = { startResearcherSession: { token: string, expiresAt: string } };

export type StartSessionMutationVariables = Exact<{
  input?: StartSessionInput | null | undefined;
}>;


export type StartSessionMutation = { startSession: { token: string, eventsToken: string, urlToken: string | null, created: boolean, userId: string, sessionId: string, expiresAt: string, preview: boolean } };

export type StudyAvailableQueryVariables = Exact<{
  id: string;
}>;


export type StudyAvailableQuery = { study: { available: boolean } | null };

export type StudyDefinitionsQueryVariables = Exact<{
  studyId?: string | null | undefined;
}>;


export type StudyDefinitionsQuery = { studyDefinitions: Array<{ studyId: string, version: number, hash: string, definition: unknown, firstSeenAt: string, deployedNow: boolean }> };

export type StudyIdsQueryVariables = Exact<{ [key: string]: never; }>;


export type StudyIdsQuery = { studies: Array<{ id: string }> };

export type StudyMonitorQueryVariables = Exact<{
  studyId: string;
}>;


export type StudyMonitorQuery = { studyMonitor: { consentShown: number, consentDeclined: number, consented: number, withdrawnUnassigned: number, duplicatePanelIds: number, study: { id: string, title: string, version: number, active: boolean, definitionHash: string | null }, conditions: Array<{ condition: string, inDefinition: boolean, weight: number | null, targetShare: number | null, share: number | null, consented: number, inProgress: number, finished: number, withdrawn: number, answers: number, answering: number, answersPerParticipant: number | null, failures: number, stopped: number, medianLatencyMs: number | null, medianTtftMs: number | null, outcomes: Array<{ outcome: string, participants: number }>, tokens: { answersWithUsage: number, promptTokens: number, completionTokens: number, totalTokens: number }, clickThrough: { shown: number, seen: number, clicked: number, seenClicked: number, byDisplayedRank: Array<{ rank: number, shown: number, seen: number, clicked: number, seenClicked: number, clickRate: number | null, seenClickRate: number | null }>, byOriginalRank: Array<{ rank: number, shown: number, seen: number, clicked: number, seenClicked: number, clickRate: number | null, seenClickRate: number | null }> }, timeOnTask: { finished: number, medianMs: number | null, buckets: Array<{ fromMs: number, toMs: number | null, participants: number }> }, questionsPerParticipant: Array<{ questions: number, atLeast: boolean, participants: number }>, scrollDepth: { participants: number, buckets: Array<{ from: number, to: number, participants: number }> }, conversions: Array<{ label: string, events: number, participants: number }> }>, activity: Array<{ hour: string, answers: number, events: number }>, provenance: Array<{ condition: string, studyVersion: number | null, studyHash: string | null, provider: string | null, requestedModel: string | null, model: string, systemPromptHash: string | null, parameters: unknown, answers: number }> } };

export type RankClickThroughFieldsFragment = { rank: number, shown: number, seen: number, clicked: number, seenClicked: number, clickRate: number | null, seenClickRate: number | null };

export type StudyParticipantsQueryVariables = Exact<{
  studyId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type StudyParticipantsQuery = { studyParticipants: { hasNextPage: boolean, participants: Array<{ cursor: string, answers: number, sourceClicks: number, inputSignals: { messages: number, pastedMessages: number, pastedChars: number, typedMessages: number, medianCharsPerSecond: number | null, flags: Array<string> } | null, assignment: { userId: string, condition: string | null, panelParticipantId: string | null, assignedAt: string, finishedAt: string | null, outcome: string | null } }> } };

export type StudyPilotQueryVariables = Exact<{
  id: string;
}>;


export type StudyPilotQuery = { study: { id: string, active: boolean, pilotPath: string } | null };

export type StudyQueryVariables = Exact<{
  id: string;
}>;


export type StudyQuery = { study: { id: string, version: number, title: string, active: boolean, panel: string, consent: string, task: string, botSignals: boolean, completionCriteria: { minTurns: number | null, minSeconds: number | null, maxSeconds: number | null } } | null, assignment: { showSources: boolean, emptyChatText: string, feedbackLabel: string | null, maxTurns: number | null, turnsUsed: number, assignedAt: string, finishedAt: string | null, outcome: string | null, secondsUntilFinish: number, secondsUntilTimeUp: number | null } | null };

export type WithdrawParticipantMutationVariables = Exact<{
  studyId: string;
  userId: string;
}>;


export type WithdrawParticipantMutation = { withdraw: { deletedQueries: number, deletedEvents: number } };

export type WithdrawMutationVariables = Exact<{
  studyId: string;
}>;


export type WithdrawMutation = { withdraw: { deletedQueries: number, deletedEvents: number } };

export type WithdrawalsQueryVariables = Exact<{
  studyId?: string | null | undefined;
}>;


export type WithdrawalsQuery = { withdrawals: Array<{ id: string, studyId: string, studyVersion: number, condition: string | null, withdrawnAt: string, by: string, deletedQueries: number, deletedEvents: number, panelIdHmac: string | null }> };

export type WithdrawnQueryVariables = Exact<{
  studyId: string;
}>;


export type WithdrawnQuery = { withdrawn: boolean };

export const RankClickThroughFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RankClickThroughFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RankClickThrough"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"shown"}},{"kind":"Field","name":{"kind":"Name","value":"seen"}},{"kind":"Field","name":{"kind":"Name","value":"clicked"}},{"kind":"Field","name":{"kind":"Name","value":"seenClicked"}},{"kind":"Field","name":{"kind":"Name","value":"clickRate"}},{"kind":"Field","name":{"kind":"Name","value":"seenClickRate"}}]}}]} as unknown as DocumentNode<RankClickThroughFieldsFragment, unknown>;
export const AnswerAttentionCheckDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnswerAttentionCheck"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AnswerAttentionCheckInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"answerAttentionCheck"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkId"}},{"kind":"Field","name":{"kind":"Name","value":"ended"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}}]} as unknown as DocumentNode<AnswerAttentionCheckMutation, AnswerAttentionCheckMutationVariables>;
export const AskDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Ask"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"QueryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"query"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"conversationId"}}]}}]}}]} as unknown as DocumentNode<AskMutation, AskMutationVariables>;
export const AttentionCheckDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AttentionCheck"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attentionCheck"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<AttentionCheckQuery, AttentionCheckQueryVariables>;
export const ConversationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Conversation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"response"}},{"kind":"Field","name":{"kind":"Name","value":"displayedResponse"}},{"kind":"Field","name":{"kind":"Name","value":"display"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sourcesShown"}},{"kind":"Field","name":{"kind":"Name","value":"markers"}},{"kind":"Field","name":{"kind":"Name","value":"answerLinks"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"stopped"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"originalRank"}},{"kind":"Field","name":{"kind":"Name","value":"injected"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"signature"}}]}}]}}]}}]} as unknown as DocumentNode<ConversationQuery, ConversationQueryVariables>;
export const ConversationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Conversations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"turns"}},{"kind":"Field","name":{"kind":"Name","value":"lastAt"}}]}}]}}]} as unknown as DocumentNode<ConversationsQuery, ConversationsQueryVariables>;
export const EnrollDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Enroll"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StudyParticipantInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enroll"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignedAt"}}]}}]}}]} as unknown as DocumentNode<EnrollMutation, EnrollMutationVariables>;
export const ExportPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ExportFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"prolificStudyId"}},{"kind":"Field","name":{"kind":"Name","value":"panelParticipantId"}},{"kind":"Field","name":{"kind":"Name","value":"panelSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"panelParticipants"}},{"kind":"Field","name":{"kind":"Name","value":"studyId"}},{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"studyVersion"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"clientTime"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueryRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversationId"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"response"}},{"kind":"Field","name":{"kind":"Name","value":"displayedResponse"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"timeToFirstTokenMs"}},{"kind":"Field","name":{"kind":"Name","value":"stopped"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"historyTurns"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"originalRank"}},{"kind":"Field","name":{"kind":"Name","value":"injected"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"Field","name":{"kind":"Name","value":"modelSources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provenance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"requestedModel"}},{"kind":"Field","name":{"kind":"Name","value":"systemPromptHash"}},{"kind":"Field","name":{"kind":"Name","value":"parameters"}},{"kind":"Field","name":{"kind":"Name","value":"sourcesShown"}},{"kind":"Field","name":{"kind":"Name","value":"order"}},{"kind":"Field","name":{"kind":"Name","value":"permutation"}},{"kind":"Field","name":{"kind":"Name","value":"rotation"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"inject"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"citations"}},{"kind":"Field","name":{"kind":"Name","value":"markers"}},{"kind":"Field","name":{"kind":"Name","value":"answerLinks"}},{"kind":"Field","name":{"kind":"Name","value":"studyHash"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputSignals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pastedChars"}},{"kind":"Field","name":{"kind":"Name","value":"pastes"}},{"kind":"Field","name":{"kind":"Name","value":"keystrokes"}},{"kind":"Field","name":{"kind":"Name","value":"typingMs"}},{"kind":"Field","name":{"kind":"Name","value":"blurs"}},{"kind":"Field","name":{"kind":"Name","value":"awayMs"}},{"kind":"Field","name":{"kind":"Name","value":"length"}},{"kind":"Field","name":{"kind":"Name","value":"thinkMs"}},{"kind":"Field","name":{"kind":"Name","value":"charsPerSecond"}},{"kind":"Field","name":{"kind":"Name","value":"flags"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","alias":{"kind":"Name","value":"eventQuery"},"name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"queryId"}},{"kind":"Field","name":{"kind":"Name","value":"targetUrl"}},{"kind":"Field","name":{"kind":"Name","value":"pageUrl"}},{"kind":"Field","name":{"kind":"Name","value":"extraData"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ExportPageQuery, ExportPageQueryVariables>;
export const FinishStudyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"FinishStudy"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StudyParticipantInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"finishStudy"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"redirectUrl"}},{"kind":"Field","name":{"kind":"Name","value":"redirectDelaySeconds"}},{"kind":"Field","name":{"kind":"Name","value":"panelSubmit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<FinishStudyMutation, FinishStudyMutationVariables>;
export const LlmStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LlmStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llm"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]}}]} as unknown as DocumentNode<LlmStatusQuery, LlmStatusQueryVariables>;
export const LogClickDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LogClick"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LogClickInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logClick"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"duplicate"}}]}}]}}]} as unknown as DocumentNode<LogClickMutation, LogClickMutationVariables>;
export const LogEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LogEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"events"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LogEventInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"events"},"value":{"kind":"Variable","name":{"kind":"Name","value":"events"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}}]}}]}}]} as unknown as DocumentNode<LogEventsMutation, LogEventsMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const ParticipantAssignmentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ParticipantAssignment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"panelParticipantId"}},{"kind":"Field","name":{"kind":"Name","value":"studyVersion"}},{"kind":"Field","name":{"kind":"Name","value":"assignedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]}}]} as unknown as DocumentNode<ParticipantAssignmentQuery, ParticipantAssignmentQueryVariables>;
export const QueryStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"QueryStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"QueryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"queryStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"queryId"}},{"kind":"Field","name":{"kind":"Name","value":"conversationId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"conversationId"}}]}}]}}]}}]} as unknown as DocumentNode<QueryStreamSubscription, QueryStreamSubscriptionVariables>;
export const ResearchStudiesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ResearchStudies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeInactive"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"definitionHash"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}}]}}]}}]}}]} as unknown as DocumentNode<ResearchStudiesQuery, ResearchStudiesQueryVariables>;
export const StartResearcherSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartResearcherSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startResearcherSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<StartResearcherSessionMutation, StartResearcherSessionMutationVariables>;
export const StartSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"StartSessionInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"eventsToken"}},{"kind":"Field","name":{"kind":"Name","value":"urlToken"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"preview"}}]}}]}}]} as unknown as DocumentNode<StartSessionMutation, StartSessionMutationVariables>;
export const StudyAvailableDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudyAvailable"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"study"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}}]} as unknown as DocumentNode<StudyAvailableQuery, StudyAvailableQueryVariables>;
export const StudyDefinitionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudyDefinitions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studyDefinitions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studyId"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"hash"}},{"kind":"Field","name":{"kind":"Name","value":"definition"}},{"kind":"Field","name":{"kind":"Name","value":"firstSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"deployedNow"}}]}}]}}]} as unknown as DocumentNode<StudyDefinitionsQuery, StudyDefinitionsQueryVariables>;
export const StudyIdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudyIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeInactive"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<StudyIdsQuery, StudyIdsQueryVariables>;
export const StudyMonitorDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudyMonitor"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studyMonitor"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"study"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"definitionHash"}}]}},{"kind":"Field","name":{"kind":"Name","value":"consentShown"}},{"kind":"Field","name":{"kind":"Name","value":"consentDeclined"}},{"kind":"Field","name":{"kind":"Name","value":"consented"}},{"kind":"Field","name":{"kind":"Name","value":"withdrawnUnassigned"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatePanelIds"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"inDefinition"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}},{"kind":"Field","name":{"kind":"Name","value":"targetShare"}},{"kind":"Field","name":{"kind":"Name","value":"share"}},{"kind":"Field","name":{"kind":"Name","value":"consented"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"finished"}},{"kind":"Field","name":{"kind":"Name","value":"outcomes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"participants"}}]}},{"kind":"Field","name":{"kind":"Name","value":"withdrawn"}},{"kind":"Field","name":{"kind":"Name","value":"answers"}},{"kind":"Field","name":{"kind":"Name","value":"answering"}},{"kind":"Field","name":{"kind":"Name","value":"answersPerParticipant"}},{"kind":"Field","name":{"kind":"Name","value":"failures"}},{"kind":"Field","name":{"kind":"Name","value":"stopped"}},{"kind":"Field","name":{"kind":"Name","value":"medianLatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"medianTtftMs"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"answersWithUsage"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clickThrough"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shown"}},{"kind":"Field","name":{"kind":"Name","value":"seen"}},{"kind":"Field","name":{"kind":"Name","value":"clicked"}},{"kind":"Field","name":{"kind":"Name","value":"seenClicked"}},{"kind":"Field","name":{"kind":"Name","value":"byDisplayedRank"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RankClickThroughFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byOriginalRank"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RankClickThroughFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"timeOnTask"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"finished"}},{"kind":"Field","name":{"kind":"Name","value":"medianMs"}},{"kind":"Field","name":{"kind":"Name","value":"buckets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromMs"}},{"kind":"Field","name":{"kind":"Name","value":"toMs"}},{"kind":"Field","name":{"kind":"Name","value":"participants"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"questionsPerParticipant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"questions"}},{"kind":"Field","name":{"kind":"Name","value":"atLeast"}},{"kind":"Field","name":{"kind":"Name","value":"participants"}}]}},{"kind":"Field","name":{"kind":"Name","value":"scrollDepth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"participants"}},{"kind":"Field","name":{"kind":"Name","value":"buckets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"participants"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"conversions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"participants"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hour"}},{"kind":"Field","name":{"kind":"Name","value":"answers"}},{"kind":"Field","name":{"kind":"Name","value":"events"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provenance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"studyVersion"}},{"kind":"Field","name":{"kind":"Name","value":"studyHash"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"requestedModel"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPromptHash"}},{"kind":"Field","name":{"kind":"Name","value":"parameters"}},{"kind":"Field","name":{"kind":"Name","value":"answers"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RankClickThroughFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RankClickThrough"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"shown"}},{"kind":"Field","name":{"kind":"Name","value":"seen"}},{"kind":"Field","name":{"kind":"Name","value":"clicked"}},{"kind":"Field","name":{"kind":"Name","value":"seenClicked"}},{"kind":"Field","name":{"kind":"Name","value":"clickRate"}},{"kind":"Field","name":{"kind":"Name","value":"seenClickRate"}}]}}]} as unknown as DocumentNode<StudyMonitorQuery, StudyMonitorQueryVariables>;
export const StudyParticipantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudyParticipants"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studyParticipants"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"answers"}},{"kind":"Field","name":{"kind":"Name","value":"sourceClicks"}},{"kind":"Field","name":{"kind":"Name","value":"inputSignals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messages"}},{"kind":"Field","name":{"kind":"Name","value":"pastedMessages"}},{"kind":"Field","name":{"kind":"Name","value":"pastedChars"}},{"kind":"Field","name":{"kind":"Name","value":"typedMessages"}},{"kind":"Field","name":{"kind":"Name","value":"medianCharsPerSecond"}},{"kind":"Field","name":{"kind":"Name","value":"flags"}}]}},{"kind":"Field","name":{"kind":"Name","value":"assignment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"panelParticipantId"}},{"kind":"Field","name":{"kind":"Name","value":"assignedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}}]}}]}}]} as unknown as DocumentNode<StudyParticipantsQuery, StudyParticipantsQueryVariables>;
export const StudyPilotDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudyPilot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"study"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"pilotPath"}}]}}]}}]} as unknown as DocumentNode<StudyPilotQuery, StudyPilotQueryVariables>;
export const StudyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Study"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"study"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"panel"}},{"kind":"Field","name":{"kind":"Name","value":"consent"}},{"kind":"Field","name":{"kind":"Name","value":"task"}},{"kind":"Field","name":{"kind":"Name","value":"botSignals"}},{"kind":"Field","name":{"kind":"Name","value":"completionCriteria"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"minTurns"}},{"kind":"Field","name":{"kind":"Name","value":"minSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"maxSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"assignment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"showSources"}},{"kind":"Field","name":{"kind":"Name","value":"emptyChatText"}},{"kind":"Field","name":{"kind":"Name","value":"feedbackLabel"}},{"kind":"Field","name":{"kind":"Name","value":"maxTurns"}},{"kind":"Field","name":{"kind":"Name","value":"turnsUsed"}},{"kind":"Field","name":{"kind":"Name","value":"assignedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"secondsUntilFinish"}},{"kind":"Field","name":{"kind":"Name","value":"secondsUntilTimeUp"}}]}}]}}]} as unknown as DocumentNode<StudyQuery, StudyQueryVariables>;
export const WithdrawParticipantDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WithdrawParticipant"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"withdraw"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedQueries"}},{"kind":"Field","name":{"kind":"Name","value":"deletedEvents"}}]}}]}}]} as unknown as DocumentNode<WithdrawParticipantMutation, WithdrawParticipantMutationVariables>;
export const WithdrawDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Withdraw"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"withdraw"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedQueries"}},{"kind":"Field","name":{"kind":"Name","value":"deletedEvents"}}]}}]}}]} as unknown as DocumentNode<WithdrawMutation, WithdrawMutationVariables>;
export const WithdrawalsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Withdrawals"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"withdrawals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"studyId"}},{"kind":"Field","name":{"kind":"Name","value":"studyVersion"}},{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"withdrawnAt"}},{"kind":"Field","name":{"kind":"Name","value":"by"}},{"kind":"Field","name":{"kind":"Name","value":"deletedQueries"}},{"kind":"Field","name":{"kind":"Name","value":"deletedEvents"}},{"kind":"Field","name":{"kind":"Name","value":"panelIdHmac"}}]}}]}}]} as unknown as DocumentNode<WithdrawalsQuery, WithdrawalsQueryVariables>;
export const WithdrawnDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Withdrawn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"withdrawn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"studyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyId"}}}]}]}}]} as unknown as DocumentNode<WithdrawnQuery, WithdrawnQueryVariables>;