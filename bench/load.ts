/**
 * A closed-loop load generator, in the way of autocannon: `connections`
 * keep-alive connections, each sending its next request as soon as the
 * previous answer has been read, for `seconds` after a warm-up. Every
 * answer is checked (`check`): one that fails counts as an error, not as a
 * request served, so a target that answers fast with refusals (429, 413, a
 * GraphQL error) cannot look fast. No dependency: the same client drives
 * every target of a run, which is what the ratios need.
 */
import { Agent, request } from "node:http";

export type LoadRequest = { path: string; headers: Record<string, string>; body: string };

export type LoadTarget = {
  url: string;
  /** The n-th request of this process (n never repeats: each request has its own event ids, as real traffic has). */
  next(n: number): LoadRequest;
  /** Throws (or returns a reason) when an answer is not what a served request looks like. */
  check(status: number, body: string): string | null;
};

export type LoadResult = {
  requestsPerSecond: number;
  requests: number;
  errors: number;
  firstError: string | null;
};

export type LoadOptions = { connections: number; seconds: number; warmupSeconds: number };

function send(agent: Agent, base: URL, req: LoadRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(req.body);
    const r = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: "POST",
        path: req.path,
        headers: { ...req.headers, "content-length": String(body.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(body);
  });
}

/** Numbers requests across every runLoad of the process. */
let requestNumber = 0;

/** Runs `target` under load; requests/s counts the checked answers of the timed window only. */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  const base = new URL(target.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  let served = 0;
  let errors = 0;
  let firstError: string | null = null;
  let timing = false;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const counted = timing;
      try {
        const { status, body } = await send(agent, base, target.next(requestNumber++));
        const problem = target.check(status, body);
        if (!counted || !timing) continue;
        if (problem === null) served++;
        else {
          errors++;
          firstError ??= problem;
        }
      } catch (error) {
        if (!counted || !timing) continue;
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const loops = Array.from({ length: options.connections }, loop);
  await new Promise((resolve) => setTimeout(resolve, options.warmupSeconds * 1000));
  timing = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  timing = false;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  return { requestsPerSecond: served / elapsed, requests: served, errors, firstError };
}
