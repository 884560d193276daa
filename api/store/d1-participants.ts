import { assignmentColumns, withdrawalColumns } from "./columns";
import {
  ASSIGNMENT_COLUMNS,
  type AssignmentRow,
  insertList,
  NOW,
  toAssignment,
  toWithdrawal,
  WITHDRAWAL_COLUMNS,
  type WithdrawalRow,
} from "./d1-rows";
import type { Assignment, NewAssignment, NewWithdrawal, ParticipantOperations, Withdrawal } from "./store";
import { STORE_LIMITS } from "./store";

/*
 * A participant's part of the store on D1: assignments (arrival numbers,
 * links, turns, finish), withdrawal and its audit, and who a panel id is.
 */

/** A participant's records that a withdrawal deletes: in the study, and outside any study (the open chat). */
const withdrawnRecords = (table: "queries" | "events", user: string, study: string) =>
  `${table} WHERE user_id = ${user} AND (study_id = ${study} OR study_id IS NULL)`;

export function d1ParticipantOperations(db: D1Database): ParticipantOperations {
  const stored = (studyId: string, userId: string) =>
    db
      .prepare(`SELECT ${ASSIGNMENT_COLUMNS} FROM assignments WHERE study_id = ?1 AND user_id = ?2`)
      .bind(studyId, userId);
  const insert = (row: ReturnType<typeof assignmentColumns>) => {
    const { names, params, values } = insertList(row);
    return db
      .prepare(
        `INSERT INTO assignments (${names}, assigned_at) VALUES (${params}, ${NOW})
         ON CONFLICT DO NOTHING
         RETURNING ${ASSIGNMENT_COLUMNS}`,
      )
      .bind(...values);
  };

  /** A linked assignment takes no arrival number: one insert, which the primary key keeps to one per participant. */
  async function link(input: NewAssignment, linkTo: Assignment) {
    const { studyId, userId, studyVersion, panelParticipantId } = input;
    if (linkTo.studyId !== studyId)
      throw new Error(`cannot link to an assignment of study ${linkTo.studyId}`);
    const row = { studyId, userId, condition: linkTo.condition, studyVersion, seq: null, panelParticipantId };
    const [inserted, after] = await db.batch<AssignmentRow>([
      insert(assignmentColumns({ ...row, linkedTo: linkTo.userId })),
      stored(studyId, userId),
    ]);
    const mine = inserted?.results[0];
    if (mine) return { assignment: toAssignment(mine), created: true };
    const theirs = after?.results[0];
    if (!theirs) throw new Error("D1 stored no assignment and has none");
    return { assignment: toAssignment(theirs), created: false };
  }

  return {
    async assign(input: NewAssignment): Promise<{ assignment: Assignment; created: boolean }> {
      const { studyId, userId, studyVersion, panelParticipantId, choose, linkTo } = input;
      if (linkTo) return link(input, linkTo);
      // The next arrival number: one past the highest (so a withdrawn last
      // participant's number is given again; the others stay unique). Linked
      // assignments have none (NULL), which MAX skips.
      const next = () =>
        db
          .prepare("SELECT COALESCE(MAX(seq) + 1, 0) AS seq FROM assignments WHERE study_id = ?1")
          .bind(studyId);
      const [found, frontier] = await db.batch<AssignmentRow | { seq: number }>([
        stored(studyId, userId),
        next(),
      ]);
      const existing = found?.results[0] as AssignmentRow | undefined;
      if (existing) return { assignment: toAssignment(existing), created: false };
      let seq = (frontier?.results[0] as { seq: number } | undefined)?.seq ?? 0;
      for (let attempt = 0; attempt < STORE_LIMITS.assignAttempts; attempt++) {
        const condition = choose(seq);
        // One round trip per attempt: the insert, which stores nothing when
        // the number (UNIQUE (study_id, seq)) or the participant (the primary
        // key) is taken, then what is stored and the next free number.
        const row = { studyId, userId, condition, studyVersion, seq, panelParticipantId, linkedTo: null };
        const [inserted, after, nextFree] = await db.batch<AssignmentRow | { seq: number }>([
          insert(assignmentColumns(row)),
          stored(studyId, userId),
          next(),
        ]);
        const mine = inserted?.results[0] as AssignmentRow | undefined;
        if (mine) return { assignment: toAssignment(mine), created: true };
        // The same participant raced this call and won.
        const theirs = after?.results[0] as AssignmentRow | undefined;
        if (theirs) return { assignment: toAssignment(theirs), created: false };
        // Another participant took the number.
        seq = Math.max(seq + 1, (nextFree?.results[0] as { seq: number } | undefined)?.seq ?? 0);
      }
      throw new Error(
        `no free arrival number in study ${studyId} after ${STORE_LIMITS.assignAttempts} attempts`,
      );
    },

    async getAssignment(studyId: string, userId: string): Promise<Assignment | null> {
      const row = await stored(studyId, userId).first<AssignmentRow>();
      return row ? toAssignment(row) : null;
    },

    async takeTurn(studyId: string, userId: string, limit: number | null): Promise<boolean> {
      // One statement: the check and the count cannot be split by a concurrent message (or the finish).
      const row = await db
        .prepare(
          `UPDATE assignments SET turns = turns + 1
           WHERE study_id = ?1 AND user_id = ?2 AND finished_at IS NULL AND (?3 IS NULL OR turns < ?3)
           RETURNING turns`,
        )
        .bind(studyId, userId, limit)
        .first<{ turns: number }>();
      return row !== null;
    },

    async findPanelAssignment(studyId: string, panelParticipantId: string): Promise<Assignment | null> {
      const row = await db
        .prepare(
          `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments
           WHERE panel_participant_id = ?1 AND study_id = ?2 AND linked_to IS NULL
           ORDER BY assigned_at, seq LIMIT 1`,
        )
        .bind(panelParticipantId, studyId)
        .first<AssignmentRow>();
      return row ? toAssignment(row) : null;
    },

    async finishAssignment(
      studyId: string,
      userId: string,
      outcome: string,
    ): Promise<{ assignment: Assignment; first: boolean } | null> {
      // The update sets finished_at and the outcome only where finished_at is
      // unset, so of concurrent calls exactly one gets its row back (its
      // outcome wins); the others read what is stored.
      const [updated, after] = await db.batch<AssignmentRow>([
        db
          .prepare(
            `UPDATE assignments SET finished_at = ${NOW}, outcome = ?3
             WHERE study_id = ?1 AND user_id = ?2 AND finished_at IS NULL
             RETURNING ${ASSIGNMENT_COLUMNS}`,
          )
          .bind(studyId, userId, outcome),
        stored(studyId, userId),
      ]);
      const mine = updated?.results[0];
      if (mine) return { assignment: toAssignment(mine), first: true };
      const row = after?.results[0];
      return row ? { assignment: toAssignment(row), first: false } : null;
    },

    async withdrawParticipant(
      userId: string,
      withdrawal: NewWithdrawal,
    ): Promise<{ queries: number; events: number }> {
      const { studyId } = withdrawal;
      const { names, params, values } = insertList({ id: withdrawal.id, ...withdrawalColumns(withdrawal) });
      const [u, s] = [`?${values.length + 1}`, `?${values.length + 2}`];
      // One batch, so one transaction: the audit entry counts the records
      // before they are deleted, and the entry and the deletions are all
      // stored, or none of them is.
      const [audit] = await db.batch<{ deleted_queries: number; deleted_events: number }>([
        db
          .prepare(
            `INSERT INTO withdrawals (${names}, withdrawn_at, deleted_queries, deleted_events)
             VALUES (${params}, ${NOW},
               (SELECT count(*) FROM ${withdrawnRecords("queries", u, s)}),
               (SELECT count(*) FROM ${withdrawnRecords("events", u, s)}))
             RETURNING deleted_queries, deleted_events`,
          )
          .bind(...values, userId, studyId),
        db.prepare(`DELETE FROM ${withdrawnRecords("queries", "?1", "?2")}`).bind(userId, studyId),
        db.prepare(`DELETE FROM ${withdrawnRecords("events", "?1", "?2")}`).bind(userId, studyId),
        db.prepare("DELETE FROM assignments WHERE study_id = ?1 AND user_id = ?2").bind(studyId, userId),
      ]);
      const counts = audit?.results[0];
      if (!counts) throw new Error("D1 did not return the stored withdrawal");
      return { queries: counts.deleted_queries, events: counts.deleted_events };
    },

    async listWithdrawals(studyId: string | null): Promise<Withdrawal[]> {
      // rowid breaks ties in the clock's milliseconds: the order they were stored.
      const { results } = await db
        .prepare(
          `SELECT ${WITHDRAWAL_COLUMNS} FROM withdrawals
           WHERE ?1 IS NULL OR study_id = ?1
           ORDER BY withdrawn_at, rowid`,
        )
        .bind(studyId)
        .all<WithdrawalRow>();
      return results.map(toWithdrawal);
    },

    async isWithdrawn(studyId: string, hmacs: string[]): Promise<boolean> {
      if (hmacs.length === 0) return false;
      // One EXISTS per HMAC, so each is answered by its own index. The list is
      // one bound JSON array (D1 binds at most 100 parameters).
      const row = await db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM withdrawals
               WHERE study_id = ?1 AND participant_hmac IN (SELECT value FROM json_each(?2)))
             OR EXISTS (SELECT 1 FROM withdrawals
               WHERE study_id = ?1 AND panel_id_hmac IN (SELECT value FROM json_each(?2))) AS withdrawn`,
        )
        .bind(studyId, JSON.stringify(hmacs))
        .first<{ withdrawn: number }>();
      return row?.withdrawn === 1;
    },

    async panelParticipantCounts(panelParticipantIds: string[]): Promise<Map<string, number>> {
      if (panelParticipantIds.length === 0) return new Map();
      // UNION keeps each (panel id, participant) once across the three tables.
      const ids = "(SELECT value FROM json_each(?1))";
      const { results } = await db
        .prepare(
          `SELECT panel_participant_id AS id, count(*) AS n FROM (
             SELECT panel_participant_id, user_id FROM queries WHERE panel_participant_id IN ${ids}
             UNION SELECT panel_participant_id, user_id FROM events WHERE panel_participant_id IN ${ids}
             UNION SELECT panel_participant_id, user_id FROM assignments WHERE panel_participant_id IN ${ids}
           ) GROUP BY panel_participant_id`,
        )
        .bind(JSON.stringify(panelParticipantIds))
        .all<{ id: string; n: number }>();
      return new Map(results.map((r) => [r.id, r.n]));
    },
  };
}
