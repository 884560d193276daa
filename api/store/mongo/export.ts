import { cursorOf, matchCursor } from "../cursor";
import type { ExportFilter, ExportPage, LogRecord } from "../store";
import type { Doc, MongoCollection } from "./collection";
import { toEventRecord, toQueryRecord } from "./records";

/*
 * The export on MongoDB: one aggregation per page over both collections
 * ($unionWith), keyset on (received_at, kind, _id)
 * (docs/decisions/005-mongodb-export-order.md).
 */

/* Cursors: base64url of "m1:<receivedAt ms>:<kind>:<id>", the export's sort key. */

export type Position = { t: number; kind: "EVENT" | "QUERY"; id: string };

function encodeCursor(p: Position): string {
  return cursorOf(`m1:${p.t}:${p.kind}:${p.id}`);
}

export function decodeCursor(cursor: string): Position {
  const [, t, kind, id] = matchCursor(cursor, /^m1:(\d{1,15}):(EVENT|QUERY):(.+)$/s);
  return { t: Number(t), kind: kind as Position["kind"], id: id ?? "" };
}

/** Export order: receivedAt, then kind (EVENT before QUERY), then id. */
const KIND_ORDER = { EVENT: 0, QUERY: 1 } as const;

function filterMatch(filter: ExportFilter, kind: "EVENT" | "QUERY"): Doc {
  const match: Doc = {};
  if (filter.userIds) match.user_id = { $in: filter.userIds };
  if (filter.sessionIds) match.session_id = { $in: filter.sessionIds };
  if (filter.studyIds) match.study_id = { $in: filter.studyIds };
  if (filter.conditions) match.condition = { $in: filter.conditions };
  if (filter.panelParticipantIds) match.panel_participant_id = { $in: filter.panelParticipantIds };
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

type Collections = { queries: MongoCollection; events: MongoCollection };

/** One page after the position `after` (null: from the start). */
export async function exportPage(
  collections: Collections,
  filter: ExportFilter,
  first: number,
  after: Position | null,
): Promise<ExportPage> {
  const union = unionPipeline(filter, (kind) => branch(filter, kind, after, first + 1));
  if (!union) return { records: [], hasNextPage: false };
  const docs = await collections[union.collection].aggregate([
    ...union.pipeline,
    { $sort: SORT },
    { $limit: first + 1 },
  ]);
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
}

export async function exportCount(collections: Collections, filter: ExportFilter): Promise<number> {
  const union = unionPipeline(filter, (kind) => [{ $match: filterMatch(filter, kind) }]);
  if (!union) return 0;
  const [result] = await collections[union.collection].aggregate([...union.pipeline, { $count: "n" }]);
  return typeof result?.n === "number" ? result.n : 0;
}
