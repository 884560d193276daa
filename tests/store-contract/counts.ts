import { describe, expect, it } from "vitest";
import type { ExportFilter, LogRecord, NewEvent, StudyTag } from "../../api/store/store";
import {
  exportAll,
  type GetStore,
  matches,
  newEvent,
  newQuery,
  newWithdrawal,
  plusMs,
  sleep,
  uid,
} from "./shared";

const HOUR_MS = 3_600_000;

/** The start of a time's hour (UTC), ISO-8601 with milliseconds. */
const hourStart = (iso: string) => `${iso.slice(0, 13)}:00:00.000Z`;

/**
 * count without participants, sessions or panel ids in the filter: over
 * studies, conditions, kinds, event types and time, which D1 counts from
 * its hourly rollup plus the partial hours at `from` and `to`. Checked
 * against the reference semantics (shared.ts: matches) on the records as
 * the export reads them, after the records arrive and again after a
 * withdrawal deletes some of them; and the unfiltered count, by how much
 * it changes (the suite's tests run one after another, so nothing else
 * writes meanwhile).
 */
export function describeStudyCounts(store: GetStore): void {
  describe("count by study, condition, kind, event type and time", () => {
    it("agrees with the records after inserts and after a withdrawal, at every hour boundary", async () => {
      const studyId = uid("study");
      const otherStudy = uid("study");
      const [u1, u2, u3] = [uid("user"), uid("user"), uid("user")];
      const tag = (condition: string | null, study = studyId): StudyTag => ({
        studyId: study,
        condition,
        studyVersion: 1,
      });
      const before = await store().count({});

      const times: string[] = [];
      const query = async (userId: string, t: StudyTag | null) => {
        const q = await store().recordQuery(
          newQuery({ userId, ...(t ?? { studyId: null, condition: null, studyVersion: null }) }),
        );
        times.push(q.receivedAt);
      };
      const sent: NewEvent[] = [];
      const events = async (list: [string, StudyTag, "CLICK" | "SCROLL" | "STUDY_STEP"][]) => {
        const batch = list.map(([userId, t, eventType]) =>
          newEvent({
            userId,
            ...t,
            eventType,
            extraData: eventType === "STUDY_STEP" ? { step: "consent_shown" } : null,
          }),
        );
        sent.push(...batch);
        const results = await store().recordEvents(batch);
        times.push(...results.map((r) => r.receivedAt));
      };
      await events([
        [u1, tag(null), "STUDY_STEP"],
        [u2, tag(null), "STUDY_STEP"],
      ]);
      await query(u1, tag("a"));
      await sleep(10);
      await events([
        [u1, tag("a"), "CLICK"],
        [u2, tag("b"), "SCROLL"],
        [u3, tag("a", otherStudy), "CLICK"],
      ]);
      await query(u2, tag("b"));
      await sleep(10);
      await query(u2, null); // outside any study: deleted with u2's withdrawal too
      await events([[u2, tag("b"), "CLICK"]]);
      await query(u1, tag("a"));
      await query(u3, tag("b", otherStudy));
      const added = times.length;
      expect(await store().count({})).toBe(before + added);
      // Sent again: duplicates, stored once, counted once.
      expect((await store().recordEvents(sent)).every((r) => r.duplicate)).toBe(true);
      expect(await store().count({})).toBe(before + added);

      const sorted = [...times].sort();
      const [first, last] = [sorted[0] as string, sorted.at(-1) as string];
      const middle = sorted[Math.floor(sorted.length / 2)] as string;
      const studies = [studyId, otherStudy];
      const filters: [string, ExportFilter][] = [
        ["a study", { studyIds: [studyId] }],
        ["two studies", { studyIds: studies }],
        ["a condition", { studyIds: studies, conditions: ["a"] }],
        ["conditions alone", { conditions: ["b"] }],
        ["queries", { studyIds: studies, kinds: ["QUERY"] }],
        ["events", { studyIds: studies, kinds: ["EVENT"] }],
        ["event types", { studyIds: studies, eventTypes: ["CLICK", "STUDY_STEP"] }],
        [
          "event types with kinds [QUERY]: nothing",
          { studyIds: studies, kinds: ["QUERY"], eventTypes: ["CLICK"] },
        ],
        ["from a record's time (inclusive)", { studyIds: studies, from: middle }],
        ["to a record's time (exclusive)", { studyIds: studies, to: middle }],
        ["from and to, records' times", { studyIds: studies, from: first, to: last }],
        [
          "from and to, between records",
          { studyIds: studies, from: plusMs(first, 1), to: plusMs(middle, 1) },
        ],
        ["from the hour's start", { studyIds: studies, from: hourStart(first) }],
        ["to the hour's start", { studyIds: studies, to: hourStart(last) }],
        [
          "from an hour earlier, to an hour later",
          { studyIds: studies, from: plusMs(first, -HOUR_MS), to: plusMs(last, HOUR_MS) },
        ],
        [
          "from an hour earlier, to a record's time",
          { studyIds: studies, from: plusMs(first, -HOUR_MS), to: middle },
        ],
        [
          "from a record's time, to an hour later",
          { studyIds: studies, from: middle, to: plusMs(last, HOUR_MS) },
        ],
        ["from after every record", { studyIds: studies, from: plusMs(last, 1) }],
        ["from equal to to: nothing", { studyIds: studies, from: middle, to: middle }],
        ["from after to: nothing", { studyIds: studies, from: last, to: first }],
        [
          "everything together",
          {
            studyIds: [studyId],
            conditions: ["a", "b"],
            kinds: ["EVENT"],
            eventTypes: ["CLICK"],
            from: first,
            to: plusMs(last, 1),
          },
        ],
        ["an empty studyIds list: nothing", { studyIds: [] }],
      ];
      const check = async (reference: LogRecord[]) => {
        for (const [name, filter] of filters) {
          const expected = reference.filter((r) => matches(r, filter)).length;
          expect(await store().count(filter), name).toBe(expected);
        }
      };
      const ours = async () => (await exportAll(store(), { studyIds: studies })).records;
      const stored = await ours();
      expect(stored.length).toBe(added - 1);
      await check(stored);
      // The cases are not vacuous: most of them count some records, and some count fewer than all.
      const counts = filters.map(([, f]) => stored.filter((r) => matches(r, f)).length);
      expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(15);
      expect(counts.filter((n) => n > 0 && n < stored.length).length).toBeGreaterThanOrEqual(8);

      const deleted = await store().withdrawParticipant(u2, newWithdrawal({ studyId, condition: "b" }));
      expect(deleted).toEqual({ queries: 2, events: 3 });
      const remaining = await ours();
      expect(remaining.length).toBe(stored.length - 4);
      await check(remaining);
      expect(await store().count({})).toBe(before + added - 5);
    });
  });
}
