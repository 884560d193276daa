import { describe, expect, it } from "vitest";
import { ask, askOk, exportAll, ISO_MS_Z, onlyError, uid } from "./helpers";
import { gql, testApp } from "./support";

/**
 * The real openai provider pointed at a port where nothing listens: the
 * connection is refused at once, the SDK gives up (no retries), and the API
 * must still store the participant's message. (workerd logs the refused
 * connection as "Network connection lost"; that line is expected.)
 */
const API_KEY = "sk-test-never-shown-4242";
const UNREACHABLE_OPENAI = {
  LLM_PROVIDER: "openai",
  OPENAI_API_KEY: API_KEY,
  OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
  LLM_MAX_RETRIES: "0",
  LLM_TIMEOUT_MS: "2000",
};

describe("query when the LLM provider fails", () => {
  it("returns LLM_UNAVAILABLE with the stored queryId, and export shows the message with its error", async () => {
    const userId = uid();
    const sessionId = uid();
    const app = testApp(UNREACHABLE_OPENAI);
    const result = await ask(app, {
      userId,
      sessionId,
      query: "Is coffee good for me?",
      clientTime: "2026-02-03T04:05:06.007Z",
    });

    expect(result.data).toBeNull();
    const error = onlyError(result);
    expect(error.code).toBe("LLM_UNAVAILABLE");
    // A plain message: the provider's own text (status, model, a masked key) is kept for the record only.
    expect(error.message).toBe(
      "The assistant could not answer just now. Your message was saved; please try again.",
    );
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    const queryId = error.extensions.queryId;
    const conversationId = error.extensions.conversationId;
    expect(typeof queryId).toBe("string");
    expect(typeof conversationId).toBe("string");

    const { nodes } = await exportAll(testApp(), { userIds: [userId] });
    expect(nodes).toHaveLength(1);
    const stored = nodes[0];
    expect(stored).toMatchObject({
      __typename: "QueryRecord",
      id: queryId,
      conversationId,
      userId,
      sessionId,
      query: "Is coffee good for me?",
      response: null,
      sources: [],
      model: "gpt-4o-mini",
      clientTime: "2026-02-03T04:05:06.007Z",
    });
    expect(stored?.error).toEqual(expect.any(String));
    expect(stored?.error?.trim().length).toBeGreaterThan(0);
    expect(stored?.error).toContain("could not be reached");
    expect(stored?.error).not.toContain(API_KEY);
    expect(Number.isInteger(stored?.latencyMs)).toBe(true);
    expect(stored?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(stored?.receivedAt).toMatch(ISO_MS_Z);
  });

  it("keeps the failed turn in the conversation, which the participant can continue", async () => {
    const userId = uid();
    const sessionId = uid();
    const failed = onlyError(await ask(testApp(UNREACHABLE_OPENAI), { userId, sessionId, query: "coffee?" }));
    expect(failed.code).toBe("LLM_UNAVAILABLE");
    const conversationId = String(failed.extensions.conversationId);

    // The provider is back (here: the scripted one, on the same database).
    const retry = await askOk(testApp(), { userId, sessionId, query: "coffee, again?", conversationId });
    expect(retry.conversationId).toBe(conversationId);

    const result = await gql<{
      conversation: { id: string; response: string | null; error: string | null }[];
    }>(
      testApp(),
      "query($id: ID!, $userId: ID!) { conversation(id: $id, userId: $userId) { id response error } }",
      { id: conversationId, userId },
    );
    expect(result.errors).toBeUndefined();
    const listed = result.data?.conversation ?? [];
    expect(listed.map((t) => t.id)).toEqual([failed.extensions.queryId, retry.id]);
    expect(listed[0]?.response).toBeNull();
    expect(listed[0]?.error).toBeTruthy();
    expect(listed[1]).toMatchObject({ response: retry.response, error: null });
  });
});
