/**
 * Runs the built Worker under `wrangler dev` (workerd) on loopback, offline,
 * with a local D1. Used by `npm start` and by the browser tests, so both run
 * what ships.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";

const require = createRequire(import.meta.url);
const WRANGLER = require.resolve("wrangler/bin/wrangler.js");

/** Keeps wrangler on loopback: no metrics, no cf fetch, no banner, no prompts. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  CI: "true",
};

export type DevServerOptions = {
  port: number;
  /** Where D1 keeps its data; default: wrangler's own (.wrangler/state). */
  persistTo?: string;
  /** Worker variables, passed with --var (local use only: they show in the process list). */
  vars?: Record<string, string>;
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

export function applyMigrations(persistTo?: string): void {
  execFileSync(
    process.execPath,
    [WRANGLER, "d1", "migrations", "apply", "DB", "--local", ...persistArgs(persistTo)],
    {
      env: { ...process.env, ...OFFLINE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
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

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = spawn(
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
      ...vars,
    ],
    // Its own process group: wrangler starts workerd children that must stop with it.
    { env: { ...process.env, ...OFFLINE_ENV }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
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
    try {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ status { ok } }" }),
      });
      await response.body?.cancel();
      if (ready(response.status)) return { url, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output}`);
}
