/**
 * startDevServer hands the Worker its variables in a file, not on the
 * command line: a tiny Worker that answers with its env shows they arrive
 * exactly, and the command lines of wrangler and every process it started
 * (/proc/<pid>/cmdline) do not contain the secret.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, freePort, startDevServer } from "./dev-server";

const SECRET = randomBytes(48).toString("hex");
const VARS = {
  SESSION_SECRETS: SECRET,
  RESEARCHER_TOKENS: `tok-${randomBytes(12).toString("hex")}`,
  // Values that a naive env file would mangle: expansion, comments, quotes, lines.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${...}, which dotenv-expand must leave alone
  EXPANDS: "$HOME ${PATH} \\$HOME",
  HASH: "a # b",
  QUOTES: `it's "quoted"`,
  LINES: "line one\nline two",
  SPACES: "  padded  ",
};

/** The command lines of the process `root` and all processes of its group or below it. */
function commandLines(root: number): Map<number, string> {
  const processes = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        // "pid (comm) state ppid pgrp ...": comm may contain anything, so read after its last ")".
        const [, , ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 1).split(" ");
        return [{ pid: Number(name), ppid: Number(ppid), pgrp: Number(pgrp) }];
      } catch {
        return []; // gone meanwhile
      }
    });
  const family = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes)
      if (!family.has(p.pid) && (family.has(p.ppid) || p.pgrp === root)) {
        family.add(p.pid);
        grew = true;
      }
  }
  const lines = new Map<number, string>();
  for (const pid of family) {
    try {
      lines.set(pid, readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch {}
  }
  return lines;
}

let dir: string;
let server: DevServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lsp-dev-server-test-"));
  writeFileSync(join(dir, "echo.js"), "export default { fetch: (request, env) => Response.json(env) };\n");
  writeFileSync(
    join(dir, "wrangler.toml"),
    'name = "echo-env"\nmain = "./echo.js"\ncompatibility_date = "2025-09-01"\n',
  );
  server = await startDevServer({
    port: await freePort(),
    config: join(dir, "wrangler.toml"),
    persistTo: join(dir, "state"),
    vars: VARS,
  });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("startDevServer", () => {
  it("gives the Worker exactly its variables", async () => {
    const env = await (await fetch(server.url)).json();
    expect(env).toEqual(VARS);
  });

  it("keeps them off the command line of wrangler and of every process it started", () => {
    const pid = server.process.pid;
    if (pid === undefined) throw new Error("wrangler has no pid");
    const lines = commandLines(pid);
    // wrangler itself and workerd at least: the check looked where the Worker runs.
    expect([...lines.values()].some((line) => line.includes("wrangler"))).toBe(true);
    expect([...lines.values()].some((line) => line.includes("workerd"))).toBe(true);
    for (const [process, line] of lines) {
      expect(line, `process ${process}`).not.toContain(SECRET);
      expect(line, `process ${process}`).not.toContain(VARS.RESEARCHER_TOKENS);
      expect(line, `process ${process}`).not.toContain("--var");
    }
  });

  it("passes them in a file only this user can read, removed when wrangler stops", async () => {
    const pid = server.process.pid ?? 0;
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const file = args[args.indexOf("--env-file") + 1] ?? "";
    expect(file).toMatch(/worker\.env$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain(SECRET);

    await server.stop();
    await expect.poll(() => existsSync(file)).toBe(false);
  });
});
