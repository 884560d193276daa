import { z } from "zod";

/**
 * The whole configuration of a deployment, parsed once from the environment
 * (Worker bindings and vars, or process.env for scripts). Nothing else reads
 * the environment. A bad value fails with the variable's name and what was
 * expected, never with the value itself (it may be a secret).
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const intFrom = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const envSchema = z
  .object({
    RESEARCHER_TOKENS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const tokens = (v ?? "")
          .split(",")
          .map((t) => t.trim())
          .filter((t) => t.length > 0);
        if (tokens.some((t) => t.length < 16)) {
          ctx.addIssue({
            code: "custom",
            message: "every researcher token must be at least 16 characters (comma-separated list)",
          });
          return z.NEVER;
        }
        return tokens;
      }),
    STORE: z
      .enum(["d1"], { message: 'STORE must be "d1" (MongoDB adapters are not available yet)' })
      .default("d1"),
    LLM_PROVIDER: z
      .enum(["openai", "scripted"], { message: 'LLM_PROVIDER must be "openai" or "scripted"' })
      .optional(),
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: z
      .string()
      .trim()
      .transform((v) => (v === "" ? undefined : v))
      .pipe(z.url({ protocol: /^https?$/, message: "OPENAI_BASE_URL must be an http(s) URL" }).optional())
      .optional(),
    LLM_MODEL: optionalText,
    LLM_SYSTEM_PROMPT: optionalText,
    LLM_TEMPERATURE: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === "") return undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || n > 2) {
          ctx.addIssue({ code: "custom", message: "LLM_TEMPERATURE must be a number from 0 to 2" });
          return z.NEVER;
        }
        return n;
      }),
    LLM_TIMEOUT_MS: intFrom("LLM_TIMEOUT_MS", 100, 600_000, 60_000),
    LLM_MAX_RETRIES: intFrom("LLM_MAX_RETRIES", 0, 10, 1),
  })
  .superRefine((env, ctx) => {
    if (env.LLM_PROVIDER === "openai" && !env.OPENAI_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["OPENAI_API_KEY"],
        message:
          'OPENAI_API_KEY is required when LLM_PROVIDER is "openai" (use any non-empty value for keyless local servers)',
      });
    }
  });

export type Config = {
  researcherTokens: string[];
  store: { kind: "d1" };
  llm:
    | { provider: "scripted" }
    | {
        provider: "openai";
        apiKey: string;
        baseUrl: string | undefined;
        model: string;
        systemPrompt: string | undefined;
        temperature: number | undefined;
        timeoutMs: number;
        maxRetries: number;
      };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

/** Parses string-valued environment entries (Worker vars/secrets or process.env). */
export function parseConfig(env: Record<string, unknown>): Config {
  const strings: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape ?? {})) {
    const value = env[key];
    strings[key] = typeof value === "string" ? value : undefined;
  }
  const parsed = envSchema.safeParse(strings);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const provider = e.LLM_PROVIDER ?? (e.OPENAI_API_KEY ? "openai" : "scripted");
  return {
    researcherTokens: e.RESEARCHER_TOKENS,
    store: { kind: e.STORE },
    llm:
      provider === "scripted"
        ? { provider }
        : {
            provider,
            apiKey: e.OPENAI_API_KEY ?? "",
            baseUrl: e.OPENAI_BASE_URL,
            model: e.LLM_MODEL ?? DEFAULT_OPENAI_MODEL,
            systemPrompt: e.LLM_SYSTEM_PROMPT,
            temperature: e.LLM_TEMPERATURE,
            timeoutMs: e.LLM_TIMEOUT_MS,
            maxRetries: e.LLM_MAX_RETRIES,
          },
  };
}
