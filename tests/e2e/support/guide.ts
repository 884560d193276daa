/**
 * docs/analysis.md's pandas code as the test runs it: the guide's `python`
 * blocks (each opening with `# step: <name>`), run in order in one Python
 * namespace by run-guide.py with the interpreter that can import pandas.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
export function pandasPython(): string {
  for (const python of INTERPRETERS) {
    const probe = spawnSync(python, ["-c", "import pandas"], { encoding: "utf8" });
    if (probe.status === 0) return python;
  }
  throw new Error(
    `The analysis guide's test needs pandas, and none of ${INTERPRETERS.join(", ")} can import it. ` +
      "Install it: Debian/Ubuntu `apt-get install python3-pandas`, or `python3 -m pip install pandas`.",
  );
}

/** What the guide's blocks computed: each named variable as records (its index as columns), and each failed step's traceback. */
export type GuideRun = { results: Record<string, Record<string, unknown>[]>; errors: Record<string, string> };

/** Runs the guide's blocks in `dir` (where the downloads are) and returns the variables asked for. */
export function runGuide(dir: string, variables: string[]): GuideRun {
  const blocks = join(dir, "guide-blocks.json");
  const out = join(dir, "guide-results.json");
  writeFileSync(blocks, JSON.stringify(guideBlocks()));
  const run = spawnSync(pandasPython(), [RUNNER, blocks, out, ...variables], { cwd: dir, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`run-guide.py failed (${run.status}): ${run.stderr}`);
  return JSON.parse(readFileSync(out, "utf8")) as GuideRun;
}
