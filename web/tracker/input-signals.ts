/**
 * Input signals (docs/tracking.md#input-signals): how each message is
 * written in the chat's question box, as counts and durations, never what
 * is typed or pasted. Only on a page whose form has the hidden field
 * `[data-input-signals]`, which the chat renders only when the
 * participant's study has botSignals on; the field is filled as the form is
 * sent, so the signals travel with their message (QueryInput.inputSignals).
 * With JavaScript off nothing is measured and the field stays empty.
 */
import type { ClientSignals } from "../../api/signals/input-signals";

const MAX_MS = 86_400_000;
const MAX_COUNT = 100_000;
/** Keys that type nothing by themselves. */
const MODIFIERS = new Set(["Shift", "Control", "Alt", "AltGraph", "Meta", "CapsLock", "Fn", "OS"]);

const now = () => performance.now();
const ms = (v: number) => Math.min(MAX_MS, Math.max(0, Math.round(v)));
const n = (v: number) => Math.min(MAX_COUNT, v);

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

const box = (target: EventTarget | null): HTMLTextAreaElement | null =>
  target instanceof HTMLTextAreaElement && target.form?.querySelector("input[data-input-signals]")
    ? target
    : null;

function reset(): void {
  started = thinkMs = awaySince = null;
  pastes = pastedChars = keystrokes = blurs = awayMs = 0;
}

/** Notes answers new on the page (the tracker calls it whenever the page changed). */
export function answersShown(): void {
  for (const el of document.querySelectorAll("[data-answer-id]")) {
    if (answers.has(el)) continue;
    answers.add(el);
    answerAt = now();
  }
}

function onInput(event: Event): void {
  if (!box(event.target) || started !== null) return;
  started = now();
  thinkMs = answerAt === null ? null : ms(started - answerAt);
}

function onPaste(event: ClipboardEvent): void {
  if (!box(event.target)) return;
  pastes += 1;
  pastedChars += event.clipboardData?.getData("text/plain").length ?? 0;
}

function onKeyDown(event: KeyboardEvent): void {
  if (!box(event.target) || event.repeat || MODIFIERS.has(event.key)) return;
  // Shortcuts (Ctrl+V, Cmd+A) type nothing; AltGr reports Ctrl and Alt together and does.
  if ((event.ctrlKey || event.metaKey) && !event.altKey) return;
  if (event.key === "Enter" && !event.shiftKey) return; // sends
  keystrokes += 1;
}

/** Focus or visibility lost while a message is being written. */
function away(): void {
  if (started === null || awaySince !== null) return;
  blurs += 1;
  awaySince = now();
}

function back(): void {
  if (awaySince === null) return;
  awayMs += now() - awaySince;
  awaySince = null;
}

function onSubmit(event: SubmitEvent): void {
  const form = event.target as HTMLFormElement;
  const hidden = form.querySelector<HTMLInputElement>("input[data-input-signals]");
  const text = form.querySelector<HTMLTextAreaElement>("textarea")?.value ?? "";
  if (!hidden) return;
  let signals: ClientSignals;
  if (started === null && last && last.text === text) signals = last.signals;
  else {
    back();
    const end = now();
    signals = {
      pastedChars: n(pastedChars),
      pastes: n(pastes),
      keystrokes: n(keystrokes),
      typingMs: started === null ? 0 : ms(end - started),
      blurs: n(blurs),
      awayMs: ms(awayMs),
      thinkMs,
    };
  }
  hidden.value = JSON.stringify(signals);
  last = { text, signals };
  reset();
  // The next message's thinking time runs from the answer to this one.
  answerAt = null;
}

let on = false;

/** Starts measuring, once; it records only on a page with the field. */
export function startInputSignals(): void {
  if (on) return;
  on = true;
  addEventListener("input", onInput, { capture: true, passive: true });
  addEventListener("paste", onPaste, { capture: true, passive: true });
  addEventListener("keydown", onKeyDown, { capture: true, passive: true });
  addEventListener("blur", away);
  addEventListener("focus", back);
  document.addEventListener("visibilitychange", () => (document.hidden ? away() : back()));
  addEventListener("submit", (event) => onSubmit(event as SubmitEvent), { capture: true });
}
