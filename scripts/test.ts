/**
 * `npm test`: every check a submission must pass, in order: types, lint
 * (Biome, warnings fail too),
 * the Chromium the browser tests need, a fresh build, then all vitest
 * projects (unit, api in workerd, e2e in Chromium).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { ensureChromium } from "../tests/support/chromium";

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: "inherit" });

const REPORT = "test-results/vitest.json";
const started = Date.now();
rmSync(REPORT, { force: true });
try {
  run("npx", ["tsx", "scripts/studies.ts"]);
  run("npx", ["tsc"]);
  run("npx", ["biome", "ci", "--error-on-warnings", "."]);
  process.env.CHROMIUM_PATH = ensureChromium();
  run("npm", ["run", "--silent", "build"]);
  try {
    run("npx", [
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${REPORT}`,
      ...process.argv.slice(2),
    ]);
  } finally {
    printTally();
  }
  console.log(`npm test: everything passed in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (error) {
  if (error instanceof Error && !("status" in error)) console.error(error.message);
  process.exit(1);
}

/** The plain closing line CI reads: "N passed, N failed". */
function printTally(): void {
  if (!existsSync(REPORT)) return;
  const report = JSON.parse(readFileSync(REPORT, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
  };
  console.log(
    `\n${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
  );
}
