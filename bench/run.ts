/**
 * `npm run bench`: runs the built Worker under wrangler dev on a fresh local
 * D1 and prints each figure with its ratio against a baseline measured in
 * the same run. Figures, not assertions: these machines are shared and noisy.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, freePort, startDevServer } from "../scripts/dev-server";
import { measureExport } from "./export-pages";
import { measureLlmOverhead } from "./llm-overhead";
import { measureSizes, printSizes } from "./sizes";
import { measureWrites } from "./store-writes";
import { measureTtft } from "./ttft";

const TOKEN = "bench-researcher-token-0123456789";

if (!existsSync("build/server/index.js")) {
  console.error("Run `npm run build` first: the benchmarks measure the built Worker.");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "lsp-bench-"));
applyMigrations(dir);
const server = await startDevServer({
  port: await freePort(),
  persistTo: dir,
  vars: { RESEARCHER_TOKENS: TOKEN, SESSION_SECRETS: randomBytes(48).toString("hex") },
});
const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors[0]?.message);
  return body;
};

try {
  console.log("Sizes");
  printSizes(await measureSizes(server.url));

  console.log("\nlogEvents of 500 events (median)");
  const writes = await measureWrites(gql);
  console.log(`  one logEvents call          ${writes.batchMs.toFixed(1).padStart(8)} ms`);
  console.log(
    `  500 logEvent calls (base)   ${writes.singleMs.toFixed(1).padStart(8)} ms   batch is x${(writes.singleMs / writes.batchMs).toFixed(1)} faster`,
  );

  console.log("\nexport paging, first: 100 (median of 30)");
  const paging = await measureExport(gql);
  console.log(`  page 1 of ${paging.records} records ${paging.firstMs.toFixed(2).padStart(8)} ms`);
  console.log(
    `  page 1000                   ${paging.lastMs.toFixed(2).padStart(8)} ms   ratio page 1000 / page 1: ${(paging.lastMs / paging.firstMs).toFixed(2)}`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

console.log("\nLLM: platform overhead over the provider (median)");
await measureLlmOverhead();

console.log("\nLLM: time to first token of a streamed answer (median of 30)");
await measureTtft();
