import { describe, expect, it } from "vitest";
import { parseConfig } from "../api/config";
import { describeLlm, describeStore, mongoHosts } from "./banner";

const SECRET = "s3cret-0123456789abcdefghijklmnopqrstuv";
const base = { SESSION_SECRETS: SECRET };

describe("npm start's banner", () => {
  it("names D1 and its folder, and the scripted LLM, by default", () => {
    const config = parseConfig(base);
    expect(describeStore(config.store, ".wrangler/state")).toBe("D1 (SQLite) in .wrangler/state");
    expect(describeLlm(config.llm)).toMatch(/^scripted/);
  });

  it("names the MongoDB driver's hosts and database, never the password", () => {
    const config = parseConfig({
      ...base,
      STORE: "mongodb",
      MONGODB_URI: "mongodb://study:pa%40ss@db1.example:27017,db2.example:27018/?replicaSet=rs0",
      MONGODB_DATABASE: "lab",
    });
    const text = describeStore(config.store, ".wrangler/state");
    expect(text).toBe("MongoDB (driver) at db1.example:27017,db2.example:27018, database lab");
    expect(text).not.toContain("pa%40ss");
    expect(mongoHosts("mongodb+srv://u:p@cluster0.example.net/db")).toBe("cluster0.example.net");
  });

  it("names the Data API's host and the provider's host and model, never a key", () => {
    const config = parseConfig({
      ...base,
      STORE: "mongodb-data-api",
      MONGODB_DATA_API_URL: "https://ferret.example:8443/action",
      MONGODB_DATA_API_KEY: "data-api-key-123",
      OPENAI_API_KEY: "sk-test-key-456",
      OPENAI_BASE_URL: "https://llm.example/v1",
      LLM_MODEL: "llama-3",
    });
    const text = `${describeStore(config.store, "x")} ${describeLlm(config.llm)}`;
    expect(text).toBe(
      "MongoDB Data API at ferret.example:8443, database llm_study OpenAI-compatible at llm.example, model llama-3",
    );
  });
});
