import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { ExportOptions } from "./args";

/**
 * The sidecar `<out>.partial.json` of a download under way: which request it
 * is, how many bytes of --out are whole pages, those pages' rows, and the
 * cursor of the next page (null: the first). It is rewritten (atomically,
 * by a rename) after each page is on disk, and removed when the download is
 * complete, so its presence means "interrupted". No token is in it.
 * docs/decisions/014-export-cli.md.
 */
export const statePath = (out: string) => `${out}.partial.json`;

const request = z.object({
  url: z.string(),
  table: z.string(),
  format: z.string(),
  filters: z.record(z.string(), z.array(z.string())),
});

const schema = z.object({
  version: z.literal(1),
  request,
  bytes: z.number().int().min(0),
  rows: z.number().int().min(0),
  after: z.string().nullable(),
  total: z.number().int().min(0).nullable(),
});

export type PartialState = z.infer<typeof schema>;
export type RequestKey = z.infer<typeof request>;

export function requestKey(options: ExportOptions): RequestKey {
  return {
    url: new URL("/", options.url).href,
    table: options.table,
    format: options.format,
    filters: options.filters as Record<string, string[]>,
  };
}

export const sameRequest = (a: RequestKey, b: RequestKey) => JSON.stringify(a) === JSON.stringify(b);

/** The state, null when there is none; an Error naming the file when it is not one. */
export async function readState(out: string): Promise<PartialState | null> {
  let text: string;
  try {
    text = await readFile(statePath(out), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw new Error(`${statePath(out)} is not a download's state: delete it and ${out} to start over`);
  }
}

export async function writeState(out: string, state: PartialState): Promise<void> {
  const path = statePath(out);
  await writeFile(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

export const removeState = (out: string) => rm(statePath(out), { force: true });
