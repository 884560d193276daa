import { describe, expect, it } from "vitest";
import { charsPerSecond, messageFlags, type SignalSummary } from "../../api/signals/flags";
import type { InputSignals } from "../../api/signals/input-signals";
import { type GetStore, newQuery, newWithdrawal, plusMs, uid } from "./shared";

/**
 * Input signals: stored with their query and read back by every read of
 * it, and participantSignals, each participant's summary counted by the
 * store, equal to what api/signals/flags.ts's per-message rules give for
 * the same messages (the rules' edges included: exactly 90 % pasted, exactly
 * 15 characters a second, 19 typed characters, no key presses).
 */

const signals = (fields: Partial<InputSignals>): InputSignals => ({
  pastedChars: 0,
  pastes: 0,
  keystrokes: 40,
  typingMs: 10_000,
  blurs: 0,
  awayMs: 0,
  length: 40,
  thinkMs: null,
  ...fields,
});

/** The summary the rules give for one participant's messages. */
function expected(userId: string, messages: InputSignals[]): SignalSummary {
  const flagged = (flag: string) => messages.filter((m) => messageFlags(m).includes(flag as never)).length;
  const speeds = messages
    .map(charsPerSecond)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  const mid = Math.floor(speeds.length / 2);
  return {
    userId,
    messages: messages.length,
    pastedMessages: messages.filter((m) => m.pastes > 0).length,
    pastedChars: messages.reduce((n, m) => n + m.pastedChars, 0),
    typedMessages: messages.filter((m) => m.pastes === 0 && m.keystrokes > 0).length,
    wholePasteMessages: flagged("pasted-whole-message"),
    inhumanTypingMessages: flagged("inhuman-typing"),
    leftWhileTypingMessages: flagged("left-while-typing"),
    medianCharsPerSecond:
      speeds.length === 0
        ? null
        : speeds.length % 2
          ? (speeds[mid] as number)
          : ((speeds[mid - 1] as number) + (speeds[mid] as number)) / 2,
  };
}

const byUser = (a: SignalSummary, b: SignalSummary) => (a.userId < b.userId ? -1 : 1);

