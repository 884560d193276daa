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

/** A comma-separated list, trimmed, without empty entries. */
const listOf = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);

export const MIN_SESSION_SECRET_LENGTH = 32;

const envSchema = z
  .object({
    SESSION_SECRETS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const secrets = listOf(v);
        if (secrets.length === 0) {
          ctx.addIssue({
            code: "custom",
            message:
              "SESSION_SECRETS is required: the key that signs participants' sessions (at least 32 random characters; npm start generates one into .dev.vars; in production `wrangler secret put SESSION_SECRETS`)",
          });
          return z.NEVER;
        }
        if (secrets.some((t) => t.length < MIN_SESSION_SECRET_LENGTH)) {
          ctx.addIssue({
            code: "custom",
            message: `every session secret must be at least ${MIN_SESSION_SECRET_LENGTH} characters (comma-separated list: the first signs, all verify, so a new one goes first when rotating)`,
          });
          return z.NEVER;
        }
        return secrets;
      }),
    OPEN_CHAT: z.enum(["on", "off"], { message: 'OPEN_CHAT must be "on" or "off"' }).default("on"),
    CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const origins = listOf(v);
        for (const origin of origins) {
          let parsed: URL | null = null;
          try {
            parsed = new URL(origin);
          } catch {}
          if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
            ctx.addIssue({
              code: "custom",
              message: `CORS_ORIGINS must be a comma-separated list of origins like https://survey.example.org (scheme, host and port only); "${origin}" is not one`,
            });
            return z.NEVER;
          }
        }
        return origins;
      }),
    LLM_CALLS_PER_HOUR: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === "") return DEFAULT_LLM_CALLS_PER_HOUR;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
          ctx.addIssue({
            code: "custom",
            message: "LLM_CALLS_PER_HOUR must be an integer from 1 to 10000000",
          });
          return z.NEVER;
        }
        return n;
      }),
    RESEARCHER_TOKENS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const tokens = listOf(v);
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
      .enum(["d1", "mongodb-data-api", "mongodb"], {
        message: 'STORE must be "d1", "mongodb-data-api" or "mongodb"',
      })
      .default("d1"),
    MONGODB_DATA_API_URL: z
      .string()
      .trim()
      .transform((v) => (v === "" ? undefined : v))
      .pipe(
        z.url({ protocol: /^https?$/, message: "MONGODB_DATA_API_URL must be an http(s) URL" }).optional(),
      )
      .optional(),
    MONGODB_DATA_API_AUTH: z
      .enum(["api-key", "bearer", "basic"], {
        message: 'MONGODB_DATA_API_AUTH must be "api-key", "bearer" or "basic"',
      })
      .default("api-key"),
    MONGODB_DATA_API_KEY: optionalText,
    MONGODB_DATA_API_USER: optionalText,
    MONGODB_DATA_API_PASSWORD: optionalText,
    MONGODB_DATA_SOURCE: optionalText,
    MONGODB_URI: z
      .string()
      .trim()
      .transform((v) => (v === "" ? undefined : v))
      .pipe(
        z
          .string()
          .regex(
            /^mongodb(\+srv)?:\/\/\S+$/,
            "MONGODB_URI must be a mongodb:// or mongodb+srv:// connection string",
          )
          .optional(),
      )
      .optional(),
    MONGODB_DATABASE: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === undefined || v === "" ? undefined : v))
      .pipe(
        z
          .string()
          .regex(
            /^[^/\\. "$*<>:|?]{1,63}$/,
            'MONGODB_DATABASE must be a MongoDB database name (no spaces or /\\. "$*<>:|?)',
          )
          .optional(),
      ),
    MONGODB_TIMEOUT_MS: intFrom("MONGODB_TIMEOUT_MS", 100, 60_000, 10_000),
    MONGODB_RETRIES: intFrom("MONGODB_RETRIES", 0, 10, 2),
    LLM_PROVIDER: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === "" ? undefined : v))
      .pipe(
        z.enum(["openai", "scripted"], { message: 'LLM_PROVIDER must be "openai" or "scripted"' }).optional(),
      )
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
    const need = (name: keyof typeof env, why: string) => {
      if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: `${name} is required ${why}` });
    };
    if (env.STORE === "mongodb-data-api") {
      need(
        "MONGODB_DATA_API_URL",
        'when STORE is "mongodb-data-api" (the endpoint, up to but not including /action/...)',
      );
      if (env.MONGODB_DATA_API_AUTH === "basic") {
        need("MONGODB_DATA_API_USER", 'when MONGODB_DATA_API_AUTH is "basic"');
        need("MONGODB_DATA_API_PASSWORD", 'when MONGODB_DATA_API_AUTH is "basic"');
      } else {
        need("MONGODB_DATA_API_KEY", `when MONGODB_DATA_API_AUTH is "${env.MONGODB_DATA_API_AUTH}"`);
      }
    }
    if (env.STORE === "mongodb") need("MONGODB_URI", 'when STORE is "mongodb"');
    if (env.LLM_PROVIDER === "openai" && !env.OPENAI_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["OPENAI_API_KEY"],
        message:
          'OPENAI_API_KEY is required when LLM_PROVIDER is "openai" (use any non-empty value for keyless local servers)',
      });
    }
  });

