import { describe, expect, it } from "vitest";
import { InvalidCursorError } from "../../api/store/store";
import { type GetStore, newEvent, newQuery, plusMs, sleep, uid } from "./shared";

/**
 * What the downloads read beyond the export's pages: sourceClicks (clicks
 * per answer and URL, before a time), exportParticipants (assignments in
 * order with their counts, paged, oldest or newest first), storedStudyValues (which study ids and
 * conditions are on stored records).
 */
export function describeDownloads(store: GetStore): void {
  describe("downloads: sourceClicks, exportParticipants, storedStudyValues", () => {
    it("sourceClicks counts CLICK events per queryId and targetUrl, with the first one's time, before `before`", async () => {
      const userId = uid("user");
      const [q1, q2, other] = [uid("query"), uid("query"), uid("query")];
      const click = (queryId: string, targetUrl: string | null) =>
        newEvent({ userId, eventType: "CLICK", queryId, targetUrl });
      const [first] = await store().recordEvents([
        click(q1, "https://a.example/"),
        click(q2, "https://a.example/"),
      ]);
      await sleep(5);
      const [later] = await store().recordEvents([
        click(q1, "https://a.example/"),
        click(q1, "https://b.example/"),
        click(q1, null),
        newEvent({ userId, eventType: "SCROLL", queryId: q1, targetUrl: "https://a.example/" }),
        click(other, "https://a.example/"),
      ]);
      const sorted = (rows: Awaited<ReturnType<ReturnType<GetStore>["sourceClicks"]>>) =>
        [...rows].sort((a, b) => `${a.queryId}${a.targetUrl}`.localeCompare(`${b.queryId}${b.targetUrl}`));
      const all = sorted(await store().sourceClicks([q1, q2], null));
      const expected = sorted([
        { queryId: q1, targetUrl: "https://a.example/", clicks: 2, firstClickAt: first?.receivedAt ?? "" },
        { queryId: q1, targetUrl: "https://b.example/", clicks: 1, firstClickAt: later?.receivedAt ?? "" },
        { queryId: q2, targetUrl: "https://a.example/", clicks: 1, firstClickAt: first?.receivedAt ?? "" },
      ]);
      expect(all).toEqual(expected);
      const before = sorted(await store().sourceClicks([q1, q2], plusMs(first?.receivedAt ?? "", 1)));
      expect(before.map((c) => [c.queryId, c.targetUrl, c.clicks])).toEqual(
        sorted([
          { queryId: q1, targetUrl: "https://a.example/", clicks: 1, firstClickAt: "" },
          { queryId: q2, targetUrl: "https://a.example/", clicks: 1, firstClickAt: "" },
        ]).map((c) => [c.queryId, c.targetUrl, c.clicks]),
      );
      expect(await store().sourceClicks([], null)).toEqual([]);
    });

    it("exportParticipants pages assignments in consent order with answers and source clicks counted before `to`", async () => {
      const studyId = uid("study");
      const users = [uid("user"), uid("user"), uid("user")];
      for (const [i, userId] of users.entries()) {
        await store().assign({
          studyId,
          userId,
          studyVersion: 2,
          panelParticipantId: i === 0 ? "PID-x" : null,
          choose: () => (i === 2 ? "b" : "a"),
        });
        await sleep(3);
      }
      const [u0, u1, u2] = users as [string, string, string];
      const tag = { studyId, condition: "a", studyVersion: 2 };
      const q = await store().recordQuery(newQuery({ ...tag, userId: u0 }));
      await store().recordQuery(newQuery({ ...tag, userId: u0 }));
      await store().recordEvents([
        newEvent({ ...tag, userId: u0, eventType: "CLICK", queryId: q.id, targetUrl: "https://a.example/" }),
        newEvent({ ...tag, userId: u0, eventType: "CLICK", queryId: null, targetUrl: "https://a.example/" }),
        newEvent({ ...tag, userId: u1, eventType: "SCROLL", queryId: q.id }),
      ]);
      // Another study's records of the same participant do not count.
      await store().recordQuery(
        newQuery({ userId: u0, studyId: uid("study"), condition: "a", studyVersion: 1 }),
      );
      await store().finishAssignment(studyId, u1, "completed");

      const seen: { userId: string; answers: number; sourceClicks: number; finished: boolean }[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await store().exportParticipants({ studyIds: [studyId] }, 2, after);
        pages++;
        for (const row of page.rows)
          seen.push({
            userId: row.assignment.userId,
            answers: row.answers,
            sourceClicks: row.sourceClicks,
            finished: row.assignment.finishedAt !== null,
          });
        if (!page.hasNextPage) break;
        after = page.rows.at(-1)?.cursor ?? null;
      }
      expect(pages).toBe(2);
      expect(seen).toEqual([
        { userId: u0, answers: 2, sourceClicks: 1, finished: false },
        { userId: u1, answers: 0, sourceClicks: 0, finished: true },
        { userId: u2, answers: 0, sourceClicks: 0, finished: false },
      ]);
      const byCondition = await store().exportParticipants(
        { studyIds: [studyId], conditions: ["b"] },
        10,
        null,
      );
      expect(byCondition.rows.map((r) => r.assignment.userId)).toEqual([u2]);
      const byPanel = await store().exportParticipants(
        { panelParticipantIds: ["PID-x"], userIds: [u0] },
        10,
        null,
      );
      expect(byPanel.rows.map((r) => r.assignment.userId)).toEqual([u0]);
      const beforeAnswers = await store().exportParticipants(
        { studyIds: [studyId], to: q.receivedAt },
        10,
        null,
      );
      expect(beforeAnswers.rows.map((r) => [r.assignment.userId, r.answers, r.sourceClicks])).toEqual([
        [u0, 0, 0],
        [u1, 0, 0],
        [u2, 0, 0],
      ]);
      const u1At = (await store().getAssignment(studyId, u1))?.assignedAt ?? "";
      const fromU1 = await store().exportParticipants({ studyIds: [studyId], from: u1At }, 10, null);
      expect(fromU1.rows.map((r) => r.assignment.userId)).toEqual([u1, u2]);
      await expect(store().exportParticipants({}, 10, "not-a-cursor")).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    it("exportParticipants with order newest pages the same assignments latest consent first", async () => {
      const studyId = uid("study");
      const users = [uid("user"), uid("user"), uid("user")];
      for (const userId of users) {
        await store().assign({
          studyId,
          userId,
          studyVersion: 1,
          panelParticipantId: null,
          choose: () => "a",
        });
        await sleep(3);
      }
      await store().recordQuery(
        newQuery({ studyId, condition: "a", studyVersion: 1, userId: users[2] ?? "" }),
      );
      const seen: [string, number][] = [];
      let after: string | null = null;
      for (;;) {
        const page = await store().exportParticipants({ studyIds: [studyId] }, 2, after, "newest");
        for (const row of page.rows) seen.push([row.assignment.userId, row.answers]);
        if (!page.hasNextPage) break;
        after = page.rows.at(-1)?.cursor ?? null;
      }
      const [u0, u1, u2] = users as [string, string, string];
      expect(seen).toEqual([
        [u2, 1],
        [u1, 0],
        [u0, 0],
      ]);
      const oldest = await store().exportParticipants({ studyIds: [studyId] }, 10, null, "oldest");
      expect(oldest.rows.map((r) => r.assignment.userId)).toEqual([u0, u1, u2]);
    });

    it("storedStudyValues names the study ids and conditions found on queries, events or assignments", async () => {
      const [onQuery, onEvent, onAssignment, nowhere] = [
        uid("study"),
        uid("study"),
        uid("study"),
        uid("study"),
      ];
      const [c1, c2, c3, c4] = [uid("cond"), uid("cond"), uid("cond"), uid("cond")];
      const userId = uid("user");
      await store().recordQuery(newQuery({ userId, studyId: onQuery, condition: c1, studyVersion: 1 }));
      await store().recordEvents([newEvent({ userId, studyId: onEvent, condition: c2, studyVersion: 1 })]);
      await store().assign({
        studyId: onAssignment,
        userId,
        studyVersion: 1,
        panelParticipantId: null,
        choose: () => c3,
      });
      const found = await store().storedStudyValues({
        studyIds: [onQuery, onEvent, onAssignment, nowhere],
        conditions: [c1, c2, c3, c4],
      });
      expect([...found.studyIds].sort()).toEqual([onQuery, onEvent, onAssignment].sort());
      expect([...found.conditions].sort()).toEqual([c1, c2, c3].sort());
      expect(await store().storedStudyValues({ studyIds: [], conditions: [] })).toEqual({
        studyIds: [],
        conditions: [],
      });
    });
  });
}
