/**
 * A stand-in for a network that breaks: an HTTP proxy in front of the test
 * Worker that passes requests through, but can hold the Nth download
 * request's response after half of its body (the headers and some rows
 * sent, the rest never), and says when it got there. So a test can kill a
 * client at a known point of a download without guessing at timings.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type CuttingProxy = {
  url: string;
  /** Resolves when the held response has sent half of its body. */
  cut: Promise<void>;
  /** From now on every request passes through whole. */
  heal(): void;
  close(): Promise<void>;
};

/** `holdAt`: the 1-based count of the /export/ request to cut off. */
export async function startCuttingProxy(target: string, holdAt: number): Promise<CuttingProxy> {
  let exports = 0;
  let healed = false;
  let reached: () => void = () => {};
  const cut = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", target);
    const hold = !healed && url.pathname.startsWith("/export/") && ++exports === holdAt;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string" && name !== "host") headers[name] = value;
    const upstream = await fetch(url, { method: request.method, headers });
    const body = Buffer.from(await upstream.arrayBuffer());
    const passed: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding")
        passed[name] = value;
    });
    response.writeHead(upstream.status, passed);
    if (!hold) {
      response.end(body);
      return;
    }
    response.write(body.subarray(0, Math.floor(body.length / 2)), () => reached());
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut,
    heal: () => {
      healed = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