export type StoreConfig =
  | { kind: "d1" }
  | {
      kind: "mongodb-data-api";
      url: string;
      dataSource: string;
      database: string;
      auth:
        | { kind: "api-key"; key: string }
        | { kind: "bearer"; token: string }
        | { kind: "basic"; user: string; password: string };
      timeoutMs: number;
      retries: number;
    }
  | { kind: "mongodb"; uri: string; database: string; timeoutMs: number };

export const DEFAULT_MONGODB_DATABASE = "llm_study";

/** The deployment-wide cap on LLM calls per hour, counted in the store, when LLM_CALLS_PER_HOUR is not set. */
export const DEFAULT_LLM_CALLS_PER_HOUR = 2000;

export type Config = {
  researcherTokens: string[];
  /** Sign participants' sessions and tokens: the first signs, every one verifies (rotation). */
  sessionSecrets: string[];
  /** The open chat at `/`, outside any study (switch it off for a public study deployment). */
  openChat: boolean;
  /** Origins allowed to call /graphql from a browser (CORS); none by default. */
  corsOrigins: string[];
  /** At most this many LLM calls per hour across the deployment, however the per-caller limits are evaded. */
  llmCallsPerHour: number;
  store: StoreConfig;
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

/** Every variable the configuration reads, in one place (scripts forward exactly these). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

/**
 * Variables this version no longer reads, each with where its job went: a
 * deployment that still sets one is told, rather than silently losing it.
 */
const REMOVED_VARIABLES: Record<string, string> = {
  FRAME_ANCESTORS:
    "FRAME_ANCESTORS is no longer read: a study's file lists the origins that may frame its pages (embedding.frameAncestors, docs/embedding.md), and no other page is ever framed. Remove the variable.",
};

function removedVariables(env: Record<string, unknown>): string[] {
  return Object.entries(REMOVED_VARIABLES)
    .filter(([name]) => typeof env[name] === "string" && (env[name] as string).trim() !== "")
    .map(([, message]) => message);
}

/** Parses string-valued environment entries (Worker vars/secrets or process.env). */
export function parseConfig(env: Record<string, unknown>): Config {
  const strings: Record<string, string | undefined> = {};
  for (const key of CONFIG_VARIABLES) {
    const value = env[key];
    strings[key] = typeof value === "string" ? value : undefined;
  }
  const parsed = envSchema.safeParse(strings);
  const removed = removedVariables(env);
  if (!parsed.success || removed.length > 0) {
    throw new ConfigError([
      ...(parsed.success ? [] : parsed.error.issues).map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
      }),
      ...removed,
    ]);
  }
  const e = parsed.data;
  const provider = e.LLM_PROVIDER ?? (e.OPENAI_API_KEY ? "openai" : "scripted");
  return {
    researcherTokens: e.RESEARCHER_TOKENS,
    sessionSecrets: e.SESSION_SECRETS,
    openChat: e.OPEN_CHAT === "on",
    corsOrigins: e.CORS_ORIGINS,
    llmCallsPerHour: e.LLM_CALLS_PER_HOUR,
    store: storeConfig(e),
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

function storeConfig(e: z.infer<typeof envSchema>): StoreConfig {
  const database = e.MONGODB_DATABASE ?? DEFAULT_MONGODB_DATABASE;
  switch (e.STORE) {
    case "d1":
      return { kind: "d1" };
    case "mongodb":
      return { kind: "mongodb", uri: e.MONGODB_URI ?? "", database, timeoutMs: e.MONGODB_TIMEOUT_MS };
    case "mongodb-data-api": {
      const key = e.MONGODB_DATA_API_KEY ?? "";
      return {
        kind: "mongodb-data-api",
        url: e.MONGODB_DATA_API_URL ?? "",
        dataSource: e.MONGODB_DATA_SOURCE ?? "mongodb-atlas",
        database,
        auth:
          e.MONGODB_DATA_API_AUTH === "basic"
            ? {
                kind: "basic",
                user: e.MONGODB_DATA_API_USER ?? "",
                password: e.MONGODB_DATA_API_PASSWORD ?? "",
              }
            : e.MONGODB_DATA_API_AUTH === "bearer"
              ? { kind: "bearer", token: key }
              : { kind: "api-key", key },
        timeoutMs: e.MONGODB_TIMEOUT_MS,
        retries: e.MONGODB_RETRIES,
      };
    }
  }
}
