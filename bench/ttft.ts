/**
 * Time to first token: a streamed answer through the Worker (the
 * `queryStream` subscription over SSE, and the chat page's /stream route,
 * each with GraphQL, history lookup and the openai provider's SDK stream)
 * against the baseline of the openai SDK streaming from the same local
 * OpenAI-compatible stub directly, in the same run. The stub sends each
 * chunk 20 ms apart, so the first token is clearly apart from the rest.
 * Two participants, each started once before timing: one calls the API
 * with its token (X-Participant-Token), the other is the chat page's
 * visitor with the same kind of token in the site's session cookie.
 */
import OpenAI from "openai";
import { asParticipant, startParticipant } from "./participant";
import { median } from "./store-writes";
import { withStubWorker } from "./stub-worker";

const ANSWER = "One two three four five six seven eight nine ten.";

/** Milliseconds from sending the request to the first `next` event that carries a delta. */
async function firstDelta(response: Promise<Response>, started: number): Promise<number> {
  const body = (await response).body;
  if (!body) throw new Error("no body");
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended without a delta: ${text.slice(0, 300)}`);
    text += value;
    if (/"delta":"[^"]/.test(text)) {
      const at = performance.now() - started;
      // Read to the end, as a participant's page does, so the turn is stored before the next one.
      while (!(await reader.read()).done) {}
      return at;
    }
  }
}

export async function measureTtft(reps = 30): Promise<void> {
  await withStubWorker({ text: ANSWER, chunkDelayMs: 20 }, async ({ worker, stub }) => {
    const client = new OpenAI({ apiKey: "bench", baseURL: stub, maxRetries: 0 });
    const apiParticipant = await startParticipant(worker);
    const { userId, sessionId } = apiParticipant;
    // The site keeps the token in lsp_session (plain http); the page continues that session.
    const pageCookie = `lsp_session=${(await startParticipant(worker)).token}`;
    const sdk = async (i: number) => {
      const started = performance.now();
      const stream = await client.chat.completions.create({
        model: "stub-model",
        messages: [{ role: "user", content: `question ${i}` }],
        stream: true,
      });
      let at = 0;
      for await (const chunk of stream)
        if (!at && chunk.choices[0]?.delta?.content) at = performance.now() - started;
      return at;
    };
    const subscription = (i: number) => {
      const started = performance.now();
      return firstDelta(
        fetch(`${worker}/graphql`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "text/event-stream",
            ...asParticipant(apiParticipant),
          },
          body: JSON.stringify({
            query: "subscription($i: QueryInput!) { queryStream(input: $i) { delta result { id } } }",
            variables: { i: { userId, sessionId, query: `question ${i}` } },
          }),
        }),
        started,
      );
    };
    const page = (i: number) => {
      const started = performance.now();
      return firstDelta(
        fetch(`${worker}/stream`, {
          method: "POST",
          headers: { cookie: pageCookie },
          body: new URLSearchParams({ query: `question ${i}` }),
        }),
        started,
      );
    };
    const noop = async () => {
      const started = performance.now();
      await fetch(`${worker}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      }).then((r) => r.json());
      return performance.now() - started;
    };
    await subscription(-1); // the first request after start pays for the isolate
    await page(-1);
    const direct: number[] = [];
    const viaApi: number[] = [];
    const viaPage: number[] = [];
    const transport: number[] = [];
    for (let i = 0; i < reps; i++) {
      transport.push(await noop());
      direct.push(await sdk(i));
      viaApi.push(await subscription(i));
      viaPage.push(await page(i));
    }
    const d = median(direct);
    const a = median(viaApi);
    const p = median(viaPage);
    const n = median(transport);
    console.log(`  SDK stream <- stub (base)      ${d.toFixed(2).padStart(8)} ms to the first token`);
    console.log(
      `  { __typename } via Worker      ${n.toFixed(2).padStart(8)} ms   (local wrangler dev transport and GraphQL alone)`,
    );
    console.log(
      `  queryStream via Worker         ${a.toFixed(2).padStart(8)} ms   adds ${(a - d).toFixed(2)} ms (x${(a / d).toFixed(2)}), ${(a - d - n).toFixed(2)} ms beyond transport`,
    );
    console.log(
      `  chat page's /stream via Worker ${p.toFixed(2).padStart(8)} ms   adds ${(p - d).toFixed(2)} ms (x${(p / d).toFixed(2)}), ${(p - d - n).toFixed(2)} ms beyond transport`,
    );
  });
}
