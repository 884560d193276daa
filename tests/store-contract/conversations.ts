import { describe, expect, it } from "vitest";
import type { QueryRecord } from "../../api/store/store";
import { type GetStore, newQuery, uid } from "./shared";

/** conversationTurns: a participant's own turns of one conversation, oldest first. */
export function describeConversationTurns(store: GetStore): void {
  describe("conversationTurns", () => {
    it("returns the conversation's turns of that participant only, oldest first", async () => {
      const userId = uid("user");
      const otherUser = uid("user");
      const conversationId = uid("conversation");
      const turns: QueryRecord[] = [];
      for (const query of ["first?", "second?", "third?"]) {
        turns.push(await store().recordQuery(newQuery({ userId, conversationId, query })));
        // Another participant in a conversation of the same id, and another conversation of this one.
        await store().recordQuery(newQuery({ userId: otherUser, conversationId }));
        await store().recordQuery(newQuery({ userId }));
      }
      expect(await store().conversationTurns(conversationId, userId)).toEqual(turns);
    });

    it("returns an empty list for a conversation without turns", async () => {
      const userId = uid("user");
      await store().recordQuery(newQuery({ userId }));
      expect(await store().conversationTurns(uid("conversation"), userId)).toEqual([]);
    });
  });
}
