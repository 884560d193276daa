/**
 * What the platform adds to an answer's latency: the `query` mutation through
 * the Worker (GraphQL, validation, history lookup, storing the record) with
 * the openai provider against a local OpenAI-compatible stub, against the
 * baseline of the openai SDK calling the same stub directly, in the same run.
 * All questions are one participant's (one startSession, before timing: the
 * token's check is part of each timed call, as it is of every real one).
 */
import OpenAI from "openai";
import { asParticipant, startParticipant } from "./participant";
import { median } from "./store-writes";
import { withStubWorker } from "./stub-worker";

export async function measureLlmOverhead(reps = 40): Promise<void> {
  await withStubWorker(
    { text: "A short answer [1].", annotations: [{ url: "https://example.org/a", title: "A" }] },
    async ({ worker, stub }) => {
      const client = new OpenAI({ apiKey: "bench", baseURL: stub, maxRetries: 0 });
      const participant = await startParticipant(worker);
      const { userId, sessionId } = participant;
      const direct: number[] = [];
      const platform: number[] = [];
      const transport: number[] = [];
      const noop = () =>
        fetch(`${worker}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ __typename }" }),
        }).then((r) => r.json());
      const ask = (i: number) =>
        fetch(`${worker}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...asParticipant(participant) },
          body: JSON.stringify({
            query: "mutation($i: QueryInput!) { query(input: $i) { id sources { url } } }",
            variables: { i: { userId, sessionId, query: `question ${i}` } },
          }),
        }).then((r) => r.json());
      const warm = (await ask(-1)) as { errors?: unknown }; // the first request after start pays for the isolate
      if (warm.errors) throw new Error(JSON.stringify(warm.errors));
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
    },
  );
}
