import { conversationTitle, eventColumns, queryColumns } from "../columns";
import type {
  Assignment,
  ComponentHealth,
  ConversationSummary,
  EventRecord,
  ExportFilter,
  ExportPage,
  LogRecord,
  NewAssignment,
  NewEvent,
  NewQuery,
  QueryRecord,
  RecordedEvent,
  Store,
} from "../store";
import { InvalidCursorError } from "../store";
import { type Doc, DuplicateKeyError, type IndexSpec, type MongoDatabase } from "./collection";

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
 * withdraws, so a number is never given twice.
 */

export const MONGO_INDEXES: IndexSpec[] = [
  { collection: "events", key: { event_id: 1 }, name: "event_id_1", unique: true },
  { collection: "events", key: { received_at: 1, _id: 1 }, name: "export_order" },
  { collection: "events", key: { user_id: 1, received_at: 1 }, name: "user_order" },
  { collection: "events", key: { session_id: 1, received_at: 1 }, name: "session_order" },
  { collection: "events", key: { event_type: 1, received_at: 1 }, name: "type_order" },
  { collection: "queries", key: { received_at: 1, _id: 1 }, name: "export_order" },
  { collection: "queries", key: { user_id: 1, received_at: 1 }, name: "user_order" },
  { collection: "queries", key: { session_id: 1, received_at: 1 }, name: "session_order" },
  {
    collection: "queries",
    key: { conversation_id: 1, user_id: 1, received_at: 1 },
    name: "conversation_order",
  },
  { collection: "events", key: { study_id: 1, received_at: 1 }, name: "study_order" },
  { collection: "events", key: { study_id: 1, condition: 1, received_at: 1 }, name: "study_condition_order" },
  { collection: "events", key: { user_id: 1, study_id: 1, received_at: 1 }, name: "user_study_order" },
  { collection: "queries", key: { study_id: 1, received_at: 1 }, name: "study_order" },
  {
    collection: "queries",
    key: { study_id: 1, condition: 1, received_at: 1 },
    name: "study_condition_order",
  },
  { collection: "queries", key: { user_id: 1, study_id: 1, received_at: 1 }, name: "user_study_order" },
  { collection: "assignment_slots", key: { study_id: 1, seq: 1 }, name: "study_seq" },
];

/** How often a batch is retried after a concurrent writer took some of its eventIds. */
const MAX_INSERT_ROUNDS = 5;

/** How many arrival numbers one assign call tries before it gives up (each taken by a concurrent call). */
const MAX_ASSIGN_ATTEMPTS = 50;

/** How many conversations `conversations` lists. */
const MAX_CONVERSATIONS = 100;

/** Unambiguous `_id`s of composite keys (any id may contain any separator). */
const assignmentId = (studyId: string, userId: string): string => JSON.stringify([studyId, userId]);
const slotId = (studyId: string, seq: number): string => JSON.stringify([studyId, seq]);

/**
 * Server time for a write: strictly increasing within this isolate, so two
 * writes of one isolate never share a millisecond and a later write always
 * sorts later.
 */
let lastWrite = 0;
function writeTime(): Date {
  lastWrite = Math.max(Date.now(), lastWrite + 1);
  return new Date(lastWrite);
}

/**
 * MongoDB refuses field names that start with "$" or contain "." in some
 * places; extraData is the participant's and the tracker's, so such data is
 * kept as JSON text in `extra_data_json` instead of being refused and lost.
 */
function storableKeys(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(storableKeys);
  if (value === null || typeof value !== "object") return true;
  return Object.entries(value).every(
    ([k, v]) => !k.startsWith("$") && !k.includes(".") && !k.includes("\0") && storableKeys(v),
  );
}

function extraDataFields(extraData: unknown): Doc {
  const value = extraData ?? null;
  return storableKeys(value)
    ? { extra_data: value }
    : { extra_data: null, extra_data_json: JSON.stringify(value) };
}

function readExtraData(doc: Doc): unknown {
  return typeof doc.extra_data_json === "string" ? JSON.parse(doc.extra_data_json) : (doc.extra_data ?? null);
}

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

/** The fields every record has. */
function recordBase(doc: Doc) {
  return {
    id: String(doc._id),
    userId: String(doc.user_id),
    sessionId: String(doc.session_id),
    prolificStudyId: text(doc.prolific_study_id),
    // Records stored before studies existed have no study fields: null.
    studyId: text(doc.study_id),
    condition: text(doc.condition),
    studyVersion: num(doc.study_version),
    clientTime: iso(doc.client_time),
    receivedAt: iso(doc.received_at) ?? "",
  };
}

function toQueryRecord(doc: Doc): QueryRecord {
  return {
    kind: "QUERY",
    ...recordBase(doc),
    conversationId: String(doc.conversation_id),
    query: String(doc.query),
    response: text(doc.response),
    sources: Array.isArray(doc.sources) ? (doc.sources as QueryRecord["sources"]) : [],
    model: String(doc.model),
    latencyMs: num(doc.latency_ms),
    ttftMs: num(doc.ttft_ms),
    stopped: doc.stopped === true,
    error: text(doc.error),
  };
}

