import { z } from "zod";

/**
 * How one message was written, as the chat page measured it in the
 * participant's browser (web/chat/input-signals.ts) when their study has
 * `botSignals` on: counts and durations only, never what was typed or
 * pasted. Sent with the message (QueryInput.inputSignals), stored on its
 * query record, summarised per participant by the store (./flags.ts says
 * what the summary's flags mean). docs/tracking.md, decision 021.
 */
export type InputSignals = {
  /** Characters the participant's paste events put into the question box (the clipboard text's length). */
  pastedChars: number;
  /** Paste events into the question box. */
  pastes: number;
  /** Key presses in the question box (keydown, not repeats; modifier keys alone, shortcuts and the Enter that sends are not counted). */
  keystrokes: number;
  /** Milliseconds from the message's first input to its sending. */
  typingMs: number;
  /** Times the page lost focus or became hidden between the first input and the sending. */
  blurs: number;
  /** Milliseconds the page was without focus (or hidden) in that time. */
  awayMs: number;
  /** The message's length as sent, in UTF-16 code units (set by the server from the message itself). */
  length: number;
  /**
   * Milliseconds from the latest answer shown on the page (loaded with it,
   * or its stream ended) to this message's first input; null when the page
   * showed no answer before it (the first message of a conversation).
   */
  thinkMs: number | null;
};

/** A day: no message takes longer to write in one page. */
const MAX_MS = 86_400_000;
/** More than a message's 8000 characters: pasted text the box cut still counts. */
const MAX_COUNT = 100_000;

const count = z.int("must be a whole number").min(0, "must be at least 0").max(MAX_COUNT);
const ms = z.int("must be a whole number").min(0, "must be at least 0").max(MAX_MS);

/**
 * The signals as a client sends them: every field bounded, no other field
 * (no strings at all, so no content can ride along). `length` is left to
 * the server, which knows the message.
 */
export const clientSignalsSchema = z
  .object({
    pastedChars: count,
    pastes: count,
    keystrokes: count,
    typingMs: ms,
    blurs: count,
    awayMs: ms,
    thinkMs: ms.nullish(),
  })
  .strict();

export type ClientSignals = z.infer<typeof clientSignalsSchema>;

/** The stored signals of a message: the client's, with the message's length. */
export const withLength = (signals: ClientSignals, message: string): InputSignals => ({
  ...signals,
  thinkMs: signals.thinkMs ?? null,
  length: message.length,
});
