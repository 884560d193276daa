import { builder } from "../builder";

/** The input signals a client sends with a message (api/signals/input-signals.ts ClientSignals). */
export const InputSignalsInputRef = builder.inputType("InputSignalsInput", {
  description:
    "How a message was written, measured in the participant's browser: counts and milliseconds, never content (docs/tracking.md#input-signals). The message's length is taken from the message.",
  fields: (t) => ({
    pastedChars: t.int({ required: true, description: "Characters pasted into the question box." }),
    pastes: t.int({ required: true, description: "Paste events into the question box." }),
    keystrokes: t.int({
      required: true,
      description:
        "Key presses in the question box (no repeats, modifiers alone, shortcuts or the sending Enter).",
    }),
    typingMs: t.int({ required: true, description: "Milliseconds from the first input to sending." }),
    blurs: t.int({ required: true, description: "Times the page lost focus or was hidden meanwhile." }),
    awayMs: t.int({ required: true, description: "Milliseconds the page was without focus meanwhile." }),
    thinkMs: t.int({
      description:
        "Milliseconds from the latest answer shown on the page to the first input; null when the page showed none.",
    }),
  }),
});
