import { describe, expect, it } from "vitest";
import { signLink } from "../../api/answers/link-signature";
import type { App } from "../../api/app";
import { askOk, exportAll, type LogEventResult, onlyError, storedCount, uid } from "./helpers";
import { gql, testApp } from "./support";

const LOG_CLICK = `mutation Click($input: LogClickInput!) {
  logClick(input: $input) { eventId duplicate receivedAt }
}`;

const BMJ = "https://www.bmj.com/content/359/bmj.j5024";
const FDA = "https://www.fda.gov/consumers/consumer-updates/spilling-beans-how-much-caffeine-too-much";

/**
 * logClick as the click route calls it: with the signature the page was
 * given for the link (made here by the API's own signing code; a test of a
 * wrong signature passes its own).
 */
async function logClick(app: App, input: Record<string, unknown>) {
  const signature =
    input.signature ??
    (await signLink(app.config.sessionSecrets, String(input.queryId), String(input.targetUrl)));
  return gql<{ logClick: LogEventResult }>(app, LOG_CLICK, { input: { ...input, signature } });
}

async function coffeeAnswer(app: App) {
  const userId = uid();
  const sessionId = uid();
  const answer = await askOk(app, { userId, sessionId, query: "Is coffee good for me?" });
  return { userId, sessionId, answer };
}

