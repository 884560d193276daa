import { assignmentColumns, withdrawalColumns } from "../columns";
import type { Assignment, NewAssignment, NewWithdrawal, ParticipantOperations, Withdrawal } from "../store";
import { STORE_LIMITS } from "../store";
import { type Doc, DuplicateKeyError, type MongoDatabase } from "./collection";
import { toAssignment, toWithdrawal, writeTime } from "./records";

/*
 * A participant's part of the store on MongoDB: assignments (arrival
 * numbers, links, turns, finish), withdrawal and its audit, and who a panel
 * id is. Uniqueness comes from `_id`s alone, which the Data API keeps without
 * any index of ours (see store.ts).
 */

/** Unambiguous `_id`s of composite keys (any id may contain any separator). */
const assignmentId = (studyId: string, userId: string): string => JSON.stringify([studyId, userId]);
const slotId = (studyId: string, seq: number): string => JSON.stringify([studyId, seq]);

/** `init` makes the indexes once, before the first operation. */
export function mongoParticipantOperations(
  db: MongoDatabase,
  init: () => Promise<void>,
): ParticipantOperations {
  const queries = db.collection("queries");
  const events = db.collection("events");
  const assignments = db.collection("assignments");
  const slots = db.collection("assignment_slots");
  const withdrawals = db.collection("withdrawals");

  const stored = async (studyId: string, userId: string): Promise<Doc | undefined> => {
    const [doc] = await assignments.find({ _id: assignmentId(studyId, userId) }, { limit: 1 });
    return doc;
  };

  /** Stores a new assignment; when the participant raced this call and won, theirs. */
  async function insert(doc: Doc): Promise<{ assignment: Assignment; created: boolean }> {
    try {
      await assignments.insertOne(doc);
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      const theirs = await stored(String(doc.study_id), String(doc.user_id));
      if (!theirs) throw error;
      return { assignment: toAssignment(theirs), created: false };
    }
    return { assignment: toAssignment(doc), created: true };
  }

  const newAssignment = (row: Parameters<typeof assignmentColumns>[0]): Doc => ({
    _id: assignmentId(row.studyId, row.userId),
    ...assignmentColumns(row),
    turns: 0,
    assigned_at: new Date(),
    finished_at: null,
    outcome: null,
  });

  /** The next free arrival number, reserved: the slot's `_id` refuses a number taken twice. */
  async function reserveSeq(studyId: string): Promise<number> {
    // Slots are taken in order and never deleted, so their count is the next free number.
    const [counted] = await slots.aggregate([{ $match: { study_id: studyId } }, { $count: "n" }]);
    let seq = typeof counted?.n === "number" ? counted.n : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        await slots.insertOne({ _id: slotId(studyId, seq), study_id: studyId, seq });
        return seq;
      } catch (error) {
        // A concurrent call took this number (or our own insert whose answer was lost).
        if (!(error instanceof DuplicateKeyError)) throw error;
        if (attempt + 1 >= STORE_LIMITS.assignAttempts) {
          throw new Error(
            `no free arrival number in study ${studyId} after ${STORE_LIMITS.assignAttempts} attempts`,
            {
              cause: error,
            },
          );
        }
        seq += 1;
      }
    }
  }

  return {
    async assign(input: NewAssignment): Promise<{ assignment: Assignment; created: boolean }> {
      const { studyId, userId, studyVersion, panelParticipantId, choose, linkTo } = input;
      await init();
      const found = await stored(studyId, userId);
      if (found) return { assignment: toAssignment(found), created: false };
      if (linkTo) {
        // A linked assignment takes no slot: the balance of arrival numbers is not touched.
        if (linkTo.studyId !== studyId)
          throw new Error(`cannot link to an assignment of study ${linkTo.studyId}`);
        const row = {
          studyId,
          userId,
          condition: linkTo.condition,
          studyVersion,
          seq: null,
          panelParticipantId,
        };
        return insert(newAssignment({ ...row, linkedTo: linkTo.userId }));
      }
      const seq = await reserveSeq(studyId);
      // Should the participant have raced this call and won, this call's number stays unused.
      return insert(
        newAssignment({
          studyId,
          userId,
          condition: choose(seq),
          studyVersion,
          seq,
          panelParticipantId,
          linkedTo: null,
        }),
      );
    },

    async getAssignment(studyId: string, userId: string): Promise<Assignment | null> {
      await init();
      const doc = await stored(studyId, userId);
      return doc ? toAssignment(doc) : null;
    },

    async takeTurn(studyId: string, userId: string, limit: number | null): Promise<boolean> {
      await init();
      // One atomic update: the check and the count cannot be split by a concurrent message (or the finish).
      // finished_at: null also matches assignments made before it existed (no such field).
      const filter: Doc = { _id: assignmentId(studyId, userId), finished_at: null };
      if (limit !== null) filter.$or = [{ turns: { $lt: limit } }, { turns: { $exists: false } }];
      return (await assignments.updateOne(filter, { $inc: { turns: 1 } })) === 1;
    },

    async findPanelAssignment(studyId: string, panelParticipantId: string): Promise<Assignment | null> {
      await init();
      const [doc] = await assignments.find(
        { panel_participant_id: panelParticipantId, study_id: studyId, linked_to: null },
        { sort: { assigned_at: 1, seq: 1 }, limit: 1 },
      );
      return doc ? toAssignment(doc) : null;
    },

    async finishAssignment(
      studyId: string,
      userId: string,
      outcome: string,
    ): Promise<{ assignment: Assignment; first: boolean } | null> {
      await init();
      // The update matches only while finished_at is unset, so of concurrent
      // calls exactly one matches: that one was first, and its outcome wins.
      const id = assignmentId(studyId, userId);
      const first =
        (await assignments.updateOne(
          { _id: id, finished_at: null },
          { $set: { finished_at: new Date(), outcome } },
        )) === 1;
      const doc = await stored(studyId, userId);
      return doc ? { assignment: toAssignment(doc), first } : null;
    },

    async withdrawParticipant(
      userId: string,
      withdrawal: NewWithdrawal,
    ): Promise<{ queries: number; events: number }> {
      const { studyId } = withdrawal;
      await init();
      // The Data API has no transactions, so the order is what keeps a failure
      // halfway safe:
      // 1. the records go first, counted by what deleteMany reports deleted
      //    (exact, even for a record stored meanwhile);
      // 2. then the audit entry, so it never reports a deletion that did not
      //    happen (a researcher can trust every entry);
      // 3. the assignment last: until the audit is written the participant is
      //    still enrolled, so a failed withdrawal can be run again. A rerun
      //    counts only what it deleted itself.
      // study_id: null also matches records stored before studies existed (no such field).
      const records = { user_id: userId, study_id: { $in: [studyId, null] } };
      const [deletedQueries, deletedEvents] = await Promise.all([
        queries.deleteMany(records),
        events.deleteMany(records),
      ]);
      await withdrawals.insertOne({
        _id: withdrawal.id,
        ...withdrawalColumns(withdrawal),
        withdrawn_at: writeTime(),
        deleted_queries: deletedQueries,
        deleted_events: deletedEvents,
      });
      await assignments.deleteMany({ _id: assignmentId(studyId, userId) });
      return { queries: deletedQueries, events: deletedEvents };
    },

    async listWithdrawals(studyId: string | null): Promise<Withdrawal[]> {
      await init();
      // writeTime() never repeats within an isolate, so the time is the order they were stored.
      const docs = await withdrawals.find(studyId === null ? {} : { study_id: studyId }, {
        sort: { withdrawn_at: 1, _id: 1 },
      });
      return docs.map(toWithdrawal);
    },

    async isWithdrawn(studyId: string, hmacs: string[]): Promise<boolean> {
      if (hmacs.length === 0) return false;
      await init();
      const found = await withdrawals.find(
        { study_id: studyId, $or: [{ participant_hmac: { $in: hmacs } }, { panel_id_hmac: { $in: hmacs } }] },
        { limit: 1, projection: { _id: 1 } },
      );
      return found.length > 0;
    },

    async panelParticipantCounts(panelParticipantIds: string[]): Promise<Map<string, number>> {
      if (panelParticipantIds.length === 0) return new Map();
      await init();
      // Each collection gives its distinct (panel id, participant) pairs; the
      // union is grouped again, so a participant in several counts once.
      const pairs = [
        { $match: { panel_participant_id: { $in: panelParticipantIds } } },
        { $group: { _id: { panel: "$panel_participant_id", user: "$user_id" } } },
      ];
      const docs = await queries.aggregate([
        ...pairs,
        { $unionWith: { coll: "events", pipeline: pairs } },
        { $unionWith: { coll: "assignments", pipeline: pairs } },
        { $group: { _id: "$_id" } },
        { $group: { _id: "$_id.panel", n: { $sum: 1 } } },
      ]);
      return new Map(docs.map((doc) => [String(doc._id), Number(doc.n)]));
    },
  };
}