function toEventRecord(doc: Doc): EventRecord {
  return {
    kind: "EVENT",
    ...recordBase(doc),
    eventId: String(doc._id),
    eventType: doc.event_type as EventRecord["eventType"],
    query: text(doc.query),
    queryId: text(doc.query_id),
    targetUrl: text(doc.target_url),
    pageUrl: text(doc.page_url),
    extraData: readExtraData(doc),
  };
}

function toAssignment(doc: Doc): Assignment {
  return {
    studyId: String(doc.study_id),
    userId: String(doc.user_id),
    condition: String(doc.condition),
    studyVersion: Number(doc.study_version),
    seq: Number(doc.seq),
    turns: Number(doc.turns ?? 0),
    assignedAt: iso(doc.assigned_at) ?? "",
  };
}

/* Cursors: base64url of "m1:<receivedAt ms>:<kind>:<id>", the export's sort key. */

type Position = { t: number; kind: "EVENT" | "QUERY"; id: string };

function encodeCursor(p: Position): string {
  const bytes = new TextEncoder().encode(`m1:${p.t}:${p.kind}:${p.id}`);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function decodeCursor(cursor: string): Position {
  let text: string;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw new InvalidCursorError();
  }
  const match = /^m1:(\d{1,15}):(EVENT|QUERY):(.+)$/s.exec(text);
  if (!match?.[1] || !match[2] || !match[3]) throw new InvalidCursorError();
  return { t: Number(match[1]), kind: match[2] as Position["kind"], id: match[3] };
}

/** Export order: receivedAt, then kind (EVENT before QUERY), then id. */
const KIND_ORDER = { EVENT: 0, QUERY: 1 } as const;

function filterMatch(filter: ExportFilter, kind: "EVENT" | "QUERY"): Doc {
  const match: Doc = {};
  if (filter.userIds) match.user_id = { $in: filter.userIds };
  if (filter.sessionIds) match.session_id = { $in: filter.sessionIds };
  if (filter.studyIds) match.study_id = { $in: filter.studyIds };
  if (filter.conditions) match.condition = { $in: filter.conditions };
  if (filter.from || filter.to) {
    const range: Doc = {};
    if (filter.from) range.$gte = new Date(filter.from);
    if (filter.to) range.$lt = new Date(filter.to);
    match.received_at = range;
  }
  if (kind === "EVENT" && filter.eventTypes) match.event_type = { $in: filter.eventTypes };
  return match;
}

/** Records of this kind after the cursor, in export order. */
function afterMatch(after: Position | null, kind: "EVENT" | "QUERY"): Doc {
  if (!after) return {};
  const t = new Date(after.t);
  const later: Doc[] = [{ received_at: { $gt: t } }];
  if (KIND_ORDER[kind] > KIND_ORDER[after.kind]) later.push({ received_at: t });
  if (kind === after.kind) later.push({ received_at: t, _id: { $gt: after.id } });
  return { $or: later };
}

function includes(filter: ExportFilter, kind: "EVENT" | "QUERY"): boolean {
  if (filter.kinds && !filter.kinds.includes(kind)) return false;
  if (kind === "QUERY" && filter.eventTypes) return false;
  return true;
}

const SORT = { received_at: 1, kind_order: 1, _id: 1 };

function branch(filter: ExportFilter, kind: "EVENT" | "QUERY", after: Position | null, limit: number): Doc[] {
  return [
    { $match: { $and: [filterMatch(filter, kind), afterMatch(after, kind)] } },
    { $sort: { received_at: 1, _id: 1 } },
    { $limit: limit },
    { $addFields: { kind_order: KIND_ORDER[kind] } },
  ];
}

function unionPipeline(
  filter: ExportFilter,
  perBranch: (kind: "EVENT" | "QUERY") => Doc[],
): {
  collection: "queries" | "events";
  pipeline: Doc[];
} | null {
  const kinds = (["EVENT", "QUERY"] as const).filter((k) => includes(filter, k));
  const [first, second] = kinds;
  if (!first) return null;
  const collection = first === "EVENT" ? "events" : "queries";
  const pipeline = [...perBranch(first)];
  if (second) pipeline.push({ $unionWith: { coll: "queries", pipeline: perBranch(second) } });
  return { collection, pipeline };
}

