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
    "mutation Ask($input: QueryInput!) {\n  query(input: $input) {\n    id\n    conversationId\n  }\n}": typeof types.AskDocument,
    "query Conversation($id: ID!) {\n  conversation(id: $id) {\n    id\n    query\n    response\n    displayedResponse\n    display {\n      sourcesShown\n      markers\n      answerLinks\n    }\n    error\n    stopped\n    model\n    receivedAt\n    sources {\n      rank\n      originalRank\n      injected\n      title\n      url\n      content\n    }\n    links {\n      url\n      signature\n    }\n  }\n}": typeof types.ConversationDocument,
    "query Conversations($studyId: ID) {\n  conversations(studyId: $studyId) {\n    id\n    title\n    turns\n    lastAt\n  }\n}": typeof types.ConversationsDocument,
    "mutation Enroll($input: StudyParticipantInput!) {\n  enroll(input: $input) {\n    assignedAt\n  }\n}": typeof types.EnrollDocument,
    "query ExportPage($filter: ExportFilter, $first: Int!, $after: String) {\n  export(filter: $filter, first: $first, after: $after) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        panelParticipants\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          displayedResponse\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          usage {\n            promptTokens\n            completionTokens\n            totalTokens\n          }\n          historyTurns\n          error\n          sources {\n            rank\n            originalRank\n            injected\n            title\n            url\n            content\n          }\n          modelSources {\n            rank\n            title\n            url\n            content\n          }\n          provenance {\n            provider\n            endpoint\n            requestedModel\n            systemPromptHash\n            parameters\n            sourcesShown\n            order\n            permutation\n            rotation\n            limit\n            inject {\n              position\n              url\n            }\n            citations\n            markers\n            answerLinks\n            studyHash\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          eventQuery: query\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}": typeof types.ExportPageDocument,
    "mutation FinishStudy($input: StudyParticipantInput!) {\n  finishStudy(input: $input) {\n    outcome\n    code\n    message\n    redirectUrl\n    redirectDelaySeconds\n  }\n}": typeof types.FinishStudyDocument,
    "query LlmStatus {\n  status {\n    llm {\n      name\n      detail\n    }\n  }\n}": typeof types.LlmStatusDocument,
    "mutation LogClick($input: LogClickInput!) {\n  logClick(input: $input) {\n    eventId\n    duplicate\n  }\n}": typeof types.LogClickDocument,
    "mutation LogEvents($events: [LogEventInput!]!) {\n  logEvents(events: $events) {\n    accepted\n    duplicates\n  }\n}": typeof types.LogEventsDocument,
    "query Me {\n  me {\n    userId\n    sessionId\n  }\n}": typeof types.MeDocument,
    "query ParticipantAssignment($studyId: ID!, $userId: ID!) {\n  assignment(studyId: $studyId, userId: $userId) {\n    userId\n    condition\n    panelParticipantId\n    studyVersion\n    assignedAt\n    finishedAt\n  }\n}": typeof types.ParticipantAssignmentDocument,
    "subscription QueryStream($input: QueryInput!) {\n  queryStream(input: $input) {\n    queryId\n    conversationId\n    delta\n    result {\n      id\n      conversationId\n    }\n  }\n}": typeof types.QueryStreamDocument,
    "query ResearchStudies {\n  studies(includeInactive: true) {\n    id\n    title\n    version\n    active\n    definitionHash\n    conditions {\n      id\n      weight\n    }\n  }\n}": typeof types.ResearchStudiesDocument,
    "mutation StartResearcherSession {\n  startResearcherSession {\n    token\n    expiresAt\n  }\n}": typeof types.StartResearcherSessionDocument,
    "mutation StartSession($input: StartSessionInput) {\n  startSession(input: $input) {\n    token\n    eventsToken\n    urlToken\n    created\n    userId\n    sessionId\n    expiresAt\n  }\n}": typeof types.StartSessionDocument,
    "query StudyAvailable($id: ID!) {\n  study(id: $id) {\n    available\n  }\n}": typeof types.StudyAvailableDocument,
    "query StudyDefinitions($studyId: ID) {\n  studyDefinitions(studyId: $studyId) {\n    studyId\n    version\n    hash\n    definition\n    firstSeenAt\n    deployedNow\n  }\n}": typeof types.StudyDefinitionsDocument,
    "query StudyIds {\n  studies(includeInactive: true) {\n    id\n  }\n}": typeof types.StudyIdsDocument,
    "query StudyMonitor($studyId: ID!) {\n  studyMonitor(studyId: $studyId) {\n    study {\n      id\n      title\n      version\n      active\n      definitionHash\n    }\n    consentShown\n    consentDeclined\n    consented\n    withdrawnUnassigned\n    duplicatePanelIds\n    conditions {\n      condition\n      inDefinition\n      weight\n      targetShare\n      share\n      consented\n      inProgress\n      finished\n      withdrawn\n      answers\n      answering\n      answersPerParticipant\n      failures\n      stopped\n      medianLatencyMs\n      medianTtftMs\n      tokens {\n        answersWithUsage\n        promptTokens\n        completionTokens\n        totalTokens\n      }\n      clickThrough {\n        shown\n        seen\n        clicked\n        seenClicked\n        byDisplayedRank {\n          ...RankClickThroughFields\n        }\n        byOriginalRank {\n          ...RankClickThroughFields\n        }\n      }\n      timeOnTask {\n        finished\n        medianMs\n        buckets {\n          fromMs\n          toMs\n          participants\n        }\n      }\n      questionsPerParticipant {\n        questions\n        atLeast\n        participants\n      }\n      scrollDepth {\n        participants\n        buckets {\n          from\n          to\n          participants\n        }\n      }\n      conversions {\n        label\n        events\n        participants\n      }\n    }\n    activity {\n      hour\n      answers\n      events\n    }\n    provenance {\n      condition\n      studyVersion\n      studyHash\n      provider\n      requestedModel\n      model\n      systemPromptHash\n      parameters\n      answers\n    }\n  }\n}\n\nfragment RankClickThroughFields on RankClickThrough {\n  rank\n  shown\n  seen\n  clicked\n  seenClicked\n  clickRate\n  seenClickRate\n}": typeof types.StudyMonitorDocument,
    "query StudyParticipants($studyId: ID!, $first: Int, $after: String) {\n  studyParticipants(studyId: $studyId, first: $first, after: $after) {\n    hasNextPage\n    participants {\n      cursor\n      answers\n      sourceClicks\n      assignment {\n        userId\n        condition\n        panelParticipantId\n        assignedAt\n        finishedAt\n      }\n    }\n  }\n}": typeof types.StudyParticipantsDocument,
    "query Study($id: ID!) {\n  study(id: $id) {\n    id\n    version\n    title\n    active\n    consent\n    task\n    completionCriteria {\n      minTurns\n      minSeconds\n    }\n  }\n  assignment(studyId: $id) {\n    showSources\n    emptyChatText\n    feedbackLabel\n    maxTurns\n    turnsUsed\n    assignedAt\n    finishedAt\n  }\n}": typeof types.StudyDocument,
    "mutation WithdrawParticipant($studyId: ID!, $userId: ID!) {\n  withdraw(studyId: $studyId, userId: $userId) {\n    deletedQueries\n    deletedEvents\n  }\n}": typeof types.WithdrawParticipantDocument,
    "mutation Withdraw($studyId: ID!) {\n  withdraw(studyId: $studyId) {\n    deletedQueries\n    deletedEvents\n  }\n}": typeof types.WithdrawDocument,
    "query Withdrawals($studyId: ID) {\n  withdrawals(studyId: $studyId) {\n    id\n    studyId\n    studyVersion\n    condition\n    withdrawnAt\n    by\n    deletedQueries\n    deletedEvents\n    panelIdHmac\n  }\n}": typeof types.WithdrawalsDocument,
    "query Withdrawn($studyId: ID!) {\n  withdrawn(studyId: $studyId)\n}": typeof types.WithdrawnDocument,
};
const documents: Documents = {
    "mutation Ask($input: QueryInput!) {\n  query(input: $input) {\n    id\n    conversationId\n  }\n}": types.AskDocument,
    "query Conversation($id: ID!) {\n  conversation(id: $id) {\n    id\n    query\n    response\n    displayedResponse\n    display {\n      sourcesShown\n      markers\n      answerLinks\n    }\n    error\n    stopped\n    model\n    receivedAt\n    sources {\n      rank\n      originalRank\n      injected\n      title\n      url\n      content\n    }\n    links {\n      url\n      signature\n    }\n  }\n}": types.ConversationDocument,
    "query Conversations($studyId: ID) {\n  conversations(studyId: $studyId) {\n    id\n    title\n    turns\n    lastAt\n  }\n}": types.ConversationsDocument,
    "mutation Enroll($input: StudyParticipantInput!) {\n  enroll(input: $input) {\n    assignedAt\n  }\n}": types.EnrollDocument,
    "query ExportPage($filter: ExportFilter, $first: Int!, $after: String) {\n  export(filter: $filter, first: $first, after: $after) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        panelParticipants\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          displayedResponse\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          usage {\n            promptTokens\n            completionTokens\n            totalTokens\n          }\n          historyTurns\n          error\n          sources {\n            rank\n            originalRank\n            injected\n            title\n            url\n            content\n          }\n          modelSources {\n            rank\n            title\n            url\n            content\n          }\n          provenance {\n            provider\n            endpoint\n            requestedModel\n            systemPromptHash\n            parameters\n            sourcesShown\n            order\n            permutation\n            rotation\n            limit\n            inject {\n              position\n              url\n            }\n            citations\n            markers\n            answerLinks\n            studyHash\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          eventQuery: query\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}": types.ExportPageDocument,
    "mutation FinishStudy($input: StudyParticipantInput!) {\n  finishStudy(input: $input) {\n    outcome\n    code\n    message\n    redirectUrl\n    redirectDelaySeconds\n  }\n}": types.FinishStudyDocument,
    "query LlmStatus {\n  status {\n    llm {\n      name\n      detail\n    }\n  }\n}": types.LlmStatusDocument,
    "mutation LogClick($input: LogClickInput!) {\n  logClick(input: $input) {\n    eventId\n    duplicate\n  }\n}": types.LogClickDocument,
    "mutation LogEvents($events: [LogEventInput!]!) {\n  logEvents(events: $events) {\n    accepted\n    duplicates\n  }\n}": types.LogEventsDocument,
    "query Me {\n  me {\n    userId\n    sessionId\n  }\n}": types.MeDocument,
    "query ParticipantAssignment($studyId: ID!, $userId: ID!) {\n  assignment(studyId: $studyId, userId: $userId) {\n    userId\n    condition\n    panelParticipantId\n    studyVersion\n    assignedAt\n    finishedAt\n  }\n}": types.ParticipantAssignmentDocument,
    "subscription QueryStream($input: QueryInput!) {\n  queryStream(input: $input) {\n    queryId\n    conversationId\n    delta\n    result {\n      id\n      conversationId\n    }\n  }\n}": types.QueryStreamDocument,
    "query ResearchStudies {\n  studies(includeInactive: true) {\n    id\n    title\n    version\n    active\n    definitionHash\n    conditions {\n      id\n      weight\n    }\n  }\n}": types.ResearchStudiesDocument,
    "mutation StartResearcherSession {\n  startResearcherSession {\n    token\n    expiresAt\n  }\n}": types.StartResearcherSessionDocument,
    "mutation StartSession($input: StartSessionInput) {\n  startSession(input: $input) {\n    token\n    eventsToken\n    urlToken\n    created\n    userId\n    sessionId\n    expiresAt\n  }\n}": types.StartSessionDocument,
    "query StudyAvailable($id: ID!) {\n  study(id: $id) {\n    available\n  }\n}": types.StudyAvailableDocument,
    "query StudyDefinitions($studyId: ID) {\n  studyDefinitions(studyId: $studyId) {\n    studyId\n    version\n    hash\n    definition\n    firstSeenAt\n    deployedNow\n  }\n}": types.StudyDefinitionsDocument,
    "query StudyIds {\n  studies(includeInactive: true) {\n    id\n  }\n}": types.StudyIdsDocument,
    "query StudyMonitor($studyId: ID!) {\n  studyMonitor(studyId: $studyId) {\n    study {\n      id\n      title\n      version\n      active\n      definitionHash\n    }\n    consentShown\n    consentDeclined\n    consented\n    withdrawnUnassigned\n    duplicatePanelIds\n    conditions {\n      condition\n      inDefinition\n      weight\n      targetShare\n      share\n      consented\n      inProgress\n      finished\n      withdrawn\n      answers\n      answering\n      answersPerParticipant\n      failures\n      stopped\n      medianLatencyMs\n      medianTtftMs\n      tokens {\n        answersWithUsage\n        promptTokens\n        completionTokens\n        totalTokens\n      }\n      clickThrough {\n        shown\n        seen\n        clicked\n        seenClicked\n        byDisplayedRank {\n          ...RankClickThroughFields\n        }\n        byOriginalRank {\n          ...RankClickThroughFields\n        }\n      }\n      timeOnTask {\n        finished\n        medianMs\n        buckets {\n          fromMs\n          toMs\n          participants\n        }\n      }\n      questionsPerParticipant {\n        questions\n        atLeast\n        participants\n      }\n      scrollDepth {\n        participants\n        buckets {\n          from\n          to\n          participants\n        }\n      }\n      conversions {\n        label\n        events\n        participants\n      }\n    }\n    activity {\n      hour\n      answers\n      events\n    }\n    provenance {\n      condition\n      studyVersion\n      studyHash\n      provider\n      requestedModel\n      model\n      systemPromptHash\n      parameters\n      answers\n    }\n  }\n}\n\nfragment RankClickThroughFields on RankClickThrough {\n  rank\n  shown\n  seen\n  clicked\n  seenClicked\n  clickRate\n  seenClickRate\n}": types.StudyMonitorDocument,
    "query StudyParticipants($studyId: ID!, $first: Int, $after: String) {\n  studyParticipants(studyId: $studyId, first: $first, after: $after) {\n    hasNextPage\n    participants {\n      cursor\n      answers\n      sourceClicks\n      assignment {\n        userId\n        condition\n        panelParticipantId\n        assignedAt\n        finishedAt\n      }\n    }\n  }\n}": types.StudyParticipantsDocument,
    "query Study($id: ID!) {\n  study(id: $id) {\n    id\n    version\n    title\n    active\n    consent\n    task\n    completionCriteria {\n      minTurns\n      minSeconds\n    }\n  }\n  assignment(studyId: $id) {\n    showSources\n    emptyChatText\n    feedbackLabel\n    maxTurns\n    turnsUsed\n    assignedAt\n    finishedAt\n  }\n}": types.StudyDocument,
    "mutation WithdrawParticipant($studyId: ID!, $userId: ID!) {\n  withdraw(studyId: $studyId, userId: $userId) {\n    deletedQueries\n    deletedEvents\n  }\n}": types.WithdrawParticipantDocument,
    "mutation Withdraw($studyId: ID!) {\n  withdraw(studyId: $studyId) {\n    deletedQueries\n    deletedEvents\n  }\n}": types.WithdrawDocument,
    "query Withdrawals($studyId: ID) {\n  withdrawals(studyId: $studyId) {\n    id\n    studyId\n    studyVersion\n    condition\n    withdrawnAt\n    by\n    deletedQueries\n    deletedEvents\n    panelIdHmac\n  }\n}": types.WithdrawalsDocument,
    "query Withdrawn($studyId: ID!) {\n  withdrawn(studyId: $studyId)\n}": types.WithdrawnDocument,
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
export function graphql(source: "mutation Ask($input: QueryInput!) {\n  query(input: $input) {\n    id\n    conversationId\n  }\n}"): (typeof documents)["mutation Ask($input: QueryInput!) {\n  query(input: $input) {\n    id\n    conversationId\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Conversation($id: ID!) {\n  conversation(id: $id) {\n    id\n    query\n    response\n    displayedResponse\n    display {\n      sourcesShown\n      markers\n      answerLinks\n    }\n    error\n    stopped\n    model\n    receivedAt\n    sources {\n      rank\n      originalRank\n      injected\n      title\n      url\n      content\n    }\n    links {\n      url\n      signature\n    }\n  }\n}"): (typeof documents)["query Conversation($id: ID!) {\n  conversation(id: $id) {\n    id\n    query\n    response\n    displayedResponse\n    display {\n      sourcesShown\n      markers\n      answerLinks\n    }\n    error\n    stopped\n    model\n    receivedAt\n    sources {\n      rank\n      originalRank\n      injected\n      title\n      url\n      content\n    }\n    links {\n      url\n      signature\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Conversations($studyId: ID) {\n  conversations(studyId: $studyId) {\n    id\n    title\n    turns\n    lastAt\n  }\n}"): (typeof documents)["query Conversations($studyId: ID) {\n  conversations(studyId: $studyId) {\n    id\n    title\n    turns\n    lastAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Enroll($input: StudyParticipantInput!) {\n  enroll(input: $input) {\n    assignedAt\n  }\n}"): (typeof documents)["mutation Enroll($input: StudyParticipantInput!) {\n  enroll(input: $input) {\n    assignedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExportPage($filter: ExportFilter, $first: Int!, $after: String) {\n  export(filter: $filter, first: $first, after: $after) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        panelParticipants\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          displayedResponse\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          usage {\n            promptTokens\n            completionTokens\n            totalTokens\n          }\n          historyTurns\n          error\n          sources {\n            rank\n            originalRank\n            injected\n            title\n            url\n            content\n          }\n          modelSources {\n            rank\n            title\n            url\n            content\n          }\n          provenance {\n            provider\n            endpoint\n            requestedModel\n            systemPromptHash\n            parameters\n            sourcesShown\n            order\n            permutation\n            rotation\n            limit\n            inject {\n              position\n              url\n            }\n            citations\n            markers\n            answerLinks\n            studyHash\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          eventQuery: query\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ExportPage($filter: ExportFilter, $first: Int!, $after: String) {\n  export(filter: $filter, first: $first, after: $after) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        __typename\n        id\n        userId\n        sessionId\n        prolificStudyId\n        panelParticipantId\n        panelSessionId\n        panelParticipants\n        studyId\n        condition\n        studyVersion\n        receivedAt\n        clientTime\n        ... on QueryRecord {\n          conversationId\n          query\n          response\n          displayedResponse\n          model\n          latencyMs\n          timeToFirstTokenMs\n          stopped\n          usage {\n            promptTokens\n            completionTokens\n            totalTokens\n          }\n          historyTurns\n          error\n          sources {\n            rank\n            originalRank\n            injected\n            title\n            url\n            content\n          }\n          modelSources {\n            rank\n            title\n            url\n            content\n          }\n          provenance {\n            provider\n            endpoint\n            requestedModel\n            systemPromptHash\n            parameters\n            sourcesShown\n            order\n            permutation\n            rotation\n            limit\n            inject {\n              position\n              url\n            }\n            citations\n            markers\n            answerLinks\n            studyHash\n          }\n        }\n        ... on EventRecord {\n          eventId\n          eventType\n          eventQuery: query\n          queryId\n          targetUrl\n          pageUrl\n          extraData\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation FinishStudy($input: StudyParticipantInput!) {\n  finishStudy(input: $input) {\n    outcome\n    code\n    message\n    redirectUrl\n    redirectDelaySeconds\n  }\n}"): (typeof documents)["mutation FinishStudy($input: StudyParticipantInput!) {\n  finishStudy(input: $input) {\n    outcome\n    code\n    message\n    redirectUrl\n    redirectDelaySeconds\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LlmStatus {\n  status {\n    llm {\n      name\n      detail\n    }\n  }\n}"): (typeof documents)["query LlmStatus {\n  status {\n    llm {\n      name\n      detail\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogClick($input: LogClickInput!) {\n  logClick(input: $input) {\n    eventId\n    duplicate\n  }\n}"): (typeof documents)["mutation LogClick($input: LogClickInput!) {\n  logClick(input: $input) {\n    eventId\n    duplicate\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogEvents($events: [LogEventInput!]!) {\n  logEvents(events: $events) {\n    accepted\n    duplicates\n  }\n}"): (typeof documents)["mutation LogEvents($events: [LogEventInput!]!) {\n  logEvents(events: $events) {\n    accepted\n    duplicates\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    userId\n    sessionId\n  }\n}"): (typeof documents)["query Me {\n  me {\n    userId\n    sessionId\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ParticipantAssignment($studyId: ID!, $userId: ID!) {\n  assignment(studyId: $studyId, userId: $userId) {\n    userId\n    condition\n    panelParticipantId\n    studyVersion\n    assignedAt\n    finishedAt\n  }\n}"): (typeof documents)["query ParticipantAssignment($studyId: ID!, $userId: ID!) {\n  assignment(studyId: $studyId, userId: $userId) {\n    userId\n    condition\n    panelParticipantId\n    studyVersion\n    assignedAt\n    finishedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription QueryStream($input: QueryInput!) {\n  queryStream(input: $input) {\n    queryId\n    conversationId\n    delta\n    result {\n      id\n      conversationId\n    }\n  }\n}"): (typeof documents)["subscription QueryStream($input: QueryInput!) {\n  queryStream(input: $input) {\n    queryId\n    conversationId\n    delta\n    result {\n      id\n      conversationId\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ResearchStudies {\n  studies(includeInactive: true) {\n    id\n    title\n    version\n    active\n    definitionHash\n    conditions {\n      id\n      weight\n    }\n  }\n}"): (typeof documents)["query ResearchStudies {\n  studies(includeInactive: true) {\n    id\n    title\n    version\n    active\n    definitionHash\n    conditions {\n      id\n      weight\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartResearcherSession {\n  startResearcherSession {\n    token\n    expiresAt\n  }\n}"): (typeof documents)["mutation StartResearcherSession {\n  startResearcherSession {\n    token\n    expiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartSession($input: StartSessionInput) {\n  startSession(input: $input) {\n    token\n    eventsToken\n    urlToken\n    created\n    userId\n    sessionId\n    expiresAt\n  }\n}"): (typeof documents)["mutation StartSession($input: StartSessionInput) {\n  startSession(input: $input) {\n    token\n    eventsToken\n    urlToken\n    created\n    userId\n    sessionId\n    expiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StudyAvailable($id: ID!) {\n  study(id: $id) {\n    available\n  }\n}"): (typeof documents)["query StudyAvailable($id: ID!) {\n  study(id: $id) {\n    available\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StudyDefinitions($studyId: ID) {\n  studyDefinitions(studyId: $studyId) {\n    studyId\n    version\n    hash\n    definition\n    firstSeenAt\n    deployedNow\n  }\n}"): (typeof documents)["query StudyDefinitions($studyId: ID) {\n  studyDefinitions(studyId: $studyId) {\n    studyId\n    version\n    hash\n    definition\n    firstSeenAt\n    deployedNow\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StudyIds {\n  studies(includeInactive: true) {\n    id\n  }\n}"): (typeof documents)["query StudyIds {\n  studies(includeInactive: true) {\n    id\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StudyMonitor($studyId: ID!) {\n  studyMonitor(studyId: $studyId) {\n    study {\n      id\n      title\n      version\n      active\n      definitionHash\n    }\n    consentShown\n    consentDeclined\n    consented\n    withdrawnUnassigned\n    duplicatePanelIds\n    conditions {\n      condition\n      inDefinition\n      weight\n      targetShare\n      share\n      consented\n      inProgress\n      finished\n      withdrawn\n      answers\n      answering\n      answersPerParticipant\n      failures\n      stopped\n      medianLatencyMs\n      medianTtftMs\n      tokens {\n        answersWithUsage\n        promptTokens\n        completionTokens\n        totalTokens\n      }\n      clickThrough {\n        shown\n        seen\n        clicked\n        seenClicked\n        byDisplayedRank {\n          ...RankClickThroughFields\n        }\n        byOriginalRank {\n          ...RankClickThroughFields\n        }\n      }\n      timeOnTask {\n        finished\n        medianMs\n        buckets {\n          fromMs\n          toMs\n          participants\n        }\n      }\n      questionsPerParticipant {\n        questions\n        atLeast\n        participants\n      }\n      scrollDepth {\n        participants\n        buckets {\n          from\n          to\n          participants\n        }\n      }\n      conversions {\n        label\n        events\n        participants\n      }\n    }\n    activity {\n      hour\n      answers\n      events\n    }\n    provenance {\n      condition\n      studyVersion\n      studyHash\n      provider\n      requestedModel\n      model\n      systemPromptHash\n      parameters\n      answers\n    }\n  }\n}\n\nfragment RankClickThroughFields on RankClickThrough {\n  rank\n  shown\n  seen\n  clicked\n  seenClicked\n  clickRate\n  seenClickRate\n}"): (typeof documents)["query StudyMonitor($studyId: ID!) {\n  studyMonitor(studyId: $studyId) {\n    study {\n      id\n      title\n      version\n      active\n      definitionHash\n    }\n    consentShown\n    consentDeclined\n    consented\n    withdrawnUnassigned\n    duplicatePanelIds\n    conditions {\n      condition\n      inDefinition\n      weight\n      targetShare\n      share\n      consented\n      inProgress\n      finished\n      withdrawn\n      answers\n      answering\n      answersPerParticipant\n      failures\n      stopped\n      medianLatencyMs\n      medianTtftMs\n      tokens {\n        answersWithUsage\n        promptTokens\n        completionTokens\n        totalTokens\n      }\n      clickThrough {\n        shown\n        seen\n        clicked\n        seenClicked\n        byDisplayedRank {\n          ...RankClickThroughFields\n        }\n        byOriginalRank {\n          ...RankClickThroughFields\n        }\n      }\n      timeOnTask {\n        finished\n        medianMs\n        buckets {\n          fromMs\n          toMs\n          participants\n        }\n      }\n      questionsPerParticipant {\n        questions\n        atLeast\n        participants\n      }\n      scrollDepth {\n        participants\n        buckets {\n          from\n          to\n          participants\n        }\n      }\n      conversions {\n        label\n        events\n        participants\n      }\n    }\n    activity {\n      hour\n      answers\n      events\n    }\n    provenance {\n      condition\n      studyVersion\n      studyHash\n      provider\n      requestedModel\n      model\n      systemPromptHash\n      parameters\n      answers\n    }\n  }\n}\n\nfragment RankClickThroughFields on RankClickThrough {\n  rank\n  shown\n  seen\n  clicked\n  seenClicked\n  clickRate\n  seenClickRate\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StudyParticipants($studyId: ID!, $first: Int, $after: String) {\n  studyParticipants(studyId: $studyId, first: $first, after: $after) {\n    hasNextPage\n    participants {\n      cursor\n      answers\n      sourceClicks\n      assignment {\n        userId\n        condition\n        panelParticipantId\n        assignedAt\n        finishedAt\n      }\n    }\n  }\n}"): (typeof documents)["query StudyParticipants($studyId: ID!, $first: Int, $after: String) {\n  studyParticipants(studyId: $studyId, first: $first, after: $after) {\n    hasNextPage\n    participants {\n      cursor\n      answers\n      sourceClicks\n      assignment {\n        userId\n        condition\n        panelParticipantId\n        assignedAt\n        finishedAt\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Study($id: ID!) {\n  study(id: $id) {\n    id\n    version\n    title\n    active\n    consent\n    task\n    completionCriteria {\n      minTurns\n      minSeconds\n    }\n  }\n  assignment(studyId: $id) {\n    showSources\n    emptyChatText\n    feedbackLabel\n    maxTurns\n    turnsUsed\n    assignedAt\n    finishedAt\n  }\n}"): (typeof documents)["query Study($id: ID!) {\n  study(id: $id) {\n    id\n    version\n    title\n    active\n    consent\n    task\n    completionCriteria {\n      minTurns\n      minSeconds\n    }\n  }\n  assignment(studyId: $id) {\n    showSources\n    emptyChatText\n    feedbackLabel\n    maxTurns\n    turnsUsed\n    assignedAt\n    finishedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation WithdrawParticipant($studyId: ID!, $userId: ID!) {\n  withdraw(studyId: $studyId, userId: $userId) {\n    deletedQueries\n    deletedEvents\n  }\n}"): (typeof documents)["mutation WithdrawParticipant($studyId: ID!, $userId: ID!) {\n  withdraw(studyId: $studyId, userId: $userId) {\n    deletedQueries\n    deletedEvents\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Withdraw($studyId: ID!) {\n  withdraw(studyId: $studyId) {\n    deletedQueries\n    deletedEvents\n  }\n}"): (typeof documents)["mutation Withdraw($studyId: ID!) {\n  withdraw(studyId: $studyId) {\n    deletedQueries\n    deletedEvents\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Withdrawals($studyId: ID) {\n  withdrawals(studyId: $studyId) {\n    id\n    studyId\n    studyVersion\n    condition\n    withdrawnAt\n    by\n    deletedQueries\n    deletedEvents\n    panelIdHmac\n  }\n}"): (typeof documents)["query Withdrawals($studyId: ID) {\n  withdrawals(studyId: $studyId) {\n    id\n    studyId\n    studyVersion\n    condition\n    withdrawnAt\n    by\n    deletedQueries\n    deletedEvents\n    panelIdHmac\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Withdrawn($studyId: ID!) {\n  withdrawn(studyId: $studyId)\n}"): (typeof documents)["query Withdrawn($studyId: ID!) {\n  withdrawn(studyId: $studyId)\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;