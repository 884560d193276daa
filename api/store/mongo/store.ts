import { conversationTitle, eventColumns, queryColumns, usageColumns } from "../columns";
import {
  type ComponentHealth,
  type ConversationSummary,
  type ExportFilter,
  type ExportPage,
  type NewEvent,
  type NewQuery,
  type QueryRecord,
  type RecordedEvent,
  recordParticipantEventsByLookup,
  STORE_LIMITS,
  type Store,
  storeFailureLine,
} from "../store";
import { mongoAttentionResults } from "./attention";
import { mongoClickThrough } from "./click-through";
import { type Doc, DuplicateKeyError, type MongoDatabase } from "./collection";
import { mongoStudyDefinitionOperations } from "./definitions";
import { mongoDownloads } from "./downloads";
import { decodeCursor, exportCount, exportPage } from "./export";
import { MONGO_INDEXES } from "./indexes";
import { mongoStudyMeasures } from "./measures";
import { mongoStudyMonitor } from "./monitor";
import { mongoParticipantOperations } from "./participants";
import { mongoAnswerProvenance } from "./provenance";
import { extraDataFields, iso, toQueryRecord, writeTime } from "./records";
import { mongoSignals } from "./signals";

/**
 * The store's logic on MongoDB, written once for every way in (Data API,
 * driver). Collections `queries` and `events` with D1's field names
 * (snake_case) and native types (Date for times). A record's `_id` is its id
 * (query_id, event_id), so MongoDB's always-present unique `_id` index makes
 * events idempotent even where indexes cannot be created (the Data API).
 * Export order and cursors: docs/decisions/005-mongodb-export-order.md.
 *
 * Studies: `assignments` holds each participant's condition under the `_id`
 * JSON.stringify([study_id, user_id]), so one participant has one assignment
 * however many calls race. Arrival numbers are reserved in
 * `assignment_slots`, one document per number under the `_id`
 * JSON.stringify([study_id, seq]): the `_id` index refuses a number taken
 * twice, which is the only uniqueness the Data API can rely on (it cannot
 * create indexes). Slots hold no personal data and stay when a participant
 * withdraws, so a number is never given twice. A linked assignment (same
 * panel participant, new session) takes no slot. The operations on
 * participants are in participants.ts.
 *
 * `withdrawals` holds the audit entries under their id; `budgets` one
 * counter per key under the `_id` key; `study_definitions` the definitions
 * as deployed (definitions.ts).
 */

/** How often a batch is retried after a concurrent writer took some of its eventIds. */
const MAX_INSERT_ROUNDS = 5;

