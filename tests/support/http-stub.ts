/**
 * The HTTP plumbing the test stub servers share (./openai-stub.ts,
 * ./data-api-server.ts): a node:http server on 127.0.0.1 (random port) that
 * stops cleanly, waits that end early when the client hangs up or the server
 * stops, reading a request's body, and sending a JSON answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The pending waits of one server; `stop` ends them all and makes every later one answer false. */
export type Waits = {
  /** Resolves after ms, or early when the response closes or the server stops; true if it may go on. */
  wait(ms: number, res: ServerResponse): Promise<boolean>;
  stop(): void;
};

export function interruptibleWaits(): Waits {
  let stopped = false;
  const pending = new Set<() => void>();
  return {
    wait(ms, res) {
      if (ms <= 0) return Promise.resolve(!res.destroyed && !stopped);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pending.delete(done);
          res.off("close", done);
          resolve(!res.destroyed && !res.writableEnded && !stopped);
        };
        const timer = setTimeout(done, ms);
        pending.add(done);
        res.once("close", done);
      });
    },
    stop() {
      stopped = true;
      for (const done of [...pending]) done();
    },
  };
}

/** The whole body of a request, as UTF-8 text ("" without one). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Answers with a text body of this type, unless the response is already over (closed or ended). */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Answers with `body` as JSON, unless the response is already over (closed or ended). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(body), "application/json", headers);
}

export type StubServer = {
  port: number;
  /** Stops the server: pending waits end, open connections are closed. Idempotent. */
  close(): Promise<void>;
};

/**
 * Serves `handle` on 127.0.0.1 (random port). When it throws, the connection is
 * destroyed if the answer had begun, otherwise `fail` answers.
 */
export async function startStubServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  fail: (res: ServerResponse, error: unknown) => void,
  waits: Waits,
): Promise<StubServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      fail(res, error);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;

  return {
    port: (server.address() as AddressInfo).port,
    close() {
      if (!closed) {
        waits.stop();
        closed = new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
      }
      return closed;
    },
  };
}
