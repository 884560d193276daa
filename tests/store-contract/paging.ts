import { describe, expect, it } from "vitest";
import {
  expectNonDecreasingTimes,
  exportAll,
  type GetStore,
  idsOf,
  inWriteOrder,
  newEvents,
  newQuery,
  uid,
} from "./shared";

/**
 * exportPage's pagination: full pages, cursors that continue right after their
 * record, records stored while a reader pages, and ties in server time.
 */
export function describePagination(store: GetStore): void {
  describe("exportPage: pagination", () => {
    /**
     * Stores `count` records of one participant, queries and batches of two
     * events in turn, one write after another; returns their ids by write.
     */
    async function storeMixed(userId: string, count: number): Promise<string[][]> {
      const groups: string[][] = [];
      let stored = 0;
      while (stored < count) {
        if (groups.length % 2 === 0) {
          groups.push([(await store().recordQuery(newQuery({ userId }))).id]);
        } else {
          const batch = newEvents(Math.min(2, count - stored), { userId });
          await store().recordEvents(batch);
          groups.push(batch.map((e) => e.eventId));
        }
        stored += groups.at(-1)?.length ?? 0;
      }
      return groups;
    }

    it("pages through 60 records 7 at a time: full pages, none missed or repeated, hasNextPage false at the end", async () => {
      const userId = uid("user");
      const written = await storeMixed(userId, 60);
      const { records, pageSizes } = await exportAll(store(), { userIds: [userId] }, 7);
      expect(idsOf(records)).toEqual(inWriteOrder(idsOf(records), written));
      expect(pageSizes).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
      expect(await store().count({ userIds: [userId] })).toBe(60);
      expectNonDecreasingTimes(records);
    });

    it("when the records fill the last page exactly, that page has hasNextPage false", async () => {
      const userId = uid("user");
      const written = await storeMixed(userId, 14);
      const { records, pageSizes } = await exportAll(store(), { userIds: [userId] }, 7);
      expect(idsOf(records)).toEqual(inWriteOrder(idsOf(records), written));
      expect(pageSizes).toEqual([7, 7]);
    });

    it("after the last record's cursor: an empty page, hasNextPage false", async () => {
      const userId = uid("user");
      await storeMixed(userId, 3);
      const { cursors } = await exportAll(store(), { userIds: [userId] });
      const page = await store().exportPage({ userIds: [userId] }, 10, cursors.at(-1) ?? null);
      expect(page).toEqual({ records: [], hasNextPage: false });
    });

    it("continuing after any record's cursor starts right after that record", async () => {
      const userId = uid("user");
      await storeMixed(userId, 8);
      const { records, cursors } = await exportAll(store(), { userIds: [userId] });
      const ids = idsOf(records);
      expect(ids).toHaveLength(8);
      for (const [i, cursor] of cursors.entries()) {
        const page = await store().exportPage({ userIds: [userId] }, 3, cursor);
        expect(idsOf(page.records.map((r) => r.record))).toEqual(ids.slice(i + 1, i + 4));
        expect(page.hasNextPage).toBe(i + 4 < ids.length);
      }
    });

    it("records stored between page reads appear at the end, none missed or repeated", async () => {
      const userId = uid("user");
      const filter = { userIds: [userId] };
      const written = await storeMixed(userId, 10);
      const seen: string[] = [];
      let after: string | null = null;
      let reads = 0;
      for (;;) {
        const page = await store().exportPage(filter, 4, after);
        seen.push(...page.records.map((r) => r.record.id));
        reads++;
        if (reads <= 2) {
          // More of the same participant, while a reader is half-way.
          written.push([(await store().recordQuery(newQuery({ userId }))).id]);
          const batch = newEvents(2, { userId });
          await store().recordEvents(batch);
          written.push(batch.map((e) => e.eventId));
        }
        const last = page.records.at(-1);
        if (!page.hasNextPage || !last) break;
        after = last.cursor;
      }
      expect(seen).toEqual(inWriteOrder(seen, written));
      expect(seen).toHaveLength(16);
    });

    it("records stored in the same instant page in one stable order, none missed or repeated at a page boundary", async () => {
      const userId = uid("user");
      const sessionId = uid("session");
      const before = await store().recordQuery(newQuery({ userId, sessionId }));
      // One batch shares (about) one receivedAt; concurrent writes beside it land in the same instant or close.
      const batch = newEvents(25, { userId, sessionId });
      const others = newEvents(5, { userId, sessionId, eventType: "CLICK" });
      const queries = Array.from({ length: 3 }, () => newQuery({ userId, sessionId }));
      await Promise.all([
        store().recordEvents(batch),
        store().recordEvents(others),
        ...queries.map((q) => store().recordQuery(q)),
      ]);
      const after = await store().recordQuery(newQuery({ userId, sessionId }));
      const concurrent = [...[...batch, ...others].map((e) => e.eventId), ...queries.map((q) => q.id)];

      const whole = idsOf((await exportAll(store(), { userIds: [userId] })).records);
      expect(whole).toEqual(inWriteOrder(whole, [[before.id], concurrent, [after.id]]));
      for (const first of [1, 2, 4, 7, 10]) {
        const paged = idsOf((await exportAll(store(), { userIds: [userId] }, first)).records);
        expect(paged, `pages of ${first}`).toEqual(whole);
      }
      // Another filter over the same records (by session) pages in the same order.
      expect(idsOf((await exportAll(store(), { sessionIds: [sessionId] }, 3)).records)).toEqual(whole);
    });

    it("export order never goes back in server time, also for concurrent writes", async () => {
      const userId = uid("user");
      await Promise.all([
        ...Array.from({ length: 5 }, () => store().recordQuery(newQuery({ userId }))),
        ...Array.from({ length: 5 }, () => store().recordEvents(newEvents(3, { userId }))),
      ]);
      await storeMixed(userId, 6);
      const { records } = await exportAll(store(), { userIds: [userId] }, 4);
      expect(records).toHaveLength(26);
      expectNonDecreasingTimes(records);
    });

    it("a filter that matches nothing: no records, hasNextPage false, count 0", async () => {
      const filter = { userIds: [uid("user")] };
      expect(await store().exportPage(filter, 10, null)).toEqual({ records: [], hasNextPage: false });
      expect(await store().count(filter)).toBe(0);
    });
  });
}