export function describeInputSignals(store: GetStore): void {
  describe("input signals and participantSignals", () => {
    it("keeps a message's signals with it, and null without", async () => {
      const userId = uid("user");
      const with_ = newQuery({
        userId,
        inputSignals: signals({ pastedChars: 12, pastes: 1, thinkMs: 4000 }),
      });
      const without = newQuery({ userId, conversationId: with_.conversationId });
      await store().recordQuery(with_);
      await store().recordQuery(without);
      expect((await store().getQuery(with_.id))?.inputSignals).toEqual(with_.inputSignals);
      expect((await store().getQuery(without.id))?.inputSignals).toBeNull();
      const turns = await store().conversationTurns(with_.conversationId, userId);
      expect(turns.map((t) => t.inputSignals)).toEqual([with_.inputSignals, null]);
      const page = await store().exportPage({ userIds: [userId], kinds: ["QUERY"] }, 10, null);
      expect(page.records.map((r) => (r.record.kind === "QUERY" ? r.record.inputSignals : "event"))).toEqual([
        with_.inputSignals,
        null,
      ]);
    });

    it("summarises each participant's messages as the rules do, edges included", async () => {
      const studyId = uid("study");
      const [typist, paster, fast, none, unasked] = ["a", "b", "c", "d", "e"].map((p) =>
        uid(`user-${p}`),
      ) as [string, string, string, string, string];
      const messages: Record<string, InputSignals[]> = {
        // 4 chars/s, 2 chars/s, 6 chars/s (an even count with the next): typed, nothing flagged.
        [typist]: [
          signals({ length: 40, keystrokes: 45, typingMs: 10_000 }),
          signals({ length: 20, keystrokes: 22, typingMs: 10_000, thinkMs: 3000 }),
          signals({ length: 60, keystrokes: 61, typingMs: 10_000, blurs: 1, awayMs: 2500 }),
          // Exactly 15 chars/s over 30 typed characters: not more than the threshold.
          signals({ length: 30, keystrokes: 30, typingMs: 2000 }),
        ],
        [paster]: [
          // Exactly 90 % pasted: whole.
          signals({ length: 100, pastedChars: 90, pastes: 1, keystrokes: 10, typingMs: 5000 }),
          // 89 %: not whole; 11 typed characters, too few for the speed rule.
          signals({ length: 100, pastedChars: 89, pastes: 2, keystrokes: 0, typingMs: 1 }),
          // Pasted more than the message kept.
          signals({ length: 10, pastedChars: 500, pastes: 1, keystrokes: 3, typingMs: 900 }),
        ],
        [fast]: [
          // 20 typed characters without a key press.
          signals({ length: 20, keystrokes: 0, typingMs: 60_000 }),
          // 19 typed characters at 19 000 chars/s: too few for the rule.
          signals({ length: 19, keystrokes: 19, typingMs: 1 }),
          // 40 characters in 2 s: 20 chars/s.
          signals({ length: 40, keystrokes: 40, typingMs: 2000 }),
          // Nothing typed, no time: no speed.
          signals({ length: 0, keystrokes: 0, typingMs: 0 }),
        ],
        [unasked]: [signals({ length: 50, pastedChars: 50, pastes: 1 })],
      };
      for (const [userId, list] of Object.entries(messages)) {
        for (const inputSignals of list) {
          await store().recordQuery(
            newQuery({ userId, studyId, condition: "c", studyVersion: 1, inputSignals }),
          );
        }
      }
      // Not counted: a message without signals, and the participant's messages in another study.
      await store().recordQuery(newQuery({ userId: none, studyId, condition: "c", studyVersion: 1 }));
      await store().recordQuery(
        newQuery({
          userId: typist,
          studyId: uid("other"),
          condition: "c",
          studyVersion: 1,
          inputSignals: signals({ pastes: 3, pastedChars: 40 }),
        }),
      );

      const summaries = await store().participantSignals(studyId, [typist, paster, fast, none], null);
      expect([...summaries].sort(byUser)).toEqual(
        [typist, paster, fast].map((u) => expected(u, messages[u] as InputSignals[])).sort(byUser),
      );
      // The rules' own verdicts, so a change to them shows here too.
      const of = (u: string) => summaries.find((s) => s.userId === u);
      expect(of(typist)).toMatchObject({
        wholePasteMessages: 0,
        inhumanTypingMessages: 0,
        leftWhileTypingMessages: 1,
        medianCharsPerSecond: 5,
      });
      expect(of(paster)).toMatchObject({
        pastedMessages: 3,
        pastedChars: 679,
        wholePasteMessages: 2,
        inhumanTypingMessages: 0,
      });
      expect(of(fast)).toMatchObject({ inhumanTypingMessages: 2, typedMessages: 2 });
      expect(await store().participantSignals(studyId, [], null)).toEqual([]);
    });

    it("counts only messages stored before `before`, and forgets a withdrawn participant's", async () => {
      const studyId = uid("study");
      const userId = uid("user");
      const stored = await store().recordQuery(
        newQuery({
          userId,
          studyId,
          condition: "c",
          studyVersion: 1,
          inputSignals: signals({ pastes: 1, pastedChars: 40 }),
        }),
      );
      expect(await store().participantSignals(studyId, [userId], null)).toHaveLength(1);
      // `before` is exclusive: a message stored at that instant is left out.
      expect(await store().participantSignals(studyId, [userId], stored.receivedAt)).toEqual([]);
      expect(await store().participantSignals(studyId, [userId], plusMs(stored.receivedAt, 1))).toHaveLength(
        1,
      );
      await store().withdrawParticipant(userId, newWithdrawal({ studyId, condition: "c" }));
      expect(await store().participantSignals(studyId, [userId], null)).toEqual([]);
    });
  });
}
