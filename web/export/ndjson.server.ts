import type { ExportPageQuery, StudyDefinitionsQuery, WithdrawalsQuery } from "../graphql/generated/graphql";

type Node = ExportPageQuery["export"]["edges"][number]["node"];

/**
 * One exported record as a line of the bulk download, with the field names
 * of storage and of the FastAPI prototype's `/export_data` (snake_case), so
 * researchers' existing scripts keep working.
 */
export function ndjsonLine(node: Node): string {
  const base = {
    user_id: node.userId,
    session_id: node.sessionId,
    prolific_study_id: node.prolificStudyId ?? null,
    panel_participant_id: node.panelParticipantId ?? null,
    panel_session_id: node.panelSessionId ?? null,
    panel_participants: node.panelParticipants ?? null,
    study_id: node.studyId ?? null,
    condition: node.condition ?? null,
    study_version: node.studyVersion ?? null,
    client_time: node.clientTime ?? null,
    received_at: node.receivedAt,
  };
  const row =
    node.__typename === "QueryRecord"
      ? {
          kind: "query",
          query_id: node.id,
          conversation_id: node.conversationId,
          ...base,
          query: node.query,
          response: node.response ?? null,
          displayed_response: node.displayedResponse ?? null,
          sources: node.sources.map(({ originalRank, ...s }) => ({
            ...s,
            original_rank: originalRank ?? null,
          })),
          model_sources: node.modelSources ?? null,
          model: node.model,
          ...provenanceColumns(node.provenance ?? null),
          latency_ms: node.latencyMs ?? null,
          ttft_ms: node.timeToFirstTokenMs ?? null,
          stopped: node.stopped,
          history_turns: node.historyTurns,
          error: node.error ?? null,
          // The tokens the provider reported (null when it reported none), flat like provenance.
          prompt_tokens: node.usage?.promptTokens ?? null,
          completion_tokens: node.usage?.completionTokens ?? null,
          total_tokens: node.usage?.totalTokens ?? null,
        }
      : {
          kind: "event",
          event_id: node.eventId,
          ...base,
          event_type: node.eventType,
          query: node.eventQuery ?? null,
          query_id: node.queryId ?? null,
          target_url: node.targetUrl ?? null,
          page_url: node.pageUrl ?? null,
          extra_data: node.extraData ?? null,
        };
  return `${JSON.stringify(row)}\n`;
}

type Provenance = Extract<Node, { __typename: "QueryRecord" }>["provenance"];

/**
 * An answer's provenance as columns of its line (null on answers stored
 * before it was kept): flat, so a data frame gets one column each.
 */
function provenanceColumns(p: Provenance | null) {
  return {
    provider: p?.provider ?? null,
    endpoint: p?.endpoint ?? null,
    requested_model: p?.requestedModel ?? null,
    system_prompt_hash: p?.systemPromptHash ?? null,
    parameters: p?.parameters ?? null,
    sources_shown: p?.sourcesShown ?? null,
    source_order: p?.order ?? null,
    source_permutation: p?.permutation ?? null,
    source_rotation: p?.rotation ?? null,
    source_limit: p?.limit ?? null,
    source_inject: p?.inject ?? null,
    citations: p?.citations ?? null,
    markers: p?.markers.toLowerCase() ?? null,
    answer_links: p?.answerLinks.toLowerCase() ?? null,
    study_hash: p?.studyHash ?? null,
  };
}

type WithdrawalNode = WithdrawalsQuery["withdrawals"][number];

/**
 * One entry of the withdrawal audit as a line of its download: what was
 * withdrawn and when, never who (the panel id only as its HMAC).
 */
export function withdrawalLine(entry: WithdrawalNode): string {
  const row = {
    withdrawal_id: entry.id,
    study_id: entry.studyId,
    study_version: entry.studyVersion,
    condition: entry.condition ?? null,
    withdrawn_at: entry.withdrawnAt,
    by: entry.by,
    deleted_queries: entry.deletedQueries,
    deleted_events: entry.deletedEvents,
    panel_id_hmac: entry.panelIdHmac ?? null,
  };
  return `${JSON.stringify(row)}\n`;
}

type StudyDefinitionNode = StudyDefinitionsQuery["studyDefinitions"][number];

/** One study definition as deployed, as a line of its download: the study file of one version, with its hash. */
export function studyDefinitionLine(d: StudyDefinitionNode): string {
  return `${JSON.stringify({
    study_id: d.studyId,
    study_version: d.version,
    hash: d.hash,
    first_seen_at: d.firstSeenAt,
    deployed_now: d.deployedNow,
    definition: d.definition,
  })}\n`;
}
