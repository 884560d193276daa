/**
 * `npm test`: every check a submission must pass, in order: types, lint,
 * the Chromium the browser tests need, a fresh build, then all vitest
 * projects (unit, api in workerd, e2e in Chromium).
 */
import { execFileSync } from "node:child_process";
import { ensureChromium } from "../tests/support/chromium";

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: "inherit" });

const started = Date.now();
try {
  run("npx", ["tsc"]);
  run("npx", ["biome", "check", "."]);
  process.env.CHROMIUM_PATH = ensureChromium();
  run("npm", ["run", "--silent", "build"]);
  run("npx", ["vitest", "run", ...process.argv.slice(2)]);
  console.log(`npm test: everything passed in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (error) {
  if (error instanceof Error && !("status" in error)) console.error(error.message);
  process.exit(1);
}
