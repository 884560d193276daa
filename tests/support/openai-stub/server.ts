/**
 * The OpenAI-compatible stub server itself (see ../openai-stub.ts): routing,
 * the request log, authentication, and the scripted replies' queue.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { interruptibleWaits, readBody, sendJson, startStubServer } from "../http-stub";
import { chat, DEFAULT_MODELS, errorBody } from "./completions";
import type {
  OpenAiStub,
  OpenAiStubOptions,
  StubChatBody,
  StubRequest,
  StubResponder,
  StubResponseEnd,
} from "./types";

/** How the response ends: "finished" when all of it was sent, else "closed early". */
function whenClosed(res: ServerResponse): Promise<StubResponseEnd> {
  return new Promise((resolve) => {
    res.once("close", () => resolve(res.writableFinished ? "finished" : "closed early"));
  });
}

export async function startOpenAiStub(options: OpenAiStubOptions = {}): Promise<OpenAiStub> {
  const requests: StubRequest[] = [];
  const queue: StubResponder[] = [];
  let fallback: StubResponder = options.reply ?? {};
  let sequence = 0;
  /** Pending waits, ended early by close(). */
  const waits = interruptibleWaits();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const closed = whenClosed(res);
    const raw = await readBody(req);
    sequence += 1;
    const number = sequence;
    const path = new URL(req.url ?? "/", "http://stub").pathname.replace(/\/+$/, "");
    let body: StubChatBody | null = null;
    if (raw !== "") {
      try {
        body = JSON.parse(raw) as StubChatBody;
      } catch {
        requests.push({
          number,
          method: req.method ?? "GET",
          path,
          headers: req.headers,
          body: null,
          receivedAt: Date.now(),
          chunksSent: 0,
          closed,
        });
        sendJson(res, 400, errorBody(400, { message: "We could not parse the JSON body of your request." }), {
          "x-request-id": `req_stub_${number}`,
        });
        return;
      }
    }
    const request: StubRequest = {
      number,
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
      chunksSent: 0,
      closed,
    };
    requests.push(request);

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, errorBody(401, undefined));
      return;
    }

    if (req.method === "GET" && path === "/v1/models") {
      const created = Math.floor(Date.now() / 1000);
      sendJson(res, 200, {
        object: "list",
        data: (options.models ?? DEFAULT_MODELS).map((id) => ({
          id,
          object: "model",
          created,
          owned_by: "stub",
        })),
      });
      return;
    }
    if (path !== "/v1/chat/completions" || req.method !== "POST") {
      sendJson(res, 404, errorBody(404, { message: `Unknown request URL: ${req.method} ${path}.` }));
      return;
    }

    const responder = queue.shift() ?? fallback;
    const reply = typeof responder === "function" ? await responder(request) : responder;
    if (!(await waits.wait(reply.delayMs ?? 0, res))) return;
    if (reply.status !== undefined && reply.status >= 400) {
      const headers: Record<string, string> = { "x-request-id": `req_stub_${request.number}` };
      if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
      sendJson(res, reply.status, errorBody(reply.status, reply.error), headers);
      return;
    }
    await chat(request, res, reply, waits.wait);
  }

  const server = await startStubServer(
    handle,
    (res, error) => sendJson(res, 500, errorBody(500, { message: `stub failure: ${String(error)}` })),
    waits,
  );

  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    port: server.port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === "/v1/chat/completions"),
    respondWith(reply) {
      fallback = reply;
    },
    respondOnce(...replies) {
      queue.push(...replies);
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
      fallback = options.reply ?? {};
    },
    close: () => server.close(),
  };
}
