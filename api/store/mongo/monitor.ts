import { middle, studyMonitorOf } from "../monitor-rows";
import { STORE_LIMITS, type StudyMonitor } from "../store";
import type { Doc, MongoDatabase } from "./collection";

/*
 * A study's monitor on MongoDB: aggregation pipelines, each matched on
 * study_id first (its index). Medians without $median (not every
 * MongoDB-compatible server has it): the values of a condition sorted,
 * the middle one or two taken with $skip and $limit (count known from the
 * answers' $group), and their mean: the same even-count rule as D1.
 */

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));
const isSet = (field: string) => ({ $cond: [{ $eq: [{ $ifNull: [field, null] }, null] }, 0, 1] });
const HOUR = { $dateToString: { format: "%Y-%m-%dT%H", date: "$received_at" } };

export async function mongoStudyMonitor(
  db: MongoDatabase,
  studyId: string,
  init: () => Promise<void>,
): Promise<StudyMonitor> {
  await init();
  const queries = db.collection("queries");
  const events = db.collection("events");
  const assignments = db.collection("assignments");
  const answerMatch = { study_id: studyId, condition: { $ne: null } };
  const [consent, assigned, withdrawn, answers, duplicates, answerHours, eventHours, outcomes] =
    await Promise.all([
      events.aggregate([
        {
          $match: {
            study_id: studyId,
            event_type: "STUDY_STEP",
            "extra_data.step": { $in: ["consent_shown", "consent_declined"] },
          },
        },
        { $group: { _id: { step: "$extra_data.step", user: "$user_id" } } },
        { $group: { _id: "$_id.step", n: { $sum: 1 } } },
      ]),
      assignments.aggregate([
        { $match: { study_id: studyId } },
        { $group: { _id: "$condition", consented: { $sum: 1 }, finished: { $sum: isSet("$finished_at") } } },
      ]),
      db
        .collection("withdrawals")
        .aggregate([{ $match: { study_id: studyId } }, { $group: { _id: "$condition", n: { $sum: 1 } } }]),
      queries.aggregate([
        { $match: answerMatch },
        {
          $group: {
            _id: { condition: "$condition", user: "$user_id" },
            answers: { $sum: 1 },
            failures: { $sum: isSet("$error") },
            stopped: { $sum: { $cond: [{ $eq: ["$stopped", true] }, 1, 0] } },
            latencies: { $sum: isSet("$latency_ms") },
            ttfts: { $sum: isSet("$ttft_ms") },
            withUsage: { $sum: isSet("$usage") },
            promptTokens: { $sum: { $ifNull: ["$usage.prompt_tokens", 0] } },
            completionTokens: { $sum: { $ifNull: ["$usage.completion_tokens", 0] } },
            totalTokens: { $sum: { $ifNull: ["$usage.total_tokens", 0] } },
          },
        },
        {
          $group: {
            _id: "$_id.condition",
            answers: { $sum: "$answers" },
            answering: { $sum: 1 },
            failures: { $sum: "$failures" },
            stopped: { $sum: "$stopped" },
            latencies: { $sum: "$latencies" },
            ttfts: { $sum: "$ttfts" },
            withUsage: { $sum: "$withUsage" },
            promptTokens: { $sum: "$promptTokens" },
            completionTokens: { $sum: "$completionTokens" },
            totalTokens: { $sum: "$totalTokens" },
          },
        },
      ]),
      assignments.aggregate([
        { $match: { study_id: studyId, panel_participant_id: { $ne: null } } },
        { $group: { _id: "$panel_participant_id", n: { $sum: 1 } } },
        { $match: { n: { $gt: 1 } } },
        { $count: "n" },
      ]),
      queries.aggregate([{ $match: { study_id: studyId } }, { $group: { _id: HOUR, n: { $sum: 1 } } }]),
      events.aggregate([{ $match: { study_id: studyId } }, { $group: { _id: HOUR, n: { $sum: 1 } } }]),
      // An assignment finished before outcomes were stored (no such field) was completed.
      assignments.aggregate([
        { $match: { study_id: studyId, finished_at: { $ne: null } } },
        {
          $group: {
            _id: { condition: "$condition", outcome: { $ifNull: ["$outcome", "completed"] } },
            n: { $sum: 1 },
          },
        },
      ]),
    ]);

  const medianOf = async (condition: string, field: "latency_ms" | "ttft_ms", n: number) => {
    if (n === 0) return [];
    const { skip, take } = middle(n);
    const rows = await queries.aggregate([
      { $match: { ...answerMatch, condition, [field]: { $ne: null } } },
      { $sort: { [field]: 1 } },
      { $skip: skip },
      { $limit: take },
      { $project: { _id: 0, v: `$${field}` } },
    ]);
    const values = rows.map((r) => num(r.v));
    return values.length ? [{ condition, median: values.reduce((a, b) => a + b, 0) / values.length }] : [];
  };
  const conditionOf = (d: Doc) => String(d._id);
  const [medianLatency, medianTtft] = await Promise.all(
    (["latency_ms", "ttft_ms"] as const).map(async (field) =>
      (
        await Promise.all(
          answers.map((a) =>
            medianOf(conditionOf(a), field, num(field === "latency_ms" ? a.latencies : a.ttfts)),
          ),
        )
      ).flat(),
    ),
  );
  const step = (name: string) => num(consent.find((c) => c._id === name)?.n);
  return studyMonitorOf({
    consent: { shown: step("consent_shown"), declined: step("consent_declined") },
    assignments: assigned.map((a) => ({
      condition: conditionOf(a),
      consented: num(a.consented),
      finished: num(a.finished),
    })),
    outcomes: outcomes.map((o) => {
      const key = o._id as Doc;
      return { condition: String(key.condition), outcome: String(key.outcome), participants: num(o.n) };
    }),
    withdrawals: withdrawn.map((w) => ({ condition: w._id == null ? null : String(w._id), n: num(w.n) })),
    answers: answers.map((a) => ({
      condition: conditionOf(a),
      answers: num(a.answers),
      answering: num(a.answering),
      failures: num(a.failures),
      stopped: num(a.stopped),
      tokens: {
        answersWithUsage: num(a.withUsage),
        promptTokens: num(a.promptTokens),
        completionTokens: num(a.completionTokens),
        totalTokens: num(a.totalTokens),
      },
    })),
    medianLatency: medianLatency ?? [],
    medianTtft: medianTtft ?? [],
    duplicatePanelIds: num(duplicates[0]?.n),
    activity: [
      ...answerHours.map((h) => ({ hour: String(h._id), answers: num(h.n), events: 0 })),
      ...eventHours.map((h) => ({ hour: String(h._id), answers: 0, events: num(h.n) })),
    ],
    hours: STORE_LIMITS.monitorHours,
  });
}
