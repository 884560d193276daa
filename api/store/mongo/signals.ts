import {
  INHUMAN_CHARS_PER_SECOND,
  INHUMAN_MIN_CHARS,
  type SignalSummary,
  WHOLE_PASTE_PERCENT,
} from "../../signals/flags";
import type { Store } from "../store";
import type { Doc, MongoDatabase } from "./collection";

/*
 * The input signals' per-participant summary on MongoDB: one pipeline over
 * the study's messages with signals of the participants asked for (index
 * user_study_order: user_id, study_id), grouped
 * per participant in the server. Each flag's rule is api/signals/flags.ts
 * messageFlags as aggregation expressions. The median of characters per
 * second: the server pushes each participant's speeds, the adapter takes
 * the middle one or two ($median is not on every server this adapter
 * supports, see monitor.ts).
 */

const s = (field: string) => `$input_signals.${field}`;
const count = (condition: Doc) => ({ $sum: { $cond: [condition, 1, 0] } });
const TYPED = { $max: [0, { $subtract: [s("length"), s("pastedChars")] }] };

function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));

export function mongoSignals(
  db: MongoDatabase,
  init: () => Promise<void>,
): Pick<Store, "participantSignals"> {
  const queries = db.collection("queries");
  return {
    async participantSignals(
      studyId: string,
      userIds: string[],
      before: string | null,
    ): Promise<SignalSummary[]> {
      if (userIds.length === 0) return [];
      await init();
      const docs = await queries.aggregate([
        {
          $match: {
            study_id: studyId,
            user_id: { $in: userIds },
            input_signals: { $type: "object" },
            ...(before === null ? {} : { received_at: { $lt: new Date(before) } }),
          },
        },
        { $set: { typed: TYPED } },
        {
          $group: {
            _id: "$user_id",
            messages: { $sum: 1 },
            pastedMessages: count({ $gt: [s("pastes"), 0] }),
            pastedChars: { $sum: s("pastedChars") },
            typedMessages: count({ $and: [{ $eq: [s("pastes"), 0] }, { $gt: [s("keystrokes"), 0] }] }),
            wholePaste: count({
              $and: [
                { $gt: [s("length"), 0] },
                {
                  $gte: [
                    { $multiply: [s("pastedChars"), 100] },
                    { $multiply: [s("length"), WHOLE_PASTE_PERCENT] },
                  ],
                },
              ],
            }),
            inhuman: count({
              $and: [
                { $gte: ["$typed", INHUMAN_MIN_CHARS] },
                {
                  $or: [
                    { $eq: [s("keystrokes"), 0] },
                    {
                      $gt: [
                        { $multiply: ["$typed", 1000] },
                        { $multiply: [s("typingMs"), INHUMAN_CHARS_PER_SECOND] },
                      ],
                    },
                  ],
                },
              ],
            }),
            leftTyping: count({ $gt: [s("blurs"), 0] }),
            speeds: {
              $push: {
                $cond: [
                  { $and: [{ $gt: ["$typed", 0] }, { $gt: [s("typingMs"), 0] }] },
                  { $divide: [{ $multiply: ["$typed", 1000] }, s("typingMs")] },
                  null,
                ],
              },
            },
          },
        },
        { $sort: { _id: 1 } },
      ]);
      return docs.map((d) => ({
        userId: String(d._id),
        messages: num(d.messages),
        pastedMessages: num(d.pastedMessages),
        pastedChars: num(d.pastedChars),
        typedMessages: num(d.typedMessages),
        wholePasteMessages: num(d.wholePaste),
        inhumanTypingMessages: num(d.inhuman),
        leftWhileTypingMessages: num(d.leftTyping),
        medianCharsPerSecond: median(
          (Array.isArray(d.speeds) ? d.speeds : []).filter((v): v is number => typeof v === "number"),
        ),
      }));
    },
  };
}
