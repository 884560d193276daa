import type { AttentionResult, Store } from "../store";
import type { MongoDatabase } from "./collection";
import { toEventRecord } from "./records";

/**
 * The participant's attention-check results on MongoDB: their
 * ATTENTION_CHECK events in the study (the user_study_order index finds
 * them), oldest first.
 */
export function mongoAttentionResults(
  db: MongoDatabase,
  init: () => Promise<void>,
): Pick<Store, "attentionResults"> {
  const events = db.collection("events");
  return {
    async attentionResults(studyId: string, userId: string): Promise<AttentionResult[]> {
      await init();
      const docs = await events.find(
        { user_id: userId, study_id: studyId, event_type: "ATTENTION_CHECK" },
        { sort: { received_at: 1, _id: 1 } },
      );
      return docs.flatMap((doc) => {
        const event = toEventRecord(doc);
        const data = event.extraData as { checkId?: unknown; reply?: unknown; passed?: unknown } | null;
        if (
          typeof data?.checkId !== "string" ||
          typeof data.reply !== "string" ||
          typeof data.passed !== "boolean"
        )
          return [];
        return [
          { checkId: data.checkId, reply: data.reply, passed: data.passed, receivedAt: event.receivedAt },
        ];
      });
    },
  };
}
