/**
 * `npm run bench`: runs the built Worker under wrangler dev on a fresh local
 * D1 and prints each figure with its ratio against a baseline measured in
 * the same run. Figures, not assertions: these machines are shared and noisy.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { measureExport } from "./export-pages";
import { measureIngest, printIngest } from "./ingest";
import { measureLlmOverhead } from "./llm-overhead";
import { type Participant, startParticipant } from "./participant";
import { measureSizes, printSizes } from "./sizes";
import { measureWrites } from "./store-writes";
import { measureTtft } from "./ttft";
import { startBenchWorker } from "./worker";

const TOKEN = "bench-researcher-token-0123456789";

/** `npm run bench -- ingest` runs the ingest figures alone. */
const ingestOnly = process.argv.slice(2).includes("ingest");

if (!existsSync("build/server/index.js")) {
  console.error("Run `npm run build` first: the benchmarks measure the built Worker.");
  process.exit(1);
}

const server = await startBenchWorker("lsp-bench-", {
  RESEARCHER_TOKENS: TOKEN,
  SESSION_SECRETS: randomBytes(48).toString("hex"),
});
/** As the participant `as` (their token) when given, else as the researcher (the export). */
const gql = async (query: string, variables: Record<string, unknown> = {}, as?: Participant) => {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(as ? { "x-participant-token": as.token } : { authorization: `Bearer ${TOKEN}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors[0]?.message);
  return body;
};
const newParticipant = () => startParticipant(server.url);

try {
  console.log(
    `Ingest: requests/s with ${process.env.INGEST_CONNECTIONS ?? 8} connections (median of rounds; ratio: median of per-round ratios)`,
  );
  printIngest(await measureIngest(server.url));
} catch (error) {
  await server.stop();
  throw error;
}
if (ingestOnly) {
  await server.stop();
  process.exit(0);
}

try {
  console.log("\nSizes");
  printSizes(await measureSizes(server.url));

  console.log("\nlogEvents of 500 events (median)");
  const writes = await measureWrites(gql, newParticipant);
  console.log(`  one logEvents call          ${writes.batchMs.toFixed(1).padStart(8)} ms`);
  console.log(
    `  500 logEvent calls (base)   ${writes.singleMs.toFixed(1).padStart(8)} ms   batch is x${(writes.singleMs / writes.batchMs).toFixed(1)} faster`,
  );

  console.log("\nexport paging, first: 100 (median of 30)");
  const paging = await measureExport(gql, newParticipant);
  console.log(`  page 1 of ${paging.records} records ${paging.firstMs.toFixed(2).padStart(8)} ms`);
  console.log(
    `  page 1000                   ${paging.lastMs.toFixed(2).padStart(8)} ms   ratio page 1000 / page 1: ${(paging.lastMs / paging.firstMs).toFixed(2)}`,
  );
} finally {
  await server.stop();
}

console.log("\nLLM: platform overhead over the provider (median)");
await measureLlmOverhead();

console.log("\nLLM: time to first token of a streamed answer (median of 30)");
await measureTtft();
