import { z } from "zod";
import type { Llm, LlmAnswer, LlmStreamPart } from "./llm";
import { rankSources } from "./sources";

/**
 * The scripted provider: the researcher writes the answers. Each rule has a
 * case-insensitive regular expression; the first rule whose pattern matches
 * the participant's message answers it, else the fallback does. `{{query}}`
 * in an answer is replaced by the message, as literal text: its Markdown is
 * escaped, so a participant cannot put a link into "the answer" (which the
 * click route would then accept). No network, fully deterministic:
 * the default when no API key is configured, and the way to show every
 * participant the same controlled stimulus. It reports no token usage
 * (usage null): its words are not a model's tokens.
 */

const sourceSchema = z.object({
  title: z.string().min(1, "a source needs a title"),
  url: z.url({ protocol: /^https?$/, message: "a source url must be an http(s) URL" }),
  content: z.string().optional(),
});

const answerSchema = z.object({
  answer: z.string().min(1, "an answer must not be empty"),
  sources: z.array(sourceSchema).default([]),
});

export const scriptSchema = z.object({
  model: z.string().min(1).default("scripted"),
  /** Streaming pace: the pause before each word when the answer is streamed, in milliseconds. */
  tokenDelayMs: z.number().int().min(0).max(2000).default(30),
  rules: z
    .array(
      answerSchema.extend({
        pattern: z.string().refine(
          (p) => {
            try {
              new RegExp(p, "i");
              return true;
            } catch {
              return false;
            }
          },
          { message: "pattern must be a valid regular expression" },
        ),
      }),
    )
    .default([]),
  fallback: answerSchema,
});

export type Script = z.infer<typeof scriptSchema>;

export function parseScript(input: unknown): Script {
  const parsed = scriptSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "script"}: ${i.message}`);
    throw new Error(`Invalid scripted LLM script:\n  - ${problems.join("\n  - ")}`);
  }
  return parsed.data;
}

/** The message as Markdown text: the characters that make links, HTML, entities, code or emphasis are escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>!&]/g, (c) => `\\${c}`);
}

/**
 * The text in word-sized pieces, each with the whitespace after it (the first
 * also with any before it): joined, they are exactly the text.
 */
export function wordPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

/** Resolves after ms, or as soon as the signal aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export function createScriptedLlm(script: Script): Llm {
  const rules = script.rules.map((rule) => ({ ...rule, regex: new RegExp(rule.pattern, "i") }));

  function reply(message: string): LlmAnswer {
    const chosen = rules.find((rule) => rule.regex.test(message)) ?? script.fallback;
    return {
      text: chosen.answer.replaceAll("{{query}}", () => escapeMarkdown(message)), // a function: no $& patterns
      sources: rankSources(chosen.sources),
      model: script.model,
      usage: null,
    };
  }

  return {
    name: "scripted",
    model: script.model,
    provenance: {
      provider: "scripted",
      endpoint: null,
      requestedModel: script.model,
      systemPromptHash: null,
      parameters: { tokenDelayMs: script.tokenDelayMs },
    },
    async answer({ message }): Promise<LlmAnswer> {
      return reply(message);
    },
    /**
     * The same answer as `answer`, word by word, `tokenDelayMs` before each
     * word (no pause at all with 0). An aborted signal ends it at once, without
     * `done` and without throwing.
     */
    async *stream({ message, signal }): AsyncGenerator<LlmStreamPart> {
      const { text, sources, model } = reply(message);
      for (const piece of wordPieces(text)) {
        if (signal?.aborted) return;
        if (script.tokenDelayMs > 0) {
          await pause(script.tokenDelayMs, signal);
          if (signal?.aborted) return;
        }
        yield { type: "delta", text: piece };
      }
      if (signal?.aborted) return;
      yield { type: "done", sources, model };
    },
    async health() {
      return {
        ok: true,
        latencyMs: 0,
        detail: `scripted answers (${rules.length} rules, model "${script.model}"); no LLM is called`,
      };
    },
  };
}
