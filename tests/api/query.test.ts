import { describe, expect, it } from "vitest";
import { askOk, exportAll, ISO_MS_Z, uid } from "./helpers";
import { gql, testApp } from "./support";

const COFFEE_SOURCES = [
  {
    rank: 1,
    title: "Coffee consumption and health: umbrella review (BMJ, 2017)",
    url: "https://www.bmj.com/content/359/bmj.j5024",
  },
  {
    rank: 2,
    title: "Spilling the Beans: How Much Caffeine is Too Much? (FDA)",
    url: "https://www.fda.gov/consumers/consumer-updates/spilling-beans-how-much-caffeine-too-much",
  },
  {
    rank: 3,
    title: "Caffeine and sleep (Sleep Foundation)",
    url: "https://www.sleepfoundation.org/nutrition/caffeine-and-sleep",
  },
];

const CONVERSATION = `query Turns($id: ID!, $userId: ID!) {
  conversation(id: $id, userId: $userId) {
    id conversationId userId sessionId query response model receivedAt
  }
}`;

type Turn = {
  id: string;
  conversationId: string;
  userId: string;
  sessionId: string;
  query: string;
  response: string | null;
  model: string;
  receivedAt: string;
};

async function turns(id: string, userId: string): Promise<Turn[]> {
  const result = await gql<{ conversation: Turn[] }>(testApp(), CONVERSATION, { id, userId });
  expect(result.errors).toBeUndefined();
  return result.data?.conversation ?? [];
}

describe("query with the default scripted LLM", () => {
  it("answers a coffee question with the scripted answer, its ranked sources and every field", async () => {
    const before = Date.now();
    const answer = await askOk(testApp(), {
      userId: uid(),
      sessionId: uid(),
      query: "Is coffee good for me?",
    });

    expect(answer.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.conversationId).not.toBe(answer.id);
    expect(answer.response).toContain("3 to 4 cups a day");
    expect(answer.response).toContain(
      "[FDA's consumer update](https://www.fda.gov/consumers/consumer-updates/spilling-beans-how-much-caffeine-too-much)",
    );
    expect(answer.sources).toHaveLength(3);
    expect(answer.sources).toMatchObject(COFFEE_SOURCES);
    for (const source of answer.sources) {
      expect(typeof source.content).toBe("string");
      expect(source.content?.length).toBeGreaterThan(20);
    }
    expect(answer.sources[0]?.content).toContain("three to four cups a day");
    expect(answer.model).toBe("scripted-demo");
    expect(Number.isInteger(answer.latencyMs)).toBe(true);
    expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
    expect(answer.createdAt).toMatch(ISO_MS_Z);
    const created = Date.parse(answer.createdAt);
    expect(created).toBeGreaterThanOrEqual(before - 5_000);
    expect(created).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it("answers other messages from the fallback, with the message quoted and its one source", async () => {
    const answer = await askOk(testApp(), { userId: uid(), sessionId: uid(), query: "What is a teapot?" });
    expect(answer.response).toContain("scripted demo LLM");
    expect(answer.response).toContain("> What is a teapot?");
    expect(answer.sources).toEqual([
      {
        rank: 1,
        title: "Large language model (Wikipedia)",
        url: "https://en.wikipedia.org/wiki/Large_language_model",
        content: expect.stringContaining("language model"),
      },
    ]);
  });

  it("stores the query: export shows the same answer with the caller's ids and client time", async () => {
    const userId = uid();
    const sessionId = uid();
    const prolificStudyId = `study-${uid()}`;
    const app = testApp();
    const answer = await askOk(app, {
      userId,
      sessionId,
      prolificStudyId,
      query: "How much caffeine is too much?",
      // Another zone on the way in; stored and exported in UTC.
      clientTime: "2026-03-01T10:15:30.250+02:00",
    });

    const { nodes, totalCount } = await exportAll(app, { userIds: [userId] });
    expect(totalCount).toBe(1);
    expect(nodes).toEqual([
      {
        __typename: "QueryRecord",
        id: answer.id,
        userId,
        sessionId,
        prolificStudyId,
        receivedAt: answer.createdAt,
        clientTime: "2026-03-01T08:15:30.250Z",
        conversationId: answer.conversationId,
        query: "How much caffeine is too much?",
        response: answer.response,
        sources: answer.sources,
        model: "scripted-demo",
        latencyMs: answer.latencyMs,
        error: null,
      },
    ]);
  });

  it("keeps optional ids null when they are not given", async () => {
    const userId = uid();
    const app = testApp();
    await askOk(app, { userId, sessionId: uid(), query: "sleep tips?" });
    const { nodes } = await exportAll(app, { userIds: [userId] });
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ prolificStudyId: null, clientTime: null, error: null });
  });

  it("continues a conversation: the second turn keeps its conversationId and both turns are listed in order", async () => {
    const userId = uid();
    const sessionId = uid();
    const app = testApp();
    const first = await askOk(app, { userId, sessionId, query: "Is coffee healthy?" });
    const second = await askOk(app, {
      userId,
      sessionId,
      query: "And how does it affect sleep?",
      conversationId: first.conversationId,
    });

    expect(second.conversationId).toBe(first.conversationId);
    expect(second.id).not.toBe(first.id);
    expect(Date.parse(second.createdAt)).toBeGreaterThanOrEqual(Date.parse(first.createdAt));

    const listed = await turns(first.conversationId, userId);
    expect(listed.map((t) => [t.id, t.query, t.response])).toEqual([
      [first.id, "Is coffee healthy?", first.response],
      [second.id, "And how does it affect sleep?", second.response],
    ]);
    for (const turn of listed) {
      expect(turn).toMatchObject({ conversationId: first.conversationId, userId, sessionId });
    }

    // A new message without conversationId starts another conversation.
    const other = await askOk(app, { userId, sessionId, query: "climate?" });
    expect(other.conversationId).not.toBe(first.conversationId);
    expect(await turns(first.conversationId, userId)).toHaveLength(2);
    expect((await turns(other.conversationId, userId)).map((t) => t.id)).toEqual([other.id]);
  });

  it("shows a conversation only to its participant", async () => {
    const owner = uid();
    const stranger = uid();
    const app = testApp();
    const first = await askOk(app, { userId: owner, sessionId: uid(), query: "coffee?" });
    await askOk(app, {
      userId: owner,
      sessionId: uid(),
      query: "espresso?",
      conversationId: first.conversationId,
    });

    expect(await turns(first.conversationId, owner)).toHaveLength(2);
    expect(await turns(first.conversationId, stranger)).toEqual([]);
    expect(await turns(uid(), owner)).toEqual([]);

    // Another participant who reuses the id writes only into their own view of it.
    const intruder = await askOk(app, {
      userId: stranger,
      sessionId: uid(),
      query: "sleep?",
      conversationId: first.conversationId,
    });
    expect((await turns(first.conversationId, stranger)).map((t) => t.id)).toEqual([intruder.id]);
    expect((await turns(first.conversationId, owner)).map((t) => t.query)).toEqual(["coffee?", "espresso?"]);
  });
});
