import { describe, expect, it } from "vitest";
import { charsPerSecond, flagsOf, messageFlags, type SignalSummary } from "./flags";
import { clientSignalsSchema, type InputSignals, withLength } from "./input-signals";

const signals = (fields: Partial<InputSignals>): InputSignals => ({
  pastedChars: 0,
  pastes: 0,
  keystrokes: 50,
  typingMs: 10_000,
  blurs: 0,
  awayMs: 0,
  length: 50,
  thinkMs: null,
  ...fields,
});

describe("messageFlags", () => {
  it("raises nothing for a message typed at a person's speed", () => {
    expect(messageFlags(signals({}))).toEqual([]);
    expect(charsPerSecond(signals({}))).toBe(5);
  });

  it("pasted-whole-message from 90 % of the message pasted, not below", () => {
    expect(messageFlags(signals({ length: 100, pastedChars: 90, pastes: 1 }))).toContain(
      "pasted-whole-message",
    );
    expect(messageFlags(signals({ length: 100, pastedChars: 89, pastes: 1 }))).not.toContain(
      "pasted-whole-message",
    );
    // More pasted than kept (pasted, then cut down) is still whole; an empty message never is.
    expect(messageFlags(signals({ length: 10, pastedChars: 400, pastes: 1 }))).toContain(
      "pasted-whole-message",
    );
    expect(messageFlags(signals({ length: 0, pastedChars: 0 }))).toEqual([]);
  });

  it("inhuman-typing above 15 typed characters a second over at least 20 of them, or with no key press", () => {
    // 30 characters in 2 s: exactly 15 a second, not above.
    expect(messageFlags(signals({ length: 30, keystrokes: 30, typingMs: 2000 }))).toEqual([]);
    expect(messageFlags(signals({ length: 30, keystrokes: 30, typingMs: 1999 }))).toEqual(["inhuman-typing"]);
    // 19 typed characters: too few to judge, however fast.
    expect(messageFlags(signals({ length: 19, keystrokes: 19, typingMs: 1 }))).toEqual([]);
    // Text that came without a key press or a paste (set by a script, dictation).
    expect(messageFlags(signals({ length: 20, keystrokes: 0, typingMs: 60_000 }))).toEqual([
      "inhuman-typing",
    ]);
    // Only the characters a paste does not account for are judged.
    expect(
      messageFlags(signals({ length: 100, pastedChars: 85, pastes: 1, keystrokes: 15, typingMs: 100 })),
    ).toEqual([]);
  });

  it("left-while-typing when focus or visibility was lost while writing", () => {
    expect(messageFlags(signals({ blurs: 1, awayMs: 4000 }))).toEqual(["left-while-typing"]);
  });

  it("has no speed without typed characters or typing time", () => {
    expect(charsPerSecond(signals({ length: 50, pastedChars: 50 }))).toBeNull();
    expect(charsPerSecond(signals({ typingMs: 0 }))).toBeNull();
  });
});

describe("flagsOf", () => {
  const summary = (fields: Partial<SignalSummary>): SignalSummary => ({
    userId: "u",
    messages: 3,
    pastedMessages: 0,
    pastedChars: 0,
    typedMessages: 3,
    wholePasteMessages: 0,
    inhumanTypingMessages: 0,
    leftWhileTypingMessages: 0,
    medianCharsPerSecond: 4,
    ...fields,
  });

  it("lists each flag one message raised, in SIGNAL_FLAGS order", () => {
    expect(flagsOf(summary({}))).toEqual([]);
    expect(flagsOf(summary({ leftWhileTypingMessages: 2, wholePasteMessages: 1 }))).toEqual([
      "pasted-whole-message",
      "left-while-typing",
    ]);
  });
});

describe("clientSignalsSchema", () => {
  const valid = {
    pastedChars: 3,
    pastes: 1,
    keystrokes: 9,
    typingMs: 1200,
    blurs: 0,
    awayMs: 0,
    thinkMs: 800,
  };

  it("takes bounded whole numbers and gives the stored signals the message's length", () => {
    const parsed = clientSignalsSchema.parse(valid);
    expect(withLength(parsed, "héllo")).toEqual({ ...valid, length: 5 });
    expect(withLength(clientSignalsSchema.parse({ ...valid, thinkMs: undefined }), "a").thinkMs).toBeNull();
  });

  it("refuses negative, fractional, too large, missing and unknown fields (no text can ride along)", () => {
    for (const bad of [
      { ...valid, pastes: -1 },
      { ...valid, typingMs: 1.5 },
      { ...valid, awayMs: 86_400_001 },
      { ...valid, keystrokes: undefined },
      { ...valid, text: "what I pasted" },
      { ...valid, length: 5 },
    ]) {
      expect(clientSignalsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
