import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../api/domain/records";

/**
 * Event types live in one list (api/domain/records.ts); D1 also keeps them
 * in the events table's CHECK constraint, which only a migration changes.
 * A new type added to the list without its migration fails here.
 */
describe("event types", () => {
  it("the migrated D1 events table takes exactly the event types of api/domain/records.ts", async () => {
    const table = await env.DB.prepare(
      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'",
    ).first<{
      sql: string;
    }>();
    const check = /event_type\s+TEXT\s+NOT\s+NULL\s+CHECK\s*\(\s*event_type\s+IN\s*\(([^)]*)\)/i.exec(
      table?.sql ?? "",
    );
    expect(check, table?.sql).not.toBeNull();
    const allowed = (check?.[1] ?? "").split(",").map((v) => v.trim().replace(/^'|'$/g, ""));
    expect(allowed.sort()).toEqual([...EVENT_TYPES].sort());
  });
});
