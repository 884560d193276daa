import { describe, expect, it } from "vitest";
import {
  ConfigError,
  DEFAULT_LLM_CALLS_PER_HOUR,
  DEFAULT_OPENAI_MODEL,
  parseConfig as parseEnv,
} from "./config";

const TOKEN = "researcher-token-0123456789";
const SECRET = "session-secret-0123456789abcdefghijkl";

/** Every deployment needs a session secret; the tests below are about the other variables. */
const parseConfig = (env: Record<string, unknown>) => parseEnv({ SESSION_SECRETS: SECRET, ...env });

/** What the security variables default to. */
const SECURITY_DEFAULTS = {
  sessionSecrets: [SECRET],
  openChat: true,
  corsOrigins: [],
  llmCallsPerHour: DEFAULT_LLM_CALLS_PER_HOUR,
};

function problemsOf(env: Record<string, unknown>): { message: string; problems: string[] } {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { message: (error as ConfigError).message, problems: (error as ConfigError).problems };
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  describe("security variables", () => {
    it("requires a session secret of at least 32 characters, and takes a rotation list", () => {
      expect(problemsOf({ SESSION_SECRETS: undefined }).problems[0]).toMatch(/^SESSION_SECRETS is required/);
      expect(problemsOf({ SESSION_SECRETS: "short" }).problems[0]).toMatch(
        /^SESSION_SECRETS: every session secret must be at least 32/,
      );
      expect(parseConfig({ SESSION_SECRETS: `${SECRET}-new, ${SECRET}` }).sessionSecrets).toEqual([
        `${SECRET}-new`,
        SECRET,
      ]);
      expect(problemsOf({ SESSION_SECRETS: "short-secret-value" }).message).not.toContain(
        "short-secret-value",
      );
    });

    it("switches the open chat off, lists CORS origins and takes the LLM cap", () => {
      const config = parseConfig({
        OPEN_CHAT: "off",
        CORS_ORIGINS: "https://survey.example.org, http://localhost:3000",
        LLM_CALLS_PER_HOUR: "50",
      });
      expect(config.openChat).toBe(false);
      expect(config.corsOrigins).toEqual(["https://survey.example.org", "http://localhost:3000"]);
      expect(config.llmCallsPerHour).toBe(50);
    });

    it.each([
      [{ OPEN_CHAT: "maybe" }, "OPEN_CHAT"],
      [{ CORS_ORIGINS: "https://ok.example, https://bad.example/path" }, "CORS_ORIGINS"],
      [{ CORS_ORIGINS: "*" }, "CORS_ORIGINS"],
      // Moved to the study file (embedding.frameAncestors): a deployment that still sets it is told so.
      [{ FRAME_ANCESTORS: "https://survey.example.org" }, "FRAME_ANCESTORS is no longer read"],
      [{ LLM_CALLS_PER_HOUR: "0" }, "LLM_CALLS_PER_HOUR"],
    ])("names the bad variable for %j", (env, name) => {
      const { problems } = problemsOf(env);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.startsWith(name)).toBe(true);
    });
  });

  it("defaults to the scripted LLM, D1 and no researcher tokens", () => {
    expect(parseConfig({})).toEqual({
      ...SECURITY_DEFAULTS,
      researcherTokens: [],
      store: { kind: "d1" },
      llm: { provider: "scripted" },
    });
  });

  it("treats empty and blank values as unset", () => {
    expect(
      parseConfig({
        OPENAI_API_KEY: "  ",
        LLM_PROVIDER: undefined,
        LLM_TIMEOUT_MS: "",
        RESEARCHER_TOKENS: " , ",
      }),
    ).toEqual({
      ...SECURITY_DEFAULTS,
      researcherTokens: [],
      store: { kind: "d1" },
      llm: { provider: "scripted" },
    });
  });

  it("ignores values that are not strings (Worker bindings such as DB)", () => {
    expect(parseConfig({ DB: {}, OPENAI_API_KEY: 42 }).llm).toEqual({ provider: "scripted" });
  });

  it("uses openai when an API key is set, with the documented defaults", () => {
    expect(parseConfig({ OPENAI_API_KEY: "sk-abc" }).llm).toEqual({
      provider: "openai",
      apiKey: "sk-abc",
      baseUrl: undefined,
      model: DEFAULT_OPENAI_MODEL,
      systemPrompt: undefined,
      temperature: undefined,
      timeoutMs: 60_000,
      maxRetries: 1,
    });
  });

  it("reads every LLM setting", () => {
    expect(
      parseConfig({
        OPENAI_API_KEY: "sk-abc",
        OPENAI_BASE_URL: "http://localhost:11434/v1",
        LLM_MODEL: "llama3",
        LLM_SYSTEM_PROMPT: "Be brief.",
        LLM_TEMPERATURE: "0.7",
        LLM_TIMEOUT_MS: "5000",
        LLM_MAX_RETRIES: "0",
      }).llm,
    ).toEqual({
      provider: "openai",
      apiKey: "sk-abc",
      baseUrl: "http://localhost:11434/v1",
      model: "llama3",
      systemPrompt: "Be brief.",
      temperature: 0.7,
      timeoutMs: 5000,
      maxRetries: 0,
    });
  });

  it("keeps the scripted LLM when asked to, even with a key", () => {
    expect(parseConfig({ OPENAI_API_KEY: "sk-abc", LLM_PROVIDER: "scripted" }).llm).toEqual({
      provider: "scripted",
    });
  });

  it("splits researcher tokens on commas and trims them", () => {
    expect(parseConfig({ RESEARCHER_TOKENS: ` ${TOKEN} ,${TOKEN}-two,` }).researcherTokens).toEqual([
      TOKEN,
      `${TOKEN}-two`,
    ]);
  });

  it.each([
    ["RESEARCHER_TOKENS", { RESEARCHER_TOKENS: `${TOKEN},short-secret` }, "short-secret"],
    ["OPENAI_BASE_URL", { OPENAI_BASE_URL: "not a url with-secret-inside" }, "with-secret-inside"],
    ["OPENAI_BASE_URL", { OPENAI_BASE_URL: "ftp://files.example/secret-path" }, "secret-path"],
    ["LLM_TIMEOUT_MS", { LLM_TIMEOUT_MS: "99" }, "99"],
    ["LLM_TIMEOUT_MS", { LLM_TIMEOUT_MS: "600001" }, "600001"],
    ["LLM_TIMEOUT_MS", { LLM_TIMEOUT_MS: "1.5e3x" }, "1.5e3x"],
    ["LLM_MAX_RETRIES", { LLM_MAX_RETRIES: "11" }, "11"],
    ["LLM_TEMPERATURE", { LLM_TEMPERATURE: "2.5" }, "2.5"],
    ["LLM_PROVIDER", { LLM_PROVIDER: "anthropic-secret" }, "anthropic-secret"],
    ["OPENAI_API_KEY", { LLM_PROVIDER: "openai" }, null],
    ["STORE", { STORE: "postgres" }, null],
    ["STORE", { STORE: "mongodb://user:hunter2-password@db.example/x" }, "hunter2-password"],
  ])("names %s in the ConfigError for %j, without its value", (name, env, secret) => {
    const { message, problems } = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(name)).toBe(true);
    expect(message).toMatch(/^Invalid configuration:\n {2}- /);
    if (secret) expect(message).not.toContain(secret);
  });

  it("reports every bad variable at once", () => {
    const { problems } = problemsOf({
      RESEARCHER_TOKENS: "tiny",
      OPENAI_BASE_URL: "nope",
      LLM_TIMEOUT_MS: "1",
      STORE: "postgres",
    });
    const named = problems.map((p) => p.split(/[\s:]/)[0]).sort();
    expect(named).toEqual(["LLM_TIMEOUT_MS", "OPENAI_BASE_URL", "RESEARCHER_TOKENS", "STORE"]);
  });

  it("never shows the API key, whatever else is wrong", () => {
    const key = "sk-live-0123456789abcdefghijklmnop";
    const { message } = problemsOf({ OPENAI_API_KEY: key, LLM_TEMPERATURE: key, LLM_MODEL: "m" });
    expect(message).toContain("LLM_TEMPERATURE");
    expect(message).not.toContain(key);
  });

  describe("MongoDB stores", () => {
    it("takes the driver's settings, with the default database", () => {
      expect(
        parseConfig({ STORE: "mongodb", MONGODB_URI: "mongodb+srv://u:p@cluster0.example.net" }).store,
      ).toEqual({
        kind: "mongodb",
        uri: "mongodb+srv://u:p@cluster0.example.net",
        database: "llm_study",
        timeoutMs: 10_000,
      });
    });

    it("takes the Data API's settings for each kind of authentication", () => {
      const base = {
        STORE: "mongodb-data-api",
        MONGODB_DATA_API_URL: "https://data.example/app/x/endpoint/data/v1",
      };
      expect(parseConfig({ ...base, MONGODB_DATA_API_KEY: "k" }).store).toEqual({
        kind: "mongodb-data-api",
        url: base.MONGODB_DATA_API_URL,
        dataSource: "mongodb-atlas",
        database: "llm_study",
        auth: { kind: "api-key", key: "k" },
        timeoutMs: 10_000,
        retries: 2,
      });
      expect(
        parseConfig({ ...base, MONGODB_DATA_API_AUTH: "bearer", MONGODB_DATA_API_KEY: "t" }).store,
      ).toMatchObject({
        auth: { kind: "bearer", token: "t" },
      });
      expect(
        parseConfig({
          ...base,
          MONGODB_DATA_API_AUTH: "basic",
          MONGODB_DATA_API_USER: "u",
          MONGODB_DATA_API_PASSWORD: "p",
          MONGODB_DATABASE: "study_2026",
          MONGODB_DATA_SOURCE: "Cluster0",
          MONGODB_RETRIES: "0",
        }).store,
      ).toMatchObject({
        auth: { kind: "basic", user: "u", password: "p" },
        database: "study_2026",
        dataSource: "Cluster0",
        retries: 0,
      });
    });

    it.each([
      [{ STORE: "mongodb" }, "MONGODB_URI"],
      [{ STORE: "mongodb", MONGODB_URI: "postgres://u:s3cret-pw@h/db" }, "MONGODB_URI"],
      [{ STORE: "mongodb-data-api", MONGODB_DATA_API_KEY: "k" }, "MONGODB_DATA_API_URL"],
      [
        { STORE: "mongodb-data-api", MONGODB_DATA_API_URL: "ftp://x", MONGODB_DATA_API_KEY: "k" },
        "MONGODB_DATA_API_URL",
      ],
      [{ STORE: "mongodb-data-api", MONGODB_DATA_API_URL: "https://x" }, "MONGODB_DATA_API_KEY"],
      [
        {
          STORE: "mongodb-data-api",
          MONGODB_DATA_API_URL: "https://x",
          MONGODB_DATA_API_AUTH: "basic",
          MONGODB_DATA_API_USER: "u",
        },
        "MONGODB_DATA_API_PASSWORD",
      ],
      [
        {
          STORE: "mongodb-data-api",
          MONGODB_DATA_API_URL: "https://x",
          MONGODB_DATA_API_AUTH: "oauth",
          MONGODB_DATA_API_KEY: "k",
        },
        "MONGODB_DATA_API_AUTH",
      ],
      [{ STORE: "mongodb", MONGODB_URI: "mongodb://h", MONGODB_DATABASE: "has space" }, "MONGODB_DATABASE"],
      [{ STORE: "mongodb", MONGODB_URI: "mongodb://h", MONGODB_TIMEOUT_MS: "5" }, "MONGODB_TIMEOUT_MS"],
    ])("names the bad or missing variable for %j", (env, name) => {
      const { problems, message } = problemsOf(env);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.startsWith(name)).toBe(true);
      expect(message).not.toContain("s3cret-pw");
    });
  });
});
