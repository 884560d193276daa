/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What kind of interaction an event records. */
export type EventType =
  /** A page or a result was viewed. */
  | 'BROWSE'
  /** A link was clicked (targetUrl says where to). */
  | 'CLICK'
  /** A target action of the study was taken (extraData.label names it). */
  | 'CONVERSION'
  /** The page was scrolled (extraData.scrollDepth, 0..1). */
  | 'SCROLL';

/** Which records to export. Every given condition must hold; omitted ones do not filter. */
export type ExportFilter = {
  /** Only events of these types. Queries have no event type, so this filter returns events only. */
  eventTypes?: Array<EventType> | null | undefined;
  /** Server time, inclusive. */
  from?: string | null | undefined;
  /** Default: both. */
  kinds?: Array<LogRecordKind> | null | undefined;
  /** Only these sessions (at most 100). */
  sessionIds?: Array<string> | null | undefined;
  /** Server time, exclusive. */
  to?: string | null | undefined;
  /** Only these participants (at most 100). */
  userIds?: Array<string> | null | undefined;
};

/** A click on a link of a stored answer, logged by the site's redirect route. */
export type LogClickInput = {
  /** When it was clicked, on the participant's device. */
  clientTime?: string | null | undefined;
  /** The tracker's eventId for this click, so the click is stored once; omitted: a new one. */
  eventId?: string | null | undefined;
  /** The page on which it was clicked. */
  pageUrl?: string | null | undefined;
  /** Prolific's STUDY_ID, when given. */
  prolificStudyId?: string | null | undefined;
  /** The answer whose link was clicked. */
  queryId: string;
  /** The participant's session. */
  sessionId: string;
  /** The link's URL. */
  targetUrl: string;
  /** The participant. */
  userId: string;
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
  /** Prolific's STUDY_ID from the participant's link, kept on the record. */
  prolificStudyId?: string | null | undefined;
  /** The message the event relates to, if any. */
  query?: string | null | undefined;
  /** The answer (QueryResult.id) that this event is about, where there is one. */
  queryId?: string | null | undefined;
  /** The participant's session. */
  sessionId: string;
  /** Where a click led. */
  targetUrl?: string | null | undefined;
  /** The participant. */
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
  /** Prolific's STUDY_ID from the participant's link, kept on the record. */
  prolificStudyId?: string | null | undefined;
  /** The participant's message: 1 to 8000 characters after trimming. */
  query: string;
  /** The participant's session. */
  sessionId: string;
  /** The participant. */
  userId: string;
};

export type AskMutationVariables = Exact<{
  input: QueryInput;
}>;


export type AskMutation = { query: { id: string, conversationId: string } };

export type ConversationQueryVariables = Exact<{
  id: string;
  userId: string;
}>;


export type ConversationQuery = { conversation: Array<{ id: string, query: string, response: string | null, error: string | null, model: string, receivedAt: string, sources: Array<{ rank: number, title: string, url: string, content: string | null }> }> };

export type ExportPageQueryVariables = Exact<{
  filter?: ExportFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ExportPageQuery = { export: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node:
        | { __typename: 'EventRecord', eventId: string, eventType: EventType, queryId: string | null, targetUrl: string | null, pageUrl: string | null, extraData: unknown, id: string, userId: string, sessionId: string, prolificStudyId: string | null, receivedAt: string, clientTime: string | null, eventQuery: string | null }
        | { __typename: 'QueryRecord', conversationId: string, query: string, response: string | null, model: string, latencyMs: number | null, error: string | null, id: string, userId: string, sessionId: string, prolificStudyId: string | null, receivedAt: string, clientTime: string | null, sources: Array<{ rank: number, title: string, url: string, content: string | null }> }
       }> } };

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


export const AskDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Ask"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"QueryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"query"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"conversationId"}}]}}]}}]} as unknown as DocumentNode<AskMutation, AskMutationVariables>;
export const ConversationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Conversation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"response"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}}]}}]} as unknown as DocumentNode<ConversationQuery, ConversationQueryVariables>;
export const ExportPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ExportFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"prolificStudyId"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"clientTime"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueryRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversationId"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"response"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","alias":{"kind":"Name","value":"eventQuery"},"name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"queryId"}},{"kind":"Field","name":{"kind":"Name","value":"targetUrl"}},{"kind":"Field","name":{"kind":"Name","value":"pageUrl"}},{"kind":"Field","name":{"kind":"Name","value":"extraData"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ExportPageQuery, ExportPageQueryVariables>;
export const LlmStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LlmStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llm"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]}}]} as unknown as DocumentNode<LlmStatusQuery, LlmStatusQueryVariables>;
export const LogClickDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LogClick"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LogClickInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logClick"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"duplicate"}}]}}]}}]} as unknown as DocumentNode<LogClickMutation, LogClickMutationVariables>;
export const LogEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LogEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"events"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LogEventInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"events"},"value":{"kind":"Variable","name":{"kind":"Name","value":"events"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}}]}}]}}]} as unknown as DocumentNode<LogEventsMutation, LogEventsMutationVariables>;