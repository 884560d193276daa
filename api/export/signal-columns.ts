import { charsPerSecond, flagsOf, messageFlags } from "../signals/flags";
import type { InputSignals } from "../signals/input-signals";
import type { QueryRecord } from "../store/store";
import type { Column, ColumnType, ParticipantRow } from "./tables";

/**
 * The input signals' columns (docs/tracking.md#input-signals), added in
 * schema 1.2.0 at the end of `answers` (one message's signals) and of
 * `participants` (their summary). Empty where none were recorded (the
 * study's botSignals off, JavaScript off, or stored before 1.2.0).
 */

const MESSAGE_FIELDS: {
  key: keyof InputSignals;
  name: string;
  type: ColumnType;
  description: string;
  unit?: string;
}[] = [
  {
    key: "pastedChars",
    name: "pasted_chars",
    type: "integer",
    description: "Characters pasted into the question box for this message.",
  },
  {
    key: "pastes",
    name: "pastes",
    type: "integer",
    description: "Paste events into the question box for this message.",
  },
  {
    key: "keystrokes",
    name: "keystrokes",
    type: "integer",
    description:
      "Key presses in the question box (no repeats, modifier keys alone, shortcuts or the Enter that sent it).",
  },
  {
    key: "typingMs",
    name: "typing_ms",
    type: "integer",
    description: "First input to sending.",
    unit: "milliseconds",
  },
  {
    key: "blurs",
    name: "focus_lost",
    type: "integer",
    description: "Times the page lost focus or was hidden while the message was written.",
  },
  {
    key: "awayMs",
    name: "away_ms",
    type: "integer",
    description: "Time the page was without focus while the message was written.",
    unit: "milliseconds",
  },
  {
    key: "length",
    name: "message_length",
    type: "integer",
    description: "The message's length as sent (UTF-16 code units).",
  },
  {
    key: "thinkMs",
    name: "think_ms",
    type: "integer",
    description:
      "From the latest answer shown on the page to this message's first input; empty when the page showed none.",
    unit: "milliseconds",
  },
];

export const ANSWER_SIGNAL_COLUMNS: Column<QueryRecord>[] = [
  ...MESSAGE_FIELDS.map(({ key, ...column }) => ({
    ...column,
    value: (q: QueryRecord) => q.inputSignals?.[key] ?? null,
  })),
  {
    name: "chars_per_second",
    type: "number",
    description: "Typed (not pasted) characters per second of typing time; empty with nothing typed.",
    value: (q) => (q.inputSignals ? charsPerSecond(q.inputSignals) : null),
  },
  {
    name: "signal_flags",
    type: "string",
    description:
      "The input-signal flags this message raises, separated by spaces (pasted-whole-message, inhuman-typing, left-while-typing); empty for none. Never an exclusion by itself.",
    value: (q) => (q.inputSignals ? messageFlags(q.inputSignals).join(" ") : null),
  },
];

const summary = (p: ParticipantRow) => p.inputSignals;

export const PARTICIPANT_SIGNAL_COLUMNS: Column<ParticipantRow>[] = [
  {
    name: "signal_messages",
    type: "integer",
    description: "The participant's messages with input signals (0 when none were recorded).",
    value: (p) => summary(p)?.messages ?? 0,
  },
  {
    name: "pasted_messages",
    type: "integer",
    description: "Of them, messages with at least one paste.",
    value: (p) => summary(p)?.pastedMessages ?? 0,
  },
  {
    name: "pasted_chars",
    type: "integer",
    description: "Characters pasted over all of them.",
    value: (p) => summary(p)?.pastedChars ?? 0,
  },
  {
    name: "typed_messages",
    type: "integer",
    description: "Of them, messages without a paste and with at least one key press.",
    value: (p) => summary(p)?.typedMessages ?? 0,
  },
  {
    name: "median_chars_per_second",
    type: "number",
    description:
      "Median typed characters per second over their messages with typed characters; empty when none.",
    value: (p) => summary(p)?.medianCharsPerSecond ?? null,
  },
  {
    name: "flags",
    type: "string",
    description:
      "Input-signal flags at least one of their messages raises, separated by spaces: pasted-whole-message, inhuman-typing, left-while-typing (docs/tracking.md#input-signals); empty for none. A reason to look, never an exclusion: assistive tools and dictation paste and type fast too.",
    value: (p) => {
      const s = summary(p);
      return s ? flagsOf(s).join(" ") : "";
    },
  },
];