export function createMongoStore(db: MongoDatabase): Store {
  const queries = db.collection("queries");
  const events = db.collection("events");
  const budgets = db.collection("budgets");
  // Indexes are made once per isolate, before the first operation.
  let ready: Promise<void> | undefined;
  const init = () => {
    ready ??= db.ensureIndexes(MONGO_INDEXES).catch((error) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };

  const store: Store = {
    name: db.adapter,

    async recordQuery(q: NewQuery): Promise<QueryRecord> {
      await init();
      const receivedAt = writeTime();
      const doc = {
        _id: q.id,
        ...queryColumns(q),
        usage: q.usage === null ? null : usageColumns(q.usage),
        client_time: q.clientTime ? new Date(q.clientTime) : null,
        received_at: receivedAt,
      };
      try {
        await queries.insertOne(doc);
      } catch (error) {
        // A retried insert whose first attempt was stored (its answer lost)
        // meets its own _id: a query id is new for every message, so the
        // stored document is this one.
        if (!(error instanceof DuplicateKeyError)) throw error;
        const [stored] = await queries.find({ _id: q.id }, { limit: 1 });
        if (!stored) throw error;
        return toQueryRecord(stored);
      }
      return {
        ...q,
        inputSignals: q.inputSignals ?? null,
        kind: "QUERY",
        receivedAt: receivedAt.toISOString(),
      };
    },

    async getQuery(id: string): Promise<QueryRecord | null> {
      await init();
      const [doc] = await queries.find({ _id: id }, { limit: 1 });
      return doc ? toQueryRecord(doc) : null;
    },

    async conversationTurns(conversationId: string, userId: string): Promise<QueryRecord[]> {
      await init();
      const docs = await queries.find(
        { conversation_id: conversationId, user_id: userId },
        { sort: { received_at: 1, _id: 1 } },
      );
      return docs.map(toQueryRecord);
    },

    async recordEvents(input: NewEvent[]): Promise<RecordedEvent[]> {
      if (input.length === 0) return [];
      await init();
      const receivedAt = writeTime();
      // Tags this call's documents, so that after a duplicate-key error the
      // ones this call stored can be told from those stored before.
      const batch = crypto.randomUUID();
      const unique = new Map<string, Doc>();
      for (const e of input) {
        if (unique.has(e.eventId)) continue;
        unique.set(e.eventId, {
          _id: e.eventId,
          ...eventColumns(e),
          ...extraDataFields(e.extraData),
          client_time: e.clientTime ? new Date(e.clientTime) : null,
          received_at: receivedAt,
          write_batch: batch,
        });
      }
      const stored = new Map<string, { batch: unknown; receivedAt: Date }>();
      let pending = [...unique.values()];
      for (let round = 0; pending.length > 0; round++) {
        try {
          await events.insertMany(pending); // the one round trip when every event is new
          for (const doc of pending) stored.set(String(doc._id), { batch, receivedAt });
          pending = [];
        } catch (error) {
          if (!(error instanceof DuplicateKeyError) || round >= MAX_INSERT_ROUNDS) throw error;
          const ids = pending.map((d) => d._id);
          const found = await events.find(
            { _id: { $in: ids } },
            { projection: { _id: 1, write_batch: 1, received_at: 1 } },
          );
          for (const doc of found) {
            stored.set(String(doc._id), { batch: doc.write_batch, receivedAt: doc.received_at as Date });
          }
          pending = pending.filter((d) => !stored.has(String(d._id)));
        }
      }
      const seen = new Set<string>();
      return input.map((e) => {
        const record = stored.get(e.eventId);
        const duplicate = record?.batch !== batch || seen.has(e.eventId);
        seen.add(e.eventId);
        return {
          eventId: e.eventId,
          duplicate,
          receivedAt: (record?.receivedAt ?? receivedAt).toISOString(),
        };
      });
    },

    // MongoDB has no join inside an insert: one assignment read per study of the batch, then the insert.
    recordParticipantEvents: (events) => recordParticipantEventsByLookup(store, events),

    async exportPage(filter: ExportFilter, first: number, after: string | null): Promise<ExportPage> {
      const position = after === null ? null : decodeCursor(after);
      await init();
      return await exportPage({ queries, events }, filter, first, position);
    },

    async count(filter: ExportFilter): Promise<number> {
      await init();
      return exportCount({ queries, events }, filter);
    },

    ...mongoParticipantOperations(db, init),

    ...mongoStudyDefinitionOperations(db, init),
    ...mongoDownloads(db, init),
    studyMonitor: (studyId: string) => mongoStudyMonitor(db, studyId, init),
    answerProvenance: (studyId: string) => mongoAnswerProvenance(db, studyId, init),
    studyMeasures: (studyId: string) => mongoStudyMeasures(db, studyId, init),
    ...mongoClickThrough(db, init),
    ...mongoSignals(db, init),
    ...mongoAttentionResults(db, init),

    async conversations(userId: string, studyId: string | null): Promise<ConversationSummary[]> {
      await init();
      // study_id: null also matches records stored before studies existed (no such field).
      const docs = await queries.aggregate([
        { $match: { user_id: userId, study_id: studyId } },
        { $sort: { received_at: 1, _id: 1 } },
        {
          $group: {
            _id: "$conversation_id",
            first_query: { $first: "$query" },
            turns: { $sum: 1 },
            started_at: { $min: "$received_at" },
            last_at: { $max: "$received_at" },
          },
        },
        { $sort: { last_at: -1, _id: 1 } },
        { $limit: STORE_LIMITS.conversations },
      ]);
      return docs.map((doc) => ({
        conversationId: String(doc._id),
        title: conversationTitle(String(doc.first_query)),
        turns: Number(doc.turns),
        startedAt: iso(doc.started_at) ?? "",
        lastAt: iso(doc.last_at) ?? "",
      }));
    },

    async takeBudget(key: string, limit: number): Promise<boolean> {
      if (limit < 1) return false;
      await init();
      // The count under the limit, atomically; no document yet (the key's
      // first use) or the limit reached match nothing. Then the first use
      // inserts 1, and a duplicate means a concurrent call inserted it first:
      // the update once more decides. (An insert whose answer was lost and is
      // retried counts one use too many: a budget errs on the safe side.)
      const under = { _id: key, used: { $lt: limit } };
      if ((await budgets.updateOne(under, { $inc: { used: 1 } })) === 1) return true;
      try {
        await budgets.insertOne({ _id: key, used: 1 });
        return true;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
        return (await budgets.updateOne(under, { $inc: { used: 1 } })) === 1;
      }
    },

    async ping(): Promise<ComponentHealth> {
      const started = performance.now();
      try {
        await db.ping();
        return { ok: true, latencyMs: performance.now() - started, detail: `database ${db.database}` };
      } catch (error) {
        console.error(storeFailureLine(db.adapter, "ping failed", error));
        return {
          ok: false,
          latencyMs: null,
          detail: `database ${db.database} is not reachable (${error instanceof Error ? error.name : "error"})`,
        };
      }
    },
  };
  return store;
}
