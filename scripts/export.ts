/**
 * `npm run export -- --url <deployment> --table answers --out answers.csv`:
 * a researcher's download of one table (docs/export.md, "The export CLI"),
 * page by page with a progress bar, resumable with --resume after an
 * interruption (docs/decisions/014-export-cli.md). Exit codes: 0 done, 1 the
 * download failed, 2 bad arguments.
 */
import { type ExportOptions, readOptions, USAGE, UsageError } from "./export/args";
import { ExportFailure } from "./export/client";
import { download } from "./export/download";
import { progress } from "./export/progress";

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`export: ${message}\n${code === 2 ? "Run with --help for the options.\n" : ""}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let options: ExportOptions | null;
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) fail(2, error.message);
    throw error;
  }
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const out = options.out;
  process.once("SIGINT", () => {
    process.stderr.write(`\nexport: interrupted; run the same command with --resume to continue ${out}\n`);
    process.exit(130);
  });
  try {
    const done = await download(options, (startRows) => progress(process.stderr, options.table, startRows));
    const resumed = done.resumedFrom === null ? "" : ` (resumed after ${done.resumedFrom} rows)`;
    process.stderr.write(`export: wrote ${done.rows} rows (${done.bytes} bytes) to ${out}${resumed}\n`);
  } catch (error) {
    if (error instanceof UsageError) fail(2, error.message);
    if (error instanceof ExportFailure) fail(1, error.message);
    fail(1, error instanceof Error ? error.message : String(error));
  }
}

await main();
