/**
 * The built Worker under wrangler dev on a fresh local D1 (bench/worker.ts:
 * limits raised out of the way), with the openai provider pointed at a
 * local OpenAI-compatible stub: what the LLM benchmarks measure the
 * platform with. Cleans up after `run`.
 */
import { randomBytes } from "node:crypto";
import { startOpenAiStub } from "../tests/support/openai-stub";
import type { StubReply } from "../tests/support/openai-stub/types";
import { startBenchWorker } from "./worker";

export async function withStubWorker(
  reply: StubReply,
  run: (urls: { worker: string; stub: string }) => Promise<void>,
): Promise<void> {
  const stub = await startOpenAiStub({ reply });
  try {
    const server = await startBenchWorker("lsp-bench-llm-", {
      LLM_PROVIDER: "openai",
      OPENAI_API_KEY: "bench",
      OPENAI_BASE_URL: stub.url,
      LLM_MODEL: "stub-model",
      LLM_MAX_RETRIES: "0",
      SESSION_SECRETS: randomBytes(48).toString("hex"),
    });
    try {
      await run({ worker: server.url, stub: stub.url });
    } finally {
      await server.stop();
    }
  } finally {
    await stub.close();
  }
}