export function createMongoStore(db: MongoDatabase): Store {
  const queries = db.collection("queries");
  const events = db.collection("events");
  const assignments = db.collection("assignments");
  const slots = db.collection("assignment_slots");
  // Indexes are made once per isolate, before the first operation.
  let ready: Promise<void> | undefined;
  const init = () => {
    ready ??= db.ensureIndexes(MONGO_INDEXES).catch((error) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };

  return {
    name: db.adapter,

    async recordQuery(q: NewQuery): Promise<QueryRecord> {
      await init();
      const receivedAt = writeTime();
      const doc = {
        _id: q.id,
        ...queryColumns(q),
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
      return { ...q, kind: "QUERY", receivedAt: receivedAt.toISOString() };
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

    async exportPage(filter: ExportFilter, first: number, after: string | null): Promise<ExportPage> {
      const position = after === null ? null : decodeCursor(after);
      await init();
      const union = unionPipeline(filter, (kind) => branch(filter, kind, position, first + 1));
      if (!union) return { records: [], hasNextPage: false };
      const collection = union.collection === "events" ? events : queries;
      const docs = await collection.aggregate([...union.pipeline, { $sort: SORT }, { $limit: first + 1 }]);
      const page = docs.slice(0, first);
      return {
        records: page.map((doc) => {
          const kind = doc.kind_order === KIND_ORDER.QUERY ? "QUERY" : "EVENT";
          const record: LogRecord = kind === "QUERY" ? toQueryRecord(doc) : toEventRecord(doc);
          const t = (doc.received_at as Date).getTime();
          return { cursor: encodeCursor({ t, kind, id: record.id }), record };
        }),
        hasNextPage: docs.length > first,
      };
    },

    async count(filter: ExportFilter): Promise<number> {
      await init();
      const union = unionPipeline(filter, (kind) => [{ $match: filterMatch(filter, kind) }]);
      if (!union) return 0;
      const collection = union.collection === "events" ? events : queries;
      const [result] = await collection.aggregate([...union.pipeline, { $count: "n" }]);
      return typeof result?.n === "number" ? result.n : 0;
    },

    async assign(input: NewAssignment): Promise<{ assignment: Assignment; created: boolean }> {
      const { studyId, userId, studyVersion, choose } = input;
      await init();
      const id = assignmentId(studyId, userId);
      const [found] = await assignments.find({ _id: id }, { limit: 1 });
      if (found) return { assignment: toAssignment(found), created: false };

      // Slots are taken in order and never deleted, so their count is the next free number.
      const [counted] = await slots.aggregate([{ $match: { study_id: studyId } }, { $count: "n" }]);
      let seq = typeof counted?.n === "number" ? counted.n : 0;
      for (let attempt = 0; ; attempt++) {
        try {
          await slots.insertOne({ _id: slotId(studyId, seq), study_id: studyId, seq });
          break;
        } catch (error) {
          // A concurrent call took this number (or our own insert whose answer was lost).
          if (!(error instanceof DuplicateKeyError)) throw error;
          if (attempt + 1 >= MAX_ASSIGN_ATTEMPTS) {
            throw new Error(
              `no free arrival number in study ${studyId} after ${MAX_ASSIGN_ATTEMPTS} attempts`,
              {
                cause: error,
              },
            );
          }
          seq += 1;
        }
      }

      const doc = {
        _id: id,
        study_id: studyId,
        user_id: userId,
        condition: choose(seq),
        study_version: studyVersion,
        seq,
        turns: 0,
        assigned_at: new Date(),
      };
      try {
        await assignments.insertOne(doc);
      } catch (error) {
        // The same participant raced this call and won (this call's number stays unused).
        if (!(error instanceof DuplicateKeyError)) throw error;
        const [stored] = await assignments.find({ _id: id }, { limit: 1 });
        if (!stored) throw error;
        return { assignment: toAssignment(stored), created: false };
      }
      return { assignment: toAssignment(doc), created: true };
    },

    async getAssignment(studyId: string, userId: string): Promise<Assignment | null> {
      await init();
      const [doc] = await assignments.find({ _id: assignmentId(studyId, userId) }, { limit: 1 });
      return doc ? toAssignment(doc) : null;
    },

    async takeTurn(studyId: string, userId: string, limit: number | null): Promise<boolean> {
      await init();
      // One atomic update: the check and the count cannot be split by a concurrent message.
      const filter: Doc = { _id: assignmentId(studyId, userId) };
      if (limit !== null) filter.$or = [{ turns: { $lt: limit } }, { turns: { $exists: false } }];
      return (await assignments.updateOne(filter, { $inc: { turns: 1 } })) === 1;
    },

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
        { $limit: MAX_CONVERSATIONS },
      ]);
      return docs.map((doc) => ({
        conversationId: String(doc._id),
        title: conversationTitle(String(doc.first_query)),
        turns: Number(doc.turns),
        startedAt: iso(doc.started_at) ?? "",
        lastAt: iso(doc.last_at) ?? "",
      }));
    },

    async deleteParticipant(studyId: string, userId: string): Promise<{ queries: number; events: number }> {
      await init();
      const filter = { user_id: userId, study_id: studyId };
      const [deletedQueries, deletedEvents] = await Promise.all([
        queries.deleteMany(filter),
        events.deleteMany(filter),
      ]);
      // The assignment last: should a deletion above fail, the participant is
      // still enrolled and the withdrawal can be run again.
      await assignments.deleteMany({ _id: assignmentId(studyId, userId) });
      return { queries: deletedQueries, events: deletedEvents };
    },

    async ping(): Promise<ComponentHealth> {
      const started = performance.now();
      try {
        await db.ping();
        return { ok: true, latencyMs: performance.now() - started, detail: `database ${db.database}` };
      } catch (error) {
        console.error(`${db.adapter} ping failed`, error);
        return {
          ok: false,
          latencyMs: null,
          detail: `database ${db.database} is not reachable (${error instanceof Error ? error.name : "error"})`,
        };
      }
    },
  };
}
