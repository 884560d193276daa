import type { InputSignals } from "./input-signals";

/**
 * What the input signals of a participant's messages are summarised into,
 * and the rules of each flag, in one place: the stores count the messages
 * each rule matches in their own query language (D1 SQL in
 * api/store/d1-signals.ts, a MongoDB pipeline in api/store/mongo/signals.ts,
 * both contract-tested against `messageFlags` below), the site and the
 * downloads show the flags. A flag is a reason to look at a participant's
 * timeline, never an exclusion: assistive tools, dictation, password
 * managers and text expanders paste or type fast too (docs/tracking.md,
 * docs/decisions/021-input-signals.md).
 */

/** A message is pasted whole when its pasted characters are at least this percentage of its length. */
export const WHOLE_PASTE_PERCENT = 90;
/**
 * Typed characters per second above which typing is not a person's: 15
 * characters a second is 180 words a minute (5 characters a word), well
 * above the fastest of the 168,000 typists of Dhakal et al., "Observations
 * on Typing from 136 Million Keystrokes", CHI 2018
 * (doi:10.1145/3173574.3174220): docs/tracking.md#flags gives the figures.
 */
export const INHUMAN_CHARS_PER_SECOND = 15;
/** The typing-speed rule looks only at messages with at least this many typed (not pasted) characters. */
export const INHUMAN_MIN_CHARS = 20;

/** Every flag, in the order they are listed. */
export const SIGNAL_FLAGS = ["pasted-whole-message", "inhuman-typing", "left-while-typing"] as const;
export type SignalFlag = (typeof SIGNAL_FLAGS)[number];

/** The characters of a message that its pastes do not account for: typed, or put there some other way. */
export const typedChars = (s: Pick<InputSignals, "length" | "pastedChars">): number =>
  Math.max(0, s.length - s.pastedChars);

/** Typed characters per second over the typing time; null with nothing typed or no typing time. */
export function charsPerSecond(s: InputSignals): number | null {
  const typed = typedChars(s);
  return typed > 0 && s.typingMs > 0 ? (typed * 1000) / s.typingMs : null;
}

/**
 * The flags one message raises:
 * - pasted-whole-message: pasted characters >= WHOLE_PASTE_PERCENT % of its length;
 * - inhuman-typing: at least INHUMAN_MIN_CHARS typed characters, and either no
 *   key press at all or more than INHUMAN_CHARS_PER_SECOND of them a second;
 * - left-while-typing: the page lost focus or was hidden while it was written.
 * (Whole numbers only in the comparisons, so every store computes the same.)
 */
export function messageFlags(s: InputSignals): SignalFlag[] {
  const typed = typedChars(s);
  const flags: SignalFlag[] = [];
  if (s.length > 0 && s.pastedChars * 100 >= s.length * WHOLE_PASTE_PERCENT) {
    flags.push("pasted-whole-message");
  }
  if (
    typed >= INHUMAN_MIN_CHARS &&
    (s.keystrokes === 0 || typed * 1000 > INHUMAN_CHARS_PER_SECOND * s.typingMs)
  ) {
    flags.push("inhuman-typing");
  }
  if (s.blurs > 0) flags.push("left-while-typing");
  return flags;
}

/** A participant's messages with input signals in a study, counted by the store (Store.participantSignals). */
export type SignalSummary = {
  userId: string;
  /** Their messages that carry input signals. */
  messages: number;
  /** Of them, those with at least one paste. */
  pastedMessages: number;
  /** Characters pasted over all of them. */
  pastedChars: number;
  /** Those without a paste and with at least one key press. */
  typedMessages: number;
  /** Those raising each flag (messageFlags). */
  wholePasteMessages: number;
  inhumanTypingMessages: number;
  leftWhileTypingMessages: number;
  /** Median of charsPerSecond over their messages that have one; null when none has. Even count: mean of the middle two. */
  medianCharsPerSecond: number | null;
};

/** A participant's flags: each raised by at least one of their messages. */
export function flagsOf(s: SignalSummary): SignalFlag[] {
  const counts: Record<SignalFlag, number> = {
    "pasted-whole-message": s.wholePasteMessages,
    "inhuman-typing": s.inhumanTypingMessages,
    "left-while-typing": s.leftWhileTypingMessages,
  };
  return SIGNAL_FLAGS.filter((flag) => counts[flag] > 0);
}
