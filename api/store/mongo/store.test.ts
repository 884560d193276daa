import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DataApiServer, startDataApiServer } from "../../../tests/support/data-api-server";
import type { NewEvent } from "../store";
import { createDataApiDatabase } from "./data-api";
import { createMongoStore } from "./store";

/** Round trips of the MongoDB store, counted at the Data API server (the contract suite checks behaviour). */
describe("the MongoDB store's round trips", () => {
  let server: DataApiServer;
  const store = () =>
    createMongoStore(
      createDataApiDatabase({
        url: server.url,
        dataSource: "mongodb-atlas",
        database: "round_trips",
        auth: { kind: "api-key", key: "k" },
        timeoutMs: 5000,
        retries: 2,
        backoffMs: 5,
      }),
    );
  const events = (prefix: string, n: number): NewEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      eventId: `${prefix}-${i}`,
      userId: "u",
      sessionId: "s",
      prolificStudyId: null,
      panelParticipantId: null,
      panelSessionId: null,
      studyId: null,
      condition: null,
      studyVersion: null,
      eventType: "SCROLL",
      query: null,
      queryId: null,
      targetUrl: null,
      pageUrl: null,
      extraData: { i, "$odd.key": true },
      clientTime: null,
    }));

  beforeAll(async () => {
    server = await startDataApiServer({ auth: { apiKey: "k" } });
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it("writes 500 new events in one request", async () => {
    const results = await store().recordEvents(events("new", 500));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(server.requests.map((r) => r.action)).toEqual(["insertMany"]);
    expect(server.documents("round_trips", "events")).toHaveLength(500);
  });

  it("with duplicates: one failed insert, one read, one insert of the rest; nothing stored twice", async () => {
    const s = store();
    await s.recordEvents(events("mix", 10).slice(3, 6));
    server.requests.length = 0;
    const results = await s.recordEvents(events("mix", 10));
    expect(results.map((r) => r.duplicate)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(server.requests.map((r) => r.action)).toEqual(["insertMany", "find", "insertMany"]);
    expect(server.documents("round_trips", "events")).toHaveLength(10);
  });

  it("a batch whose answer was lost is not stored twice and is reported new on the retry", async () => {
    server.failNext(1, { status: 503, applied: true, action: "insertMany" });
    const results = await store().recordEvents(events("lost", 20));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(server.documents("round_trips", "events")).toHaveLength(20);
  });

  it("keeps extraData whose keys MongoDB would refuse, as it was sent", async () => {
    const s = store();
    await s.recordEvents(events("keys", 1));
    const page = await s.exportPage({ userIds: ["u"] }, 10, null);
    const record = page.records[0]?.record;
    expect(record?.kind === "EVENT" ? record.extraData : null).toEqual({ i: 0, "$odd.key": true });
  });
});
