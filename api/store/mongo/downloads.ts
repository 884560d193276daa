import { decodeParticipantCursor, encodeParticipantCursor } from "../cursor";
import type { ExportFilter, ParticipantOrder, ParticipantPage, SourceClicks, Store } from "../store";
import type { Doc, MongoDatabase } from "./collection";
import { iso, toAssignment } from "./records";

/*
 * What the downloads need of MongoDB beyond the export's pages, each
 * counted by the database ($group), never by reading the records: clicks
 * per source of a batch of answers, participants with their counts, and
 * which study ids and conditions are on stored documents.
 */

type Downloads = Pick<Store, "sourceClicks" | "exportParticipants" | "storedStudyValues">;

const sortOf = (order: ParticipantOrder) => {
  const d = order === "newest" ? -1 : 1;
  return { assigned_at: d, study_id: d, user_id: d };
};

function assignmentMatch(filter: ExportFilter, after: string | null, order: ParticipantOrder): Doc {
  const match: Doc[] = [];
  if (filter.studyIds) match.push({ study_id: { $in: filter.studyIds } });
  if (filter.conditions) match.push({ condition: { $in: filter.conditions } });
  if (filter.userIds) match.push({ user_id: { $in: filter.userIds } });
  if (filter.panelParticipantIds) match.push({ panel_participant_id: { $in: filter.panelParticipantIds } });
  if (filter.from) match.push({ assigned_at: { $gte: new Date(filter.from) } });
  if (filter.to) match.push({ assigned_at: { $lt: new Date(filter.to) } });
  if (after !== null) {
    const p = decodeParticipantCursor(after);
    const t = new Date(p.assignedAt);
    const beyond = order === "newest" ? "$lt" : "$gt";
    match.push({
      $or: [
        { assigned_at: { [beyond]: t } },
        { assigned_at: t, study_id: { [beyond]: p.studyId } },
        { assigned_at: t, study_id: p.studyId, user_id: { [beyond]: p.userId } },
      ],
    });
  }
  return match.length ? { $and: match } : {};
}

const pairKey = (studyId: unknown, userId: unknown) => JSON.stringify([studyId, userId]);

export function mongoDownloads(db: MongoDatabase, init: () => Promise<void>): Downloads {
  const queries = db.collection("queries");
  const events = db.collection("events");
  const assignments = db.collection("assignments");

  /** Per (study, user) of the page: how many documents match `extra`, counted by $group. */
  async function countsOf(
    collection: typeof queries,
    studyIds: string[],
    userIds: string[],
    extra: Doc,
  ): Promise<Map<string, number>> {
    const docs = await collection.aggregate([
      { $match: { study_id: { $in: studyIds }, user_id: { $in: userIds }, ...extra } },
      { $group: { _id: { s: "$study_id", u: "$user_id" }, n: { $sum: 1 } } },
    ]);
    const counts = new Map<string, number>();
    for (const doc of docs) {
      const id = doc._id as { s: unknown; u: unknown };
      counts.set(pairKey(id.s, id.u), Number(doc.n));
    }
    return counts;
  }

  return {
    async sourceClicks(queryIds: string[], before: string | null): Promise<SourceClicks[]> {
      if (queryIds.length === 0) return [];
      await init();
      const docs = await events.aggregate([
        {
          $match: {
            query_id: { $in: queryIds },
            event_type: "CLICK",
            target_url: { $type: "string" },
            ...(before ? { received_at: { $lt: new Date(before) } } : {}),
          },
        },
        {
          $group: {
            _id: { q: "$query_id", u: "$target_url" },
            clicks: { $sum: 1 },
            first: { $min: "$received_at" },
          },
        },
      ]);
      return docs.map((doc) => {
        const id = doc._id as { q: unknown; u: unknown };
        return {
          queryId: String(id.q),
          targetUrl: String(id.u),
          clicks: Number(doc.clicks),
          firstClickAt: iso(doc.first) ?? "",
        };
      });
    },

    async exportParticipants(
      filter: ExportFilter,
      first: number,
      after: string | null,
      order: ParticipantOrder = "oldest",
    ): Promise<ParticipantPage> {
      const match = assignmentMatch(filter, after, order);
      await init();
      const docs = await assignments.find(match, { sort: sortOf(order), limit: first + 1 });
      const page = docs.slice(0, first).map(toAssignment);
      if (page.length === 0) return { rows: [], hasNextPage: false };
      const studyIds = [...new Set(page.map((a) => a.studyId))];
      const userIds = [...new Set(page.map((a) => a.userId))];
      const before = filter.to ? { received_at: { $lt: new Date(filter.to) } } : {};
      const attention = (passed: boolean) =>
        countsOf(events, studyIds, userIds, {
          ...before,
          event_type: "ATTENTION_CHECK",
          "extra_data.passed": passed,
        });
      const [answers, clicks, passed, failed] = await Promise.all([
        countsOf(queries, studyIds, userIds, before),
        countsOf(events, studyIds, userIds, {
          ...before,
          event_type: "CLICK",
          query_id: { $type: "string" },
        }),
        attention(true),
        attention(false),
      ]);
      return {
        rows: page.map((assignment) => {
          const key = pairKey(assignment.studyId, assignment.userId);
          return {
            cursor: encodeParticipantCursor(assignment),
            assignment,
            answers: answers.get(key) ?? 0,
            sourceClicks: clicks.get(key) ?? 0,
            attentionChecksPassed: passed.get(key) ?? 0,
            attentionChecksFailed: failed.get(key) ?? 0,
          };
        }),
        hasNextPage: docs.length > first,
      };
    },

    async storedStudyValues(values) {
      await init();
      const found = async (field: "study_id" | "condition", wanted: string[]): Promise<string[]> => {
        if (wanted.length === 0) return [];
        const seen = new Set<string>();
        for (const collection of [queries, events, assignments]) {
          const left = wanted.filter((v) => !seen.has(v));
          if (left.length === 0) break;
          const docs = await collection.aggregate([
            { $match: { [field]: { $in: left } } },
            { $group: { _id: `$${field}` } },
          ]);
          for (const doc of docs) seen.add(String(doc._id));
        }
        return wanted.filter((v) => seen.has(v));
      };
      return {
        studyIds: await found("study_id", values.studyIds),
        conditions: await found("condition", values.conditions),
      };
    },
  };
}
