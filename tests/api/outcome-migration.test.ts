import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { uid } from "./helpers";

/**
 * Migration 0011 as wrangler applies it: its statements, run again on
 * assignments stored as they were before it (finished without an outcome),
 * give every finished one the outcome completed and leave the others null.
 */
describe("migration 0011_outcomes", () => {
  it("backfills completed where finished_at is set, and only there", async () => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0011_"));
    expect(migration?.name).toBe("0011_outcomes.sql");
    const backfill = migration?.queries.filter((q) => /^\s*UPDATE/i.test(q)) ?? [];
    expect(backfill).toHaveLength(1);

    const studyId = `mig-${uid()}`;
    const [finished, taking] = [uid(), uid()];
    for (const [userId, seq, finishedAt] of [
      [finished, 0, "2026-01-01T10:00:00.000Z"],
      [taking, 1, null],
    ] as const) {
      await env.DB.prepare(
        `INSERT INTO assignments (study_id, user_id, condition, study_version, seq, assigned_at, finished_at, outcome)
         VALUES (?1, ?2, 'a', 1, ?3, '2026-01-01T09:00:00.000Z', ?4, NULL)`,
      )
        .bind(studyId, userId, seq, finishedAt)
        .run();
    }
    for (const query of backfill) await env.DB.prepare(query).run();
    const { results } = await env.DB.prepare(
      "SELECT user_id, outcome FROM assignments WHERE study_id = ?1 ORDER BY seq",
    )
      .bind(studyId)
      .all<{ user_id: string; outcome: string | null }>();
    expect(results).toEqual([
      { user_id: finished, outcome: "completed" },
      { user_id: taking, outcome: null },
    ]);
  });
});
