/**
 * The built Worker under wrangler dev on a fresh local D1, with the openai
 * provider pointed at a local OpenAI-compatible stub: what the LLM
 * benchmarks measure the platform with. Cleans up after `run`.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, freePort, startDevServer } from "../scripts/dev-server";
import { startOpenAiStub } from "../tests/support/openai-stub";
import type { StubReply } from "../tests/support/openai-stub/types";

export async function withStubWorker(
  reply: StubReply,
  run: (urls: { worker: string; stub: string }) => Promise<void>,
): Promise<void> {
  const stub = await startOpenAiStub({ reply });
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-llm-"));
  try {
    applyMigrations(dir);
    const server = await startDevServer({
      port: await freePort(),
      persistTo: dir,
      vars: {
        LLM_PROVIDER: "openai",
        OPENAI_API_KEY: "bench",
        OPENAI_BASE_URL: stub.url,
        LLM_MODEL: "stub-model",
        LLM_MAX_RETRIES: "0",
        SESSION_SECRETS: randomBytes(48).toString("hex"),
      },
    });
    try {
      await run({ worker: server.url, stub: stub.url });
    } finally {
      await server.stop();
    }
  } finally {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
