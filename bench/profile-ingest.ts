/**
 * Where the app's ingest time goes: runs the built Worker under wrangler dev
 * (as bench/worker.ts does: limits raised, bindings bound) with its
 * inspector on, puts one of the ingest loads on it (bench/ingest.ts) and
 * records a V8 CPU profile of the Worker's isolate over the load. Prints the
 * functions with the most self time and the share of named areas (GraphQL,
 * zod, JSON, D1 binding, ...), and writes the whole profile for DevTools.
 *
 *   npm run build && node --experimental-websocket --import tsx bench/profile-ingest.ts [graphql|t|me] [seconds]
 *
 * (Node 20 has WebSocket behind that flag; Node 22 has it always.)
 * The profile's times are CPU times in the Worker's isolate only: waiting on
 * D1 (another workerd process) is idle time in it, which is what
 * "(idle)" shows.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyMigrations,
  freePort,
  OFFLINE_ENV,
  statusProbe,
  writeConfigWithLimits,
} from "../scripts/dev-server";
import { formatEnvFile } from "../scripts/env-file";
import { appTargets, enrolledParticipants, GRAPHQL, ME, meTarget, TRACKER } from "./ingest";
import { type LoadTarget, runLoad } from "./load";
import { BENCH_LLM_CALLS_PER_HOUR, BENCH_RATE_LIMIT } from "./worker";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
};
type Profile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** graphql: logEvents(50); t: the tracker's /t; me: the floor under /graphql (a `me` query, no events). */
const which = process.argv[2] === "t" ? TRACKER : process.argv[2] === "me" ? ME : GRAPHQL;
const seconds = Number(process.argv[3] ?? 15);

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "lsp-bench-profile-"));
const config = writeConfigWithLimits(dir, BENCH_RATE_LIMIT);
applyMigrations(dir, config);
const envFile = join(dir, "worker.env");
writeFileSync(
  envFile,
  formatEnvFile({
    LLM_CALLS_PER_HOUR: BENCH_LLM_CALLS_PER_HOUR,
    SESSION_SECRETS: randomBytes(48).toString("hex"),
  }),
  { mode: 0o600 },
);
const port = await freePort();
const inspectorPort = await freePort();
const child = spawn(
  process.execPath,
  [
    require.resolve("wrangler/bin/wrangler.js"),
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--local",
    "--show-interactive-dev-session=false",
    "--persist-to",
    dir,
    "--config",
    config,
    "--env-file",
    envFile,
  ],
  {
    env: {
      ...process.env,
      ...OFFLINE_ENV,
      CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "true",
      CLOUDFLARE_INCLUDE_PROCESS_ENV: "false",
    },
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
  },
);
const stop = () => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
  } catch {}
};

const url = `http://127.0.0.1:${port}`;

async function ready(): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const status = await statusProbe(url);
    if (status !== null && status < 500) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("wrangler dev did not start");
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspector() {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const target = targets[0];
  if (!target) throw new Error("no inspector target");
  // The inspector proxy takes local origins only; Node's (undici's) WebSocket takes headers as an extension.
  const socket = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { origin: "http://127.0.0.1" },
  } as unknown as string[]);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", reject);
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown };
    if (data.id !== undefined) pending.get(data.id)?.(data.result);
  });
  return {
    send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const call = ++id;
      return new Promise((resolve) => {
        pending.set(call, (result) => resolve(result as T));
        socket.send(JSON.stringify({ id: call, method, params }));
      });
    },
    close: () => socket.close(),
  };
}

/** Areas of the code, by the first rule that a frame's function and file match. */
const AREAS: [string, (f: ProfileNode["callFrame"]) => boolean][] = [
  ["(idle)", (f) => f.functionName === "(idle)"],
  ["(garbage collector)", (f) => f.functionName === "(garbage collector)"],
  ["(program)", (f) => f.functionName === "(program)"],
  ["JSON.parse/stringify", (f) => f.functionName === "parse" || f.functionName === "stringify"],
];

async function main() {
  await ready();
  const participants = await enrolledParticipants(url, 64);
  const targets: Record<string, LoadTarget> = {
    ...appTargets(url, participants),
    [ME]: meTarget(url, participants),
  };
  const target = targets[which];
  if (!target) throw new Error(which);
  // Warm the isolate (JIT, caches) before the profile.
  await runLoad(target, { connections: 8, seconds: 3, warmupSeconds: 1 });
  const cdp = await inspector();
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const load = await runLoad(target, { connections: 8, seconds, warmupSeconds: 0 });
  const { profile } = await cdp.send<{ profile: Profile }>("Profiler.stop");
  cdp.close();
  const out = join(tmpdir(), `ingest-${process.argv[2] ?? "graphql"}.cpuprofile`);
  writeFileSync(out, JSON.stringify(profile));
  report(profile, load.requests, which, load.requestsPerSecond);
  console.log(`\nWhole profile (open in Chrome DevTools, Performance): ${out}`);
}

function report(profile: Profile, requests: number, name: string, rps: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const key = (f: ProfileNode["callFrame"]) =>
    `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  const selfByFunction = new Map<string, number>();
  // Inclusive time by "module" (the package a frame's code comes from), counted once per sample.
  const inclusive = new Map<string, number>();
  for (const [id, time] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const k = key(node.callFrame);
    selfByFunction.set(k, (selfByFunction.get(k) ?? 0) + time);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      const area = AREAS.find(([, match]) => match(frame))?.[0] ?? frame.functionName;
      if (!area || seen.has(area)) continue;
      seen.add(area);
      inclusive.set(area, (inclusive.get(area) ?? 0) + time);
    }
  }
  const ms = (us: number) =>
    `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const perRequest = (us: number) => `${(us / 1000 / requests).toFixed(3).padStart(7)} ms/request`;
  console.log(
    `${name}: ${requests} requests, ${rps.toFixed(0)} req/s, ${(total / 1000).toFixed(0)} ms sampled`,
  );
  console.log("\nSelf time, top 40 functions:");
  for (const [k, v] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`  ${ms(v)} ${perRequest(v)}  ${k}`);
  console.log("\nInclusive time, top 60 function names:");
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 60))
    console.log(`  ${ms(v)} ${perRequest(v)}  ${k}`);
}

try {
  await main();
} finally {
  stop();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rmSync(dir, { recursive: true, force: true });
}
