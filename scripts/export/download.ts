import { open, stat } from "node:fs/promises";
import { type ExportOptions, UsageError } from "./args";
import { ExportFailure, fetchPage } from "./client";
import type { Progress } from "./progress";
import {
  type PartialState,
  readState,
  removeState,
  requestKey,
  sameRequest,
  statePath,
  writeState,
} from "./state";

/**
 * The download, page by page (docs/decisions/014-export-cli.md): each page
 * is appended to --out and synced, then the sidecar state records the bytes
 * that are whole pages and the next page's cursor. A resumed run cuts --out
 * back to those bytes (dropping a page cut off mid-way) and asks for the
 * pages after the cursor, so no row is written twice or left out.
 */
/** The rows and bytes of --out, and the rows it already held when resumed (null: a fresh start). */
export type Done = { rows: number; bytes: number; resumedFrom: number | null };

async function startingState(options: ExportOptions): Promise<PartialState & { resumed: boolean }> {
  const key = requestKey(options);
  const state = await readState(options.out);
  if (state && !options.resume)
    throw new UsageError(
      `${options.out} is an interrupted download (${statePath(options.out)}): add --resume to continue it, or delete both files to start over`,
    );
  if (!state && options.resume)
    throw new UsageError(
      `nothing to resume: there is no ${statePath(options.out)} (the download finished, or never started)`,
    );
  if (state && !sameRequest(state.request, key))
    throw new UsageError(
      `${options.out} was started with other options (${JSON.stringify(state.request)}): resume it with those, or delete ${options.out} and ${statePath(options.out)} to start over`,
    );
  if (state) return { ...state, resumed: true };
  return { version: 1, request: key, bytes: 0, rows: 0, after: null, total: null, resumed: false };
}

export async function download(
  options: ExportOptions,
  makeProgress: (startRows: number) => Progress,
): Promise<Done> {
  let state = await startingState(options);
  const resumedFrom = state.resumed ? state.rows : null;
  if (state.resumed) {
    const size = (await stat(options.out).catch(() => null))?.size ?? -1;
    if (size < state.bytes)
      throw new ExportFailure(
        `${options.out} is shorter (${size < 0 ? "missing" : `${size} bytes`}) than the ${state.bytes} bytes its state records: it was changed, so delete it and ${statePath(options.out)} to start over`,
      );
  }
  // The first page before --out is touched: a refused token or filter leaves no file behind.
  let page = await fetchPage(options, state.after, true);
  if (!state.resumed) await writeState(options.out, state);
  const file = await open(options.out, state.resumed ? "r+" : "w");
  try {
    // Whatever follows the last whole page is a page cut off: it is asked for again.
    await file.truncate(state.bytes);
    const shown = makeProgress(state.rows);
    for (;;) {
      const total = page.total ?? state.total;
      let bytes = state.bytes;
      try {
        const reader = page.body.getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          await file.write(chunk.value, 0, chunk.value.length, bytes);
          bytes += chunk.value.length;
        }
      } catch (error) {
        throw new ExportFailure(
          `The download broke off after ${state.rows} rows (${error instanceof Error ? error.message : error}): run the same command with --resume to continue`,
        );
      }
      await file.sync();
      state = { ...state, bytes, rows: state.rows + page.rows, after: page.next, total };
      shown.update(state.rows, total);
      if (page.next === null) break;
      await writeState(options.out, state);
      page = await fetchPage(options, state.after, false).catch((error: unknown) => {
        if (!(error instanceof ExportFailure)) throw error;
        throw new ExportFailure(
          `${error.message} The ${state.rows} rows so far are kept: run the same command with --resume to continue.`,
        );
      });
    }
    shown.finish();
  } finally {
    await file.close();
  }
  await removeState(options.out);
  return { rows: state.rows, bytes: state.bytes, resumedFrom };
}
