/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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
  /** A step of the participant's way through a study (extraData.step: consent_shown, consent_given, consent_declined, task_shown, chat_shown, completed). */
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

/** The two kinds of stored record. */
export type LogRecordKind =
  /** An interaction event. */
  | 'EVENT'
  /** A participant's message with the model's answer. */
  | 'QUERY';

export type ExportQueryVariables = Exact<{
  filter?: ExportFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ExportQuery = { export: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node:
        | { __typename: 'EventRecord', eventId: string, eventType: EventType, queryId: string | null, targetUrl: string | null, pageUrl: string | null, extraData: unknown, id: string, userId: string, sessionId: string, prolificStudyId: string | null, receivedAt: string, clientTime: string | null, eventQuery: string | null }
        | { __typename: 'QueryRecord', conversationId: string, query: string, response: string | null, model: string, latencyMs: number | null, error: string | null, id: string, userId: string, sessionId: string, prolificStudyId: string | null, receivedAt: string, clientTime: string | null, sources: Array<{ rank: number, title: string, url: string, content: string | null }> }
       }> } };

export type StudyExportQueryVariables = Exact<{
  filter?: ExportFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type StudyExportQuery = { export: { totalCount: number, edges: Array<{ node:
        | { __typename: 'EventRecord', eventType: EventType, extraData: unknown, id: string, userId: string, studyId: string | null, condition: string | null, studyVersion: number | null }
        | { __typename: 'QueryRecord', conversationId: string, query: string, response: string | null, model: string, latencyMs: number | null, timeToFirstTokenMs: number | null, stopped: boolean, error: string | null, id: string, userId: string, studyId: string | null, condition: string | null, studyVersion: number | null, usage: { promptTokens: number | null, completionTokens: number | null, totalTokens: number | null } | null }
       }> } };

export type ParticipantExportQueryVariables = Exact<{
  after?: string | null | undefined;
  first: number;
  userIds?: Array<string> | string | null | undefined;
  panelParticipantIds?: Array<string> | string | null | undefined;
  studyIds?: Array<string> | string | null | undefined;
  conditions?: Array<string> | string | null | undefined;
}>;


export type ParticipantExportQuery = { export: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node:
        | { __typename: 'EventRecord', eventId: string, eventType: EventType, queryId: string | null, targetUrl: string | null, pageUrl: string | null, extraData: unknown, id: string, userId: string, sessionId: string, prolificStudyId: string | null, panelParticipantId: string | null, panelSessionId: string | null, studyId: string | null, condition: string | null, studyVersion: number | null, receivedAt: string, clientTime: string | null }
        | { __typename: 'QueryRecord', conversationId: string, query: string, response: string | null, displayedResponse: string | null, error: string | null, model: string, latencyMs: number | null, timeToFirstTokenMs: number | null, stopped: boolean, id: string, userId: string, sessionId: string, prolificStudyId: string | null, panelParticipantId: string | null, panelSessionId: string | null, studyId: string | null, condition: string | null, studyVersion: number | null, receivedAt: string, clientTime: string | null, usage: { promptTokens: number | null, completionTokens: number | null, totalTokens: number | null } | null, sources: Array<{ rank: number, originalRank: number | null, injected: boolean, title: string, url: string, content: string | null }>, modelSources: Array<{ rank: number, url: string }> | null, provenance: { provider: string, endpoint: string | null, requestedModel: string, systemPromptHash: string | null, parameters: unknown, sourcesShown: boolean, order: string, permutation: Array<number> | null, rotation: number | null, limit: number | null, citations: string, markers: CitationMarkers, answerLinks: AnswerLinks, studyHash: string | null, inject: { position: number, url: string } | null } | null }
       }> } };


export const ExportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Export"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ExportFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"prolificStudyId"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"clientTime"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueryRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversationId"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"response"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","alias":{"kind":"Name","value":"eventQuery"},"name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"queryId"}},{"kind":"Field","name":{"kind":"Name","value":"targetUrl"}},{"kind":"Field","name":{"kind":"Name","value":"pageUrl"}},{"kind":"Field","name":{"kind":"Name","value":"extraData"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ExportQuery, ExportQueryVariables>;
export const StudyExportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudyExport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ExportFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"studyId"}},{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"studyVersion"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueryRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversationId"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"response"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"timeToFirstTokenMs"}},{"kind":"Field","name":{"kind":"Name","value":"stopped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"extraData"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<StudyExportQuery, StudyExportQueryVariables>;
export const ParticipantExportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ParticipantExport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"panelParticipantIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"studyIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"conditions"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"userIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"panelParticipantIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"panelParticipantIds"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"studyIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"studyIds"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"conditions"},"value":{"kind":"Variable","name":{"kind":"Name","value":"conditions"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"prolificStudyId"}},{"kind":"Field","name":{"kind":"Name","value":"panelParticipantId"}},{"kind":"Field","name":{"kind":"Name","value":"panelSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"studyId"}},{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"studyVersion"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"clientTime"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueryRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversationId"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"response"}},{"kind":"Field","name":{"kind":"Name","value":"displayedResponse"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"timeToFirstTokenMs"}},{"kind":"Field","name":{"kind":"Name","value":"stopped"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"originalRank"}},{"kind":"Field","name":{"kind":"Name","value":"injected"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"Field","name":{"kind":"Name","value":"modelSources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provenance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"requestedModel"}},{"kind":"Field","name":{"kind":"Name","value":"systemPromptHash"}},{"kind":"Field","name":{"kind":"Name","value":"parameters"}},{"kind":"Field","name":{"kind":"Name","value":"sourcesShown"}},{"kind":"Field","name":{"kind":"Name","value":"order"}},{"kind":"Field","name":{"kind":"Name","value":"permutation"}},{"kind":"Field","name":{"kind":"Name","value":"rotation"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"inject"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"citations"}},{"kind":"Field","name":{"kind":"Name","value":"markers"}},{"kind":"Field","name":{"kind":"Name","value":"answerLinks"}},{"kind":"Field","name":{"kind":"Name","value":"studyHash"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventRecord"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"queryId"}},{"kind":"Field","name":{"kind":"Name","value":"targetUrl"}},{"kind":"Field","name":{"kind":"Name","value":"pageUrl"}},{"kind":"Field","name":{"kind":"Name","value":"extraData"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ParticipantExportQuery, ParticipantExportQueryVariables>;