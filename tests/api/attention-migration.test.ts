import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createD1Store } from "../../api/store/d1";
import { uid } from "./helpers";

/**
 * Migration 0012 as wrangler applies it, run again on a D1 that holds
 * events: it rebuilds the events table, so every row (and its seq, which
 * export cursors hold) must survive, the rollups the triggers keep must
 * stay as they were, and the triggers must work on the new table.
 */
describe("migration 0012_attention_checks", () => {
  it("keeps every event and every rollup, and the triggers count on the rebuilt table", async () => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0012_"));
    expect(migration?.name).toBe("0012_attention_checks.sql");
    const store = createD1Store(env.DB);
    const studyId = `mig-${uid()}`;
    const userId = uid();
    const base = {
      userId,
      sessionId: `${userId}-s`,
      prolificStudyId: null,
      panelParticipantId: "PID-1",
      panelSessionId: null,
      studyId,
      condition: "a",
      studyVersion: 1,
      query: null,
      queryId: null,
      targetUrl: null,
      pageUrl: null,
      clientTime: null,
    };
    await store.recordEvents([
      { ...base, eventId: uid(), eventType: "STUDY_STEP", extraData: { step: "consent_shown" } },
      { ...base, eventId: uid(), eventType: "CONVERSION", extraData: { label: "buy" } },
      { ...base, eventId: uid(), eventType: "SCROLL", extraData: { scrollDepth: 0.5 } },
      {
        ...base,
        eventId: uid(),
        eventType: "ATTENTION_CHECK",
        extraData: { checkId: "c", reply: "r", passed: true },
      },
    ]);
    const snapshot = async () =>
      Promise.all(
        [
          "SELECT * FROM events ORDER BY seq",
          "SELECT * FROM hourly_counts ORDER BY study_id, condition, kind, hour",
          "SELECT * FROM consent_counts ORDER BY study_id, user_id",
          "SELECT * FROM conversion_counts ORDER BY study_id, user_id, label",
        ].map(async (sql) => (await env.DB.prepare(sql).all()).results),
      );
    const before = await snapshot();
    await env.DB.batch((migration?.queries ?? []).map((q) => env.DB.prepare(q)));
    expect(await snapshot()).toEqual(before);

    // The triggers work on the new table: a withdrawal's deletes take the counts down.
    await env.DB.prepare(
      "DELETE FROM events WHERE study_id = ?1 AND event_type IN ('STUDY_STEP', 'CONVERSION')",
    )
      .bind(studyId)
      .run();
    const count = (sql: string) => env.DB.prepare(sql).bind(studyId).first<{ n: number }>();
    expect(await count("SELECT count(*) AS n FROM consent_counts WHERE study_id = ?1")).toEqual({ n: 0 });
    expect(await count("SELECT count(*) AS n FROM conversion_counts WHERE study_id = ?1")).toEqual({ n: 0 });
    expect(
      await count(
        "SELECT sum(n) AS n FROM hourly_counts WHERE study_id = ?1 AND kind IN ('SCROLL', 'ATTENTION_CHECK')",
      ),
    ).toEqual({ n: 2 });
    expect(await store.attentionResults(studyId, userId)).toEqual([
      { checkId: "c", reply: "r", passed: true, receivedAt: expect.any(String) },
    ]);
  });
});
