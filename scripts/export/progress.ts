/**
 * The download's progress on stderr: rows done (of the total, when the
 * server counts the table), the rate, and the time left. A bar redrawn in
 * place on a terminal; elsewhere (a log, CI) one line every LOG_EVERY_MS,
 * and one at the end.
 */
export const LOG_EVERY_MS = 10_000;
const BAR_WIDTH = 24;

export type ProgressSnapshot = {
  table: string;
  rows: number;
  total: number | null;
  ms: number;
  startRows: number;
};

const thousands = (n: number) => n.toLocaleString("en-US");

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** One line of progress; the rate counts this run's rows only (a resumed run's earlier rows took no time now). */
export function progressLine({ table, rows, total, ms, startRows }: ProgressSnapshot, bar: boolean): string {
  const rate = ms > 0 ? ((rows - startRows) * 1000) / ms : 0;
  const parts = [table];
  if (total !== null && total > 0) {
    const share = Math.min(1, rows / total);
    if (bar) {
      const filled = Math.round(share * BAR_WIDTH);
      parts.push(`[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`);
    }
    parts.push(`${thousands(rows)}/${thousands(total)} rows (${Math.floor(share * 100)}%)`);
  } else {
    parts.push(`${thousands(rows)} rows`);
  }
  parts.push(`${thousands(Math.round(rate))} rows/s`);
  if (total !== null && rate > 0 && rows < total) parts.push(`${duration((total - rows) / rate)} left`);
  return parts.join("  ");
}

export type Progress = { update(rows: number, total: number | null): void; finish(): void };

export function progress(
  stream: NodeJS.WriteStream,
  table: string,
  startRows: number,
  now: () => number = Date.now,
): Progress {
  const started = now();
  let lastLog = started;
  let snapshot: ProgressSnapshot = { table, rows: startRows, total: null, ms: 0, startRows };
  const tty = stream.isTTY === true;
  return {
    update(rows, total) {
      snapshot = { table, rows, total, ms: now() - started, startRows };
      if (tty) stream.write(`\r${progressLine(snapshot, true)}\x1b[K`);
      else if (now() - lastLog >= LOG_EVERY_MS) {
        lastLog = now();
        stream.write(`${progressLine(snapshot, false)}\n`);
      }
    },
    finish() {
      stream.write(tty ? `\r${progressLine(snapshot, true)}\x1b[K\n` : `${progressLine(snapshot, false)}\n`);
    },
  };
}
