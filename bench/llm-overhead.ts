/**
 * What the platform adds to an answer's latency: the `query` mutation through
 * the Worker (GraphQL, validation, history lookup, storing the record) with
 * the openai provider against a local OpenAI-compatible stub, against the
 * baseline of the openai SDK calling the same stub directly, in the same run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { applyMigrations, freePort, startDevServer } from "../scripts/dev-server";
import { startOpenAiStub } from "../tests/support/openai-stub";
import { median } from "./store-writes";

export async function measureLlmOverhead(reps = 40): Promise<void> {
  const stub = await startOpenAiStub({
    reply: { text: "A short answer [1].", annotations: [{ url: "https://example.org/a", title: "A" }] },
  });
  const dir = mkdtempSync(join(tmpdir(), "lsp-bench-llm-"));
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
    },
  });
  try {
    const client = new OpenAI({ apiKey: "bench", baseURL: stub.url, maxRetries: 0 });
    const direct: number[] = [];
    const platform: number[] = [];
    const transport: number[] = [];
    const noop = () =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      }).then((r) => r.json());
    const ask = (i: number) =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: "mutation($i: QueryInput!) { query(input: $i) { id sources { url } } }",
          variables: { i: { userId: "bench", sessionId: "bench", query: `question ${i}` } },
        }),
      }).then((r) => r.json());
    await ask(-1); // the first request after start pays for the isolate
    for (let i = 0; i < reps; i++) {
      let t = performance.now();
      await client.chat.completions.create({
        model: "stub-model",
        messages: [{ role: "user", content: `question ${i}` }],
      });
      direct.push(performance.now() - t);
      t = performance.now();
      const body = (await ask(i)) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      platform.push(performance.now() - t);
      t = performance.now();
      await noop();
      transport.push(performance.now() - t);
    }
    const d = median(direct);
    const p = median(platform);
    const n = median(transport);
    console.log(`  SDK -> stub directly (base)  ${d.toFixed(2).padStart(8)} ms`);
    console.log(
      `  { __typename } via Worker    ${n.toFixed(2).padStart(8)} ms   (local wrangler dev transport and GraphQL alone)`,
    );
    console.log(
      `  query mutation via Worker    ${p.toFixed(2).padStart(8)} ms   adds ${(p - d).toFixed(2)} ms over the SDK alone (x${(p / d).toFixed(2)}), ${(p - d - n).toFixed(2)} ms beyond transport`,
    );
  } finally {
    await server.stop();
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