describe("logClick", () => {
  it("logs a click on a source of the answer as a CLICK event about that answer", async () => {
    const app = testApp();
    const { userId, sessionId, answer } = await coffeeAnswer(app);
    const eventId = uid();
    const result = await logClick(app, {
      eventId,
      userId,
      sessionId,
      queryId: answer.id,
      targetUrl: BMJ,
      pageUrl: "https://study.example/chat",
      clientTime: "2026-04-01T12:00:00.000Z",
      element: "SOURCE_LIST",
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.logClick).toMatchObject({ eventId, duplicate: false });

    const { nodes } = await exportAll(app, { userIds: [userId], eventTypes: ["CLICK"] });
    expect(nodes).toEqual([
      {
        __typename: "EventRecord",
        id: eventId,
        eventId,
        userId,
        sessionId,
        prolificStudyId: null,
        eventType: "CLICK",
        eventQuery: "Is coffee good for me?",
        queryId: answer.id,
        targetUrl: BMJ,
        pageUrl: "https://study.example/chat",
        // The open chat shows the sources as the model ranked them: rank shown = the model's.
        extraData: { via: "redirect", element: "source-list", rank: 1, originalRank: 1 },
        clientTime: "2026-04-01T12:00:00.000Z",
        receivedAt: result.data?.logClick.receivedAt,
      },
    ]);
  });

  it("logs a click on the Markdown link inside the answer", async () => {
    const app = testApp();
    const { userId, sessionId, answer } = await coffeeAnswer(app);
    expect(answer.response).toContain(`](${FDA})`);
    const result = await logClick(app, {
      userId,
      sessionId,
      queryId: answer.id,
      targetUrl: FDA,
      element: "ANSWER_LINK",
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.logClick.duplicate).toBe(false);
    // Without an eventId from the tracker, the server makes one.
    expect(result.data?.logClick.eventId).toMatch(/^[0-9a-f-]{36}$/);

    const { nodes } = await exportAll(app, { userIds: [userId] });
    const clicks = nodes.filter((n) => n.__typename === "EventRecord");
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatchObject({ targetUrl: FDA, queryId: answer.id, eventType: "CLICK" });
    // The FDA page is also the answer's second source: the click says its ranks too.
    expect(clicks[0]?.extraData).toEqual({
      via: "redirect",
      element: "answer-link",
      rank: 2,
      originalRank: 2,
    });
  });

  it("refuses any URL that the answer does not contain with BAD_USER_INPUT, and logs nothing", async () => {
    const app = testApp();
    const { userId, sessionId, answer } = await coffeeAnswer(app);
    const refused = [
      "https://evil.example/",
      `${FDA}/`,
      `${FDA}?utm=1`,
      BMJ.replace("https:", "http:"),
      "https://www.bmj.com/",
      "javascript:alert(document.cookie)",
      "JavaScript:alert(1)",
      "javascript://www.fda.gov/%0aalert(1)",
      "data:text/html,<script>alert(1)</script>",
      "//evil.example/",
      "/relative/path",
      "not a url",
      "",
    ];
    for (const targetUrl of refused) {
      const result = await logClick(app, { userId, sessionId, queryId: answer.id, targetUrl });
      expect(result.data, targetUrl).toBeNull();
      const error = onlyError(result);
      expect(error.code, targetUrl).toBe("BAD_USER_INPUT");
    }
    expect(await storedCount({ userIds: [userId], kinds: ["EVENT"] })).toBe(0);
  });

  it("refuses a link of another answer", async () => {
    const app = testApp();
    const { userId, sessionId } = await coffeeAnswer(app);
    const sleepAnswer = await askOk(app, { userId, sessionId, query: "How much sleep do I need?" });
    const result = await logClick(app, { userId, sessionId, queryId: sleepAnswer.id, targetUrl: BMJ });
    expect(onlyError(result).code).toBe("BAD_USER_INPUT");
    expect(await storedCount({ userIds: [userId], kinds: ["EVENT"] })).toBe(0);
  });

  it("answers NOT_FOUND for an unknown queryId, and logs nothing", async () => {
    const app = testApp();
    const userId = uid();
    const result = await logClick(app, { userId, sessionId: uid(), queryId: uid(), targetUrl: BMJ });
    expect(result.data).toBeNull();
    expect(onlyError(result).code).toBe("NOT_FOUND");
    expect(await storedCount({ userIds: [userId] })).toBe(0);
  });

  it("is idempotent on eventId: the same click twice is stored once", async () => {
    const app = testApp();
    const { userId, sessionId, answer } = await coffeeAnswer(app);
    const input = { eventId: uid(), userId, sessionId, queryId: answer.id, targetUrl: FDA };
    const first = await logClick(app, input);
    const second = await logClick(app, input);
    expect(first.data?.logClick.duplicate).toBe(false);
    expect(second.errors).toBeUndefined();
    expect(second.data?.logClick).toEqual({
      eventId: input.eventId,
      duplicate: true,
      receivedAt: first.data?.logClick.receivedAt,
    });
    expect(await storedCount({ userIds: [userId], eventTypes: ["CLICK"] })).toBe(1);

    // Two clicks without an eventId are two clicks.
    await logClick(app, { ...input, eventId: undefined });
    await logClick(app, { ...input, eventId: undefined });
    expect(await storedCount({ userIds: [userId], eventTypes: ["CLICK"] })).toBe(3);
  });

  it("shares eventIds with logEvent, so the redirect and the tracker store one click", async () => {
    const app = testApp();
    const { userId, sessionId, answer } = await coffeeAnswer(app);
    const eventId = uid();
    const tracked = await gql<{ logEvent: LogEventResult }>(
      app,
      "mutation($input: LogEventInput!) { logEvent(input: $input) { eventId duplicate receivedAt } }",
      { input: { eventId, userId, sessionId, eventType: "CLICK", queryId: answer.id, targetUrl: BMJ } },
    );
    expect(tracked.data?.logEvent.duplicate).toBe(false);
    const redirected = await logClick(app, {
      eventId,
      userId,
      sessionId,
      queryId: answer.id,
      targetUrl: BMJ,
    });
    expect(redirected.data?.logClick).toEqual({
      eventId,
      duplicate: true,
      receivedAt: tracked.data?.logEvent.receivedAt,
    });
    expect(await storedCount({ userIds: [userId], eventTypes: ["CLICK"] })).toBe(1);
  });
});
