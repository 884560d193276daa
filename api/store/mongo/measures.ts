import { studyMeasuresOf } from "../measures-rows";
import { middle } from "../monitor-rows";
import { type ConditionMeasures, DEPTH_BUCKETS, DURATION_EDGES_MS, QUESTIONS_AT_LEAST } from "../store";
import type { Doc, MongoDatabase } from "./collection";

/*
 * A study's participant measures on MongoDB: aggregation pipelines over the
 * study's assignments (one document per participant). The scroll and
 * conversion measures add the study's SCROLL or CONVERSION events
 * ($unionWith, on the index study_type_user), grouped per participant in
 * the server, and keep the participants who have an assignment, with its
 * condition. The median of time on task as in monitor.ts: the values sorted,
 * the middle one or two taken with $skip and $limit, and their mean.
 */

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));
const MS = { $subtract: ["$finished_at", "$assigned_at"] };

/** The index into DURATION_EDGES_MS of the bucket that holds `ms`: how many edges after the first it has reached. */
const durationBucket = (ms: string) => ({
  $add: DURATION_EDGES_MS.slice(1).map((edge) => ({ $cond: [{ $gte: [ms, edge] }, 1, 0] })),
});

/** A study's assignments as { user, condition }, then `events` (each carrying `user`), one document per participant. */
const perParticipant = (studyId: string, events: Doc[], fields: Doc): Doc[] => [
  { $match: { study_id: studyId } },
  { $project: { _id: 0, user: "$user_id", condition: "$condition" } },
  { $unionWith: { coll: "events", pipeline: events } },
  { $group: { _id: "$user", condition: { $max: "$condition" }, ...fields } },
  // Events of participants without an assignment (there should be none) carry no condition.
  { $match: { condition: { $type: "string" } } },
];

export async function mongoStudyMeasures(
  db: MongoDatabase,
  studyId: string,
  init: () => Promise<void>,
): Promise<ConditionMeasures[]> {
  await init();
  const assignments = db.collection("assignments");
  const finished = { study_id: studyId, finished_at: { $ne: null } };
  const [conditions, durations, questions, depths, conversions] = await Promise.all([
    assignments.aggregate([{ $match: { study_id: studyId } }, { $group: { _id: "$condition" } }]),
    assignments.aggregate([
      { $match: finished },
      { $project: { condition: 1, ms: MS } },
      { $group: { _id: { condition: "$condition", bucket: durationBucket("$ms") }, n: { $sum: 1 } } },
    ]),
    assignments.aggregate([
      { $match: { study_id: studyId } },
      {
        $group: {
          _id: {
            condition: "$condition",
            bucket: { $min: [{ $ifNull: ["$turns", 0] }, QUESTIONS_AT_LEAST] },
          },
          n: { $sum: 1 },
        },
      },
    ]),
    assignments.aggregate([
      ...perParticipant(
        studyId,
        [
          {
            $match: {
              study_id: studyId,
              event_type: "SCROLL",
              "extra_data.scrollDepth": { $type: "number", $gte: 0, $lte: 1 },
            },
          },
          { $group: { _id: "$user_id", deepest: { $max: "$extra_data.scrollDepth" } } },
          { $project: { _id: 0, user: "$_id", deepest: 1 } },
        ],
        { deepest: { $max: "$deepest" } },
      ),
      { $match: { deepest: { $type: "number" } } },
      {
        $group: {
          _id: {
            condition: "$condition",
            bucket: { $min: [{ $floor: { $multiply: ["$deepest", DEPTH_BUCKETS] } }, DEPTH_BUCKETS - 1] },
          },
          n: { $sum: 1 },
        },
      },
    ]),
    assignments.aggregate([
      ...perParticipant(
        studyId,
        [
          {
            $match: { study_id: studyId, event_type: "CONVERSION", "extra_data.label": { $type: "string" } },
          },
          { $group: { _id: { user: "$user_id", label: "$extra_data.label" }, events: { $sum: 1 } } },
          { $project: { _id: 0, user: "$_id.user", label: { label: "$_id.label", events: "$events" } } },
        ],
        { labels: { $push: "$label" } },
      ),
      { $unwind: "$labels" },
      // An assignment's own document pushes no label (a missing one, or null, by server).
      { $match: { "labels.label": { $type: "string" } } },
      {
        $group: {
          _id: { condition: "$condition", label: "$labels.label" },
          events: { $sum: "$labels.events" },
          participants: { $sum: 1 },
        },
      },
    ]),
  ]);

  const key = (d: Doc) => (d._id ?? {}) as Doc;
  const buckets = (rows: Doc[]) =>
    rows.map((r) => ({ condition: String(key(r).condition), bucket: num(key(r).bucket), n: num(r.n) }));
  const finishedBy = new Map<string, number>();
  for (const d of buckets(durations)) finishedBy.set(d.condition, (finishedBy.get(d.condition) ?? 0) + d.n);
  const medians = await Promise.all(
    [...finishedBy].map(async ([condition, n]) => {
      const { skip, take } = middle(n);
      const rows = await assignments.aggregate([
        { $match: { ...finished, condition } },
        { $project: { _id: 0, ms: MS } },
        { $sort: { ms: 1 } },
        { $skip: skip },
        { $limit: take },
      ]);
      const values = rows.map((r) => num(r.ms));
      return { condition, median: values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1) };
    }),
  );
  return studyMeasuresOf({
    conditions: conditions.map((c) => String(c._id)),
    durations: buckets(durations),
    medians,
    questions: buckets(questions),
    depths: buckets(depths),
    conversions: conversions.map((r) => ({
      condition: String(key(r).condition),
      label: String(key(r).label),
      events: num(r.events),
      participants: num(r.participants),
    })),
  });
}
