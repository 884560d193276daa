/**
 * Runs the built Worker under `wrangler dev` (workerd) on loopback, offline,
 * with a local D1. Used by `npm start` and by the browser tests, so both run
 * what ships. The Worker's variables (secrets among them) reach wrangler in
 * a file only this user can read, never on its command line.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatEnvFile } from "./env-file";

const require = createRequire(import.meta.url);
const WRANGLER = require.resolve("wrangler/bin/wrangler.js");

/** Keeps wrangler on loopback: no metrics, no cf fetch, no banner, no prompts. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  CI: "true",
};

/**
 * How wrangler must read the Worker's variables: from the --env-file only
 * (whatever the caller's shell says), not from its own process environment.
 */
const VARS_FROM_FILE_ONLY = {
  CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "true",
  CLOUDFLARE_INCLUDE_PROCESS_ENV: "false",
};

export type DevServerOptions = {
  port: number;
  /** Where D1 keeps its data; default: wrangler's own (.wrangler/state). */
  persistTo?: string;
  /**
   * The Worker's variables, all of them: wrangler reads them from a
   * temporary file (mode 0600, removed when wrangler stops) instead of
   * .dev.vars, so a caller that wants .dev.vars passes its values here.
   */
  vars?: Record<string, string>;
  /** The wrangler configuration; default: wrangler.toml in the working directory. */
  config?: string;
  /** Print wrangler's output. */
  verbose?: boolean;
  /**
   * When the Worker counts as up, from the status of a POST /graphql (a
   * `status` query). Default: any status below 500. A test of a deliberately
   * misconfigured Worker, which answers 500, passes `(status) => status === 500`.
   */
  readyWhen?: (status: number) => boolean;
};

const persistArgs = (persistTo?: string) => (persistTo ? ["--persist-to", persistTo] : []);

export function applyMigrations(persistTo?: string, config?: string): void {
  execFileSync(
    process.execPath,
    [
      WRANGLER,
      "d1",
      "migrations",
      "apply",
      "DB",
      "--local",
      ...persistArgs(persistTo),
      ...(config ? ["--config", config] : []),
    ],
    {
      env: { ...process.env, ...OFFLINE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

/** The shipped wrangler configuration, next to this script's directory (whatever the working directory). */
export const SHIPPED_CONFIG = fileURLToPath(new URL("../wrangler.toml", import.meta.url));

/** The path keys that wrangler resolves against the configuration's directory, by the table they sit in ("" is the top level). */
const PATH_KEYS: Record<string, readonly string[]> = {
  "": ["main"],
  assets: ["directory"],
  d1_databases: ["migrations_dir"],
};

/**
 * Writes a copy of the wrangler configuration `source` (default: the shipped
 * wrangler.toml) to `dir`/wrangler.toml with every `[[ratelimits]]` binding's
 * `limit` set to `limit`, and its paths (`main`, `[assets] directory`, each
 * `[[d1_databases]]`' `migrations_dir`) made absolute, so the copy runs the
 * same Worker from anywhere. Returns the copy's path, for startDevServer's
 * `config` and applyMigrations. Throws when a `[[ratelimits]]` entry has no
 * `limit` it could replace (a shape of the file this does not know), rather
 * than start a Worker with a shipped limit left in place.
 */
export function writeConfigWithLimits(dir: string, limit: number, source = SHIPPED_CONFIG): string {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`limit must be a positive integer, not ${limit}`);
  const base = dirname(resolve(source));
  let table = "";
  const unreplaced = new Set<number>();
  let ratelimit = -1;
  const lines = readFileSync(source, "utf8")
    .split("\n")
    .map((line) => {
      const header = /^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?/.exec(line);
      if (header?.[1]) {
        table = header[1];
        if (/^\s*\[\[\s*ratelimits\s*\]\]/.test(line)) unreplaced.add(++ratelimit);
        return line;
      }
      if (/^\s*#/.test(line)) return line;
      if (table === "ratelimits" || table === "ratelimits.simple") {
        const replaced = line.replace(/\blimit\s*=\s*\d+/, `limit = ${limit}`);
        if (replaced !== line) unreplaced.delete(ratelimit);
        return replaced;
      }
      const path = /^(\s*)([A-Za-z_]+)(\s*=\s*)"([^"]*)"(.*)$/.exec(line);
      const [, indent, key, equals, value, rest] = path ?? [];
      if (key && value !== undefined && PATH_KEYS[table]?.includes(key) && !isAbsolute(value))
        return `${indent}${key}${equals}${JSON.stringify(resolve(base, value))}${rest}`;
      return line;
    });
  if (unreplaced.size > 0)
    throw new Error(
      `${source}: ${unreplaced.size} [[ratelimits]] entries have no limit = <number> to replace`,
    );
  const file = join(dir, "wrangler.toml");
  writeFileSync(file, lines.join("\n"));
  return file;
}

/** A port that is free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

export type DevServer = { url: string; process: ChildProcess; stop(): Promise<void> };

/** The directories of the variables files of wranglers still running: removed at the latest when Node exits. */
const varsDirs = new Set<string>();
process.once("exit", () => {
  for (const dir of varsDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `vars` to a new env file that only this user can read; `remove` deletes it and its directory. */
function writeVarsFile(vars: Record<string, string>): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "lsp-wrangler-vars-")); // mode 0700
  varsDirs.add(dir);
  const remove = () => {
    rmSync(dir, { recursive: true, force: true });
    varsDirs.delete(dir);
  };
  const path = join(dir, "worker.env");
  try {
    writeFileSync(path, formatEnvFile(vars), { mode: 0o600, flag: "wx" });
  } catch (error) {
    remove();
    throw error;
  }
  return { path, remove };
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const varsFile = writeVarsFile(options.vars ?? {});
  let child: ChildProcess;
  try {
    child = spawnWrangler(options, varsFile.path);
  } catch (error) {
    varsFile.remove();
    throw error;
  }
  // However wrangler ends (stopped, crashed, never started), its variables go with it.
  child.once("exit", varsFile.remove);
  child.once("error", varsFile.remove);
  return waitUntilReady(options, child);
}

function spawnWrangler(options: DevServerOptions, varsFile: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      WRANGLER,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(options.port),
      "--inspector-port",
      "0",
      "--local",
      "--show-interactive-dev-session=false",
      ...persistArgs(options.persistTo),
      ...(options.config ? ["--config", options.config] : []),
      "--env-file",
      varsFile,
    ],
    // Its own process group: wrangler starts workerd children that must stop with it.
    {
      env: { ...process.env, ...OFFLINE_ENV, ...VARS_FROM_FILE_ONLY },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

async function waitUntilReady(options: DevServerOptions, child: ChildProcess): Promise<DevServer> {
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.verbose) process.stdout.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timeout = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timeout);
  };

  const ready = options.readyWhen ?? ((status: number) => status < 500);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    const status = await statusProbe(url);
    if (status !== null && ready(status)) return { url, process: child, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output}`);
}

/** The HTTP status of a `status` query to the Worker at `url`, or null while nothing answers there. */
export async function statusProbe(url: string): Promise<number | null> {
  try {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ status { ok } }" }),
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null; // not listening yet
  }
}
