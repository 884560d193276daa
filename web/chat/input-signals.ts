/**
 * Input signals (docs/tracking.md#input-signals): how each message is
 * written in the chat's question box, as counts and durations, never what
 * is typed or pasted. The chat starts it only when the participant's study
 * has botSignals on, and then renders the hidden field
 * `[data-input-signals]` that is filled as the form is sent (before the
 * chat's own submit handler reads the form), so the signals travel with
 * their message (QueryInput.inputSignals). Part of the chat's script, not
 * of the tracker, whose every page loads it. With JavaScript off nothing is
 * measured and the field stays empty.
 */
import type { ClientSignals } from "../../api/signals/input-signals";

/** Keys that type or delete: a character, Backspace, Delete, and an IME's or phone keyboard's key. */
const TYPES = /^(.|Backspace|Delete|Process|Unidentified)$/u;
const FIELD = "input[data-input-signals]";

const now = () => performance.now();
/** Whole milliseconds, at most a day (the API's bound). */
const ms = (v: number) => Math.min(86_400_000, Math.round(v));

let started: number | null = null;
let thinkMs: number | null = null;
let pastes = 0;
let pastedChars = 0;
let keystrokes = 0;
let blurs = 0;
let awayMs = 0;
let awaySince: number | null = null;
/** When the latest answer appeared on the page; null: none since the last message was sent. */
let answerAt: number | null = null;
const answers = new WeakSet<Element>();
/** The last message sent and its signals: a draft put back after a failed send is sent again with them. */
let last: { text: string; signals: ClientSignals } | null = null;

const inBox = (event: Event) =>
  event.target instanceof HTMLTextAreaElement && !!event.target.form?.querySelector(FIELD);

/** Notes answers new on the page (the chat calls it whenever its turns changed). */
export function answersShown(): void {
  for (const el of document.querySelectorAll("[data-answer-id]")) {
    if (!answers.has(el)) answerAt = now();
    answers.add(el);
  }
}

/** Focus or visibility lost while a message is being written, and back. */
function away(): void {
  if (started === null || awaySince !== null) return;
  blurs++;
  awaySince = now();
}

function back(): void {
  if (awaySince !== null) awayMs += now() - awaySince;
  awaySince = null;
}

function onSubmit(event: Event): void {
  const form = event.target as HTMLFormElement;
  const hidden = form.querySelector<HTMLInputElement>(FIELD);
  if (!hidden) return;
  const text = form.querySelector("textarea")?.value ?? "";
  back();
  const signals: ClientSignals =
    started === null && last?.text === text
      ? last.signals
      : {
          pastedChars,
          pastes,
          keystrokes,
          typingMs: started === null ? 0 : ms(now() - started),
          blurs,
          awayMs: ms(awayMs),
          thinkMs,
        };
  hidden.value = JSON.stringify(signals);
  last = { text, signals };
  started = thinkMs = answerAt = null;
  pastes = pastedChars = keystrokes = blurs = awayMs = 0;
}

/** Starts measuring, on the window (capture: before React's handlers); returns what stops it. */
export function startInputSignals(): () => void {
  const stops: (() => void)[] = [];
  const listen = (target: EventTarget, type: string, listener: (event: Event) => void) => {
    target.addEventListener(type, listener, { capture: true, passive: true });
    stops.push(() => target.removeEventListener(type, listener, { capture: true }));
  };
  const on = (type: string, listener: (event: Event) => void) =>
    listen(window, type, (event) => inBox(event) && listener(event));
  on("input", () => {
    if (started !== null) return;
    started = now();
    thinkMs = answerAt === null ? null : ms(started - answerAt);
  });
  on("paste", (event) => {
    pastes++;
    pastedChars += (event as ClipboardEvent).clipboardData?.getData("text/plain").length ?? 0;
  });
  on("keydown", (event) => {
    const key = event as KeyboardEvent;
    // Shortcuts (Ctrl+V, Cmd+A) type nothing; AltGr reports Ctrl and Alt together and does.
    if (!key.repeat && !((key.ctrlKey || key.metaKey) && !key.altKey) && TYPES.test(key.key)) keystrokes++;
  });
  // The window's own blur and focus (capture on the window also sees every element's).
  listen(window, "blur", (event) => event.target === window && away());
  listen(window, "focus", (event) => event.target === window && back());
  listen(document, "visibilitychange", () => (document.hidden ? away() : back()));
  // On the window in the capture phase: the field is filled before the chat's handler reads the form.
  listen(window, "submit", onSubmit);
  return () => {
    for (const stop of stops) stop();
  };
}
