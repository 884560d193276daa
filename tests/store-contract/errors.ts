import { describe, expect, it } from "vitest";
import { InvalidCursorError } from "../../api/store/store";
import { base64url, exportAll, type GetStore, newQuery, storeQueries, uid } from "./shared";

/** Cursors the store did not make are refused; ping reports the store healthy. */
export function describeErrorsAndHealth(store: GetStore): void {
  describe("errors and health", () => {
    it("a garbage cursor is refused with InvalidCursorError", async () => {
      const userId = uid("user");
      await store().recordQuery(newQuery({ userId }));
      for (const cursor of [
        "not a cursor",
        "!!!",
        "%%%",
        "====",
        "🙂",
        "",
        " ",
        "null",
        "-1",
        "a".repeat(2000),
      ]) {
        await expect(
          store().exportPage({ userIds: [userId] }, 5, cursor),
          JSON.stringify(cursor.slice(0, 20)),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      }
    });

    it("a cursor-looking string that the store did not make is refused with InvalidCursorError", async () => {
      const userId = uid("user");
      await storeQueries(store(), userId, 2);
      const { cursors } = await exportAll(store(), { userIds: [userId] });
      const real = cursors[0] ?? "";
      const forged = [
        ...["v1:abc", "v1:-1", "v1:1.5", "v1:", "v1:1e3", "v1:99999999999999999999999", "v0:1", "v9:1"],
        ...["-1", "{}", "[]", "null", "true", "NaN", "undefined", "cursor"],
      ].map(base64url);
      for (const cursor of [...forged, `${real}!`, `!${real}`, `${real}.${real}`]) {
        await expect(store().exportPage({ userIds: [userId] }, 5, cursor), cursor).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      }
    });

    it("ping answers ok with a latency in milliseconds; the store has a name", async () => {
      const health = await store().ping();
      expect(health.ok).toBe(true);
      expect(typeof health.latencyMs).toBe("number");
      expect(Number.isFinite(health.latencyMs)).toBe(true);
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
      expect(health.detail === null || typeof health.detail === "string").toBe(true);
      expect(store().name).toMatch(/\S/);
    });
  });
}
