/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ParticipantExport($after: String, $first: Int!, $userIds: [ID!], $panelParticipantIds: [ID!], $studyIds: [ID!], $conditions: [String!]) {\n  export(\n    first: $first\n    after: $after\n    filter: {userIds: $userIds, panelParticipantIds: $panelParticipantIds, studyIds: $studyIds, conditions: $conditions}\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          error\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          sources {\n            rank\n            title\n            url\n            content\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}": typeof types.ParticipantExportDocument,
};
const documents: Documents = {
    "query ParticipantExport($after: String, $first: Int!, $userIds: [ID!], $panelParticipantIds: [ID!], $studyIds: [ID!], $conditions: [String!]) {\n  export(\n    first: $first\n    after: $after\n    filter: {userIds: $userIds, panelParticipantIds: $panelParticipantIds, studyIds: $studyIds, conditions: $conditions}\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          error\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          sources {\n            rank\n            title\n            url\n            content\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}": types.ParticipantExportDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ParticipantExport($after: String, $first: Int!, $userIds: [ID!], $panelParticipantIds: [ID!], $studyIds: [ID!], $conditions: [String!]) {\n  export(\n    first: $first\n    after: $after\n    filter: {userIds: $userIds, panelParticipantIds: $panelParticipantIds, studyIds: $studyIds, conditions: $conditions}\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          error\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          sources {\n            rank\n            title\n            url\n            content\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ParticipantExport($after: String, $first: Int!, $userIds: [ID!], $panelParticipantIds: [ID!], $studyIds: [ID!], $conditions: [String!]) {\n  export(\n    first: $first\n    after: $after\n    filter: {userIds: $userIds, panelParticipantIds: $panelParticipantIds, studyIds: $studyIds, conditions: $conditions}\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          error\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          sources {\n            rank\n            title\n            url\n            content\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;