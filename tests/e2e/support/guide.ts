/**
 * docs/analysis.md's pandas code as the test runs it: the guide's `python`
 * blocks (each opening with `# step: <name>`), run in order in one Python
 * namespace by run-guide.py with the interpreter that can import pandas.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

/** Asynchronous, so that the event loop sees the Worker close idle connections meanwhile (a blocked loop reuses a dead socket). */
const run = promisify(execFile);

const GUIDE = new URL("../../../docs/analysis.md", import.meta.url).pathname;
const RUNNER = new URL("./run-guide.py", import.meta.url).pathname;
/** Where pandas may be: the PATH's python3 (pyenv, a venv), then Debian's (`apt-get install python3-pandas`). */
const INTERPRETERS = ["python3", "/usr/bin/python3"];

export type GuideBlock = { step: string; code: string };

/** The guide's python blocks in order; a block without its step comment is an error, so none goes unrun. */
export function guideBlocks(markdown: string = readFileSync(GUIDE, "utf8")): GuideBlock[] {
  return [...markdown.matchAll(/^```python\n([\s\S]*?)^```$/gm)].map(([, code = ""], i) => {
    const step = /^# step: ([\w-]+)\n/.exec(code)?.[1];
    if (!step)
      throw new Error(`docs/analysis.md: python block ${i + 1} does not start with "# step: <name>"`);
    return { step, code };
  });
}

/**
 * The first interpreter that imports pandas. None is a failure, not a skip: the
 * guide's numbers are what the test checks (CI installs python3-pandas, .ci/run).
 */
export async function pandasPython(): Promise<string> {
  for (const python of INTERPRETERS) {
    const found = await run(python, ["-c", "import pandas"]).then(
      () => true,
      () => false,
    );
    if (found) return python;
  }
  throw new Error(
    `The analysis guide's test needs pandas, and none of ${INTERPRETERS.join(", ")} can import it. ` +
      "Install it: Debian/Ubuntu `apt-get install python3-pandas`, or `python3 -m pip install pandas`.",
  );
}

/** What the guide's blocks computed: each named variable as records (its index as columns), and each failed step's traceback. */
export type GuideRun = { results: Record<string, Record<string, unknown>[]>; errors: Record<string, string> };

/** Runs the guide's blocks in `dir` (where the downloads are) and returns the variables asked for. */
export async function runGuide(dir: string, variables: string[]): Promise<GuideRun> {
  const blocks = join(dir, "guide-blocks.json");
  const out = join(dir, "guide-results.json");
  writeFileSync(blocks, JSON.stringify(guideBlocks()));
  await run(await pandasPython(), [RUNNER, blocks, out, ...variables], { cwd: dir }).catch((error) => {
    throw new Error(`run-guide.py failed: ${error.stderr ?? error}`);
  });
  return JSON.parse(readFileSync(out, "utf8")) as GuideRun;
}
