import type { MessageSignals } from "./timeline";

/**
 * Input signals as researchers see them (docs/tracking.md#input-signals):
 * a participant's flags in the monitor's list, a message's signals on the
 * timeline. Flags are reasons to look, never exclusions.
 */

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A participant's flags, or a dash with none; "not recorded" without signals. */
export function SignalFlags({ flags }: { flags: string[] | null }) {
  if (flags === null) return <span className="muted">not recorded</span>;
  if (flags.length === 0) return <span data-flags="">–</span>;
  return (
    <span data-flags={flags.join(" ")}>
      {flags.map((flag) => (
        <code key={flag} className="flag">
          {flag}
        </code>
      ))}
    </span>
  );
}

/** One message's signals, under its question on the timeline. */
export function MessageSignalsLine({ signals: s }: { signals: MessageSignals }) {
  return (
    <p className="timeline-signals" data-signals={s.flags.join(" ")}>
      Written: {s.length} characters, {s.pastedChars} pasted in {s.pastes} paste{s.pastes === 1 ? "" : "s"},{" "}
      {s.keystrokes} key presses over {seconds(s.typingMs)}
      {s.charsPerSecond === null ? "" : ` (${s.charsPerSecond.toFixed(1)} typed characters/s)`}; focus lost{" "}
      {s.blurs} time{s.blurs === 1 ? "" : "s"}
      {s.blurs > 0 ? ` (${seconds(s.awayMs)} away)` : ""}
      {s.thinkMs === null ? "" : `; began ${seconds(s.thinkMs)} after the answer before`}
      {s.flags.length > 0 ? (
        <>
          {". Flags: "}
          <SignalFlags flags={s.flags} />
        </>
      ) : null}
    </p>
  );
}
