import { type ClickThroughRow, clickThroughOf, type RankAxis } from "../click-through-rows";
import type { SourceExposure, Store } from "../store";
import type { Doc, MongoDatabase } from "./collection";

/*
 * Click-through on MongoDB, counted by aggregation pipelines. The monitor:
 * the study's answers whose sources were shown (study_order), each with its
 * events ($lookup on query_id, the events' query_id index) reduced to the
 * URLs clicked and the exposure summaries' lists, then one document per
 * source and kind of rank, grouped by condition, kind and rank. The same
 * rules as D1's triggers (migrations/0009_click_through.sql): clicked is a
 * CLICK with the answer's query_id and the source's URL, seen an exposure
 * summary entry with its rank and URL and a number visibleMs > 0. Exposure
 * data stored as JSON text (extra_data_json: keys MongoDB refuses) is not
 * read; the tracker's never is.
 */

type ClickThroughOperations = Pick<Store, "studyClickThrough" | "sourceExposure">;

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));
const isNumber = (path: string) => ({ $in: [{ $type: path }, ["int", "long", "double", "decimal"]] });
const flag = (condition: unknown) => ({ $cond: [condition, 1, 0] });
const asArray = (path: string) => ({ $cond: [{ $isArray: path }, path, []] });

function pipeline(studyId: string): Doc[] {
  const seenIn = {
    $anyElementTrue: [
      {
        $map: {
          input: "$exposures",
          as: "list",
          in: {
            $anyElementTrue: [
              {
                $map: {
                  input: asArray("$$list"),
                  as: "x",
                  in: {
                    $and: [
                      { $eq: ["$$x.rank", "$sources.rank"] },
                      { $eq: ["$$x.url", "$sources.url"] },
                      isNumber("$$x.visibleMs"),
                      { $gt: ["$$x.visibleMs", 0] },
                    ],
                  },
                },
              },
            ],
          },
        },
      },
    ],
  };
  return [
    { $match: { study_id: studyId, condition: { $ne: null }, "provenance.sourcesShown": { $ne: false } } },
    { $project: { condition: 1, sources: 1 } },
    { $lookup: { from: "events", localField: "_id", foreignField: "query_id", as: "events" } },
    {
      $project: {
        condition: 1,
        sources: 1,
        clicks: {
          $map: {
            input: {
              $filter: { input: "$events", as: "e", cond: { $eq: ["$$e.event_type", "CLICK"] } },
            },
            as: "e",
            in: "$$e.target_url",
          },
        },
        exposures: {
          $map: {
            input: {
              $filter: {
                input: "$events",
                as: "e",
                cond: {
                  $and: [{ $eq: ["$$e.event_type", "BROWSE"] }, { $eq: ["$$e.extra_data.kind", "exposure"] }],
                },
              },
            },
            as: "e",
            in: "$$e.extra_data.sources",
          },
        },
      },
    },
    { $unwind: "$sources" },
    {
      $project: {
        condition: 1,
        seen: flag(seenIn),
        clicked: flag({ $in: ["$sources.url", "$clicks"] }),
        ranks: [
          { axis: "displayed", rank: "$sources.rank" },
          { axis: "original", rank: "$sources.originalRank" },
        ],
      },
    },
    { $unwind: "$ranks" },
    { $match: { "ranks.rank": { $type: "number" } } },
    {
      $group: {
        _id: { condition: "$condition", axis: "$ranks.axis", rank: "$ranks.rank" },
        shown: { $sum: 1 },
        seen: { $sum: "$seen" },
        clicked: { $sum: "$clicked" },
        seenClicked: { $sum: { $multiply: ["$seen", "$clicked"] } },
      },
    },
  ];
}

export function mongoClickThrough(db: MongoDatabase, init: () => Promise<void>): ClickThroughOperations {
  const queries = db.collection("queries");
  const events = db.collection("events");
  return {
    async studyClickThrough(studyId) {
      await init();
      const docs = await queries.aggregate(pipeline(studyId));
      return clickThroughOf(
        docs.map((d): ClickThroughRow => {
          const id = d._id as { condition: unknown; axis: RankAxis; rank: unknown };
          return {
            condition: String(id.condition),
            axis: id.axis,
            rank: num(id.rank),
            shown: num(d.shown),
            seen: num(d.seen),
            clicked: num(d.clicked),
            seenClicked: num(d.seenClicked),
          };
        }),
      );
    },

    async sourceExposure(queryIds, before): Promise<SourceExposure[]> {
      if (queryIds.length === 0) return [];
      await init();
      // Per page view the last summary holds the running totals, so its highest visibleMs; then the sum over page views.
      const docs = await events.aggregate([
        {
          $match: {
            query_id: { $in: queryIds },
            event_type: "BROWSE",
            "extra_data.kind": "exposure",
            ...(before ? { received_at: { $lt: new Date(before) } } : {}),
          },
        },
        { $unwind: "$extra_data.sources" },
        {
          $match: {
            "extra_data.sources.rank": { $type: "number" },
            "extra_data.sources.url": { $type: "string" },
          },
        },
        {
          $group: {
            _id: {
              q: "$query_id",
              pv: "$extra_data.pageViewId",
              rank: "$extra_data.sources.rank",
              url: "$extra_data.sources.url",
            },
            ms: {
              $max: {
                $cond: [isNumber("$extra_data.sources.visibleMs"), "$extra_data.sources.visibleMs", null],
              },
            },
          },
        },
        {
          $group: {
            _id: { q: "$_id.q", rank: "$_id.rank", url: "$_id.url" },
            ms: { $sum: "$ms" },
          },
        },
      ]);
      return docs.map((d) => {
        const id = d._id as { q: unknown; rank: unknown; url: unknown };
        return { queryId: String(id.q), rank: num(id.rank), url: String(id.url), visibleMs: num(d.ms) };
      });
    },
  };
}
