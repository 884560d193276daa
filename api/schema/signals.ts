import { builder } from "../builder";
import {
  charsPerSecond,
  flagsOf,
  INHUMAN_CHARS_PER_SECOND,
  INHUMAN_MIN_CHARS,
  messageFlags,
  type SignalSummary,
  WHOLE_PASTE_PERCENT,
} from "../signals/flags";
import type { InputSignals } from "../signals/input-signals";
import { QueryRecordRef } from "./records";
import { forResearchers } from "./researcher";
import { StudyRef } from "./studies";

/** Input signals (docs/tracking.md#input-signals): per message on QueryRecord, per participant on StudyParticipant. */

const FLAGS_NOTE = `pasted-whole-message (pasted characters at least ${WHOLE_PASTE_PERCENT}% of the message), inhuman-typing (at least ${INHUMAN_MIN_CHARS} typed characters with no key press, or more than ${INHUMAN_CHARS_PER_SECOND} a second), left-while-typing (focus or visibility lost while writing). A reason to look, never an exclusion.`;

const InputSignalsRef = builder.objectRef<InputSignals>("InputSignals").implement({
  description:
    "How one message was written, measured in the participant's browser: counts and times, never content.",
  fields: (t) => ({
    pastedChars: t.exposeInt("pastedChars", { description: "Characters pasted into the question box." }),
    pastes: t.exposeInt("pastes", { description: "Paste events into the question box." }),
    keystrokes: t.exposeInt("keystrokes", {
      description:
        "Key presses in the question box (no repeats, modifiers alone, shortcuts or the sending Enter).",
    }),
    typingMs: t.exposeInt("typingMs", { description: "Milliseconds from the first input to sending." }),
    blurs: t.exposeInt("blurs", {
      description: "Times the page lost focus or was hidden while it was written.",
    }),
    awayMs: t.exposeInt("awayMs", { description: "Milliseconds the page was without focus meanwhile." }),
    length: t.exposeInt("length", { description: "The message's length (UTF-16 code units)." }),
    thinkMs: t.exposeInt("thinkMs", {
      nullable: true,
      description:
        "Milliseconds from the latest answer shown to the first input; null when the page showed none.",
    }),
    charsPerSecond: t.float({
      nullable: true,
      description: "Typed (not pasted) characters per second of typing time; null with nothing typed.",
      resolve: (s) => charsPerSecond(s),
    }),
    flags: t.stringList({
      description: `The flags this message raises: ${FLAGS_NOTE}`,
      resolve: messageFlags,
    }),
  }),
});

export const SignalSummaryRef = builder.objectRef<SignalSummary>("InputSignalSummary").implement({
  description: "A participant's messages' input signals, summed by the store, with the flags they raise.",
  fields: (t) => ({
    messages: t.exposeInt("messages", { description: "Their messages with input signals." }),
    pastedMessages: t.exposeInt("pastedMessages", { description: "Of them, messages with a paste." }),
    pastedChars: t.exposeInt("pastedChars", { description: "Characters pasted over all of them." }),
    typedMessages: t.exposeInt("typedMessages", {
      description: "Of them, messages without a paste and with a key press.",
    }),
    medianCharsPerSecond: t.exposeFloat("medianCharsPerSecond", {
      nullable: true,
      description: "Median typed characters per second over their messages with typed characters.",
    }),
    flags: t.stringList({
      description: `Flags at least one message raises: ${FLAGS_NOTE}`,
      resolve: flagsOf,
    }),
  }),
});

builder.objectField(QueryRecordRef, "inputSignals", (t) =>
  t.field({
    type: InputSignalsRef,
    nullable: true,
    description:
      "How the message was written (a study with botSignals on, JavaScript on): researchers only; null for participants and when none were recorded.",
    resolve: (r, _args, ctx) => forResearchers(ctx, r.inputSignals),
  }),
);

builder.objectField(StudyRef, "botSignals", (t) =>
  t.exposeBoolean("botSignals", {
    description:
      "True when the study records input signals (pastes, key presses, typing time, focus lost; never content) with each message: its consent text says so.",
  }),
);
