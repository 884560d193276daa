import { describe, expect, it } from "vitest";
import { parseConfig } from "../api/config";
import { parseStudies } from "../api/studies/definition";
import { describeLlm, describeStore, describeStudyLinks, mongoHosts } from "./banner";

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

describe("npm start's study links", () => {
  const study = (id: string, panel: unknown, active = true) =>
    parseStudies([
      {
        file: `studies/${id}.json`,
        definition: {
          id,
          version: 1,
          title: id,
          active,
          consent: "c",
          task: "t",
          conditions: [{ id: "a" }],
          completion: { code: "C" },
          ...(panel ? { panel } : {}),
        },
      },
    ]);

  it("print each active study's panel template link and its pilot link", () => {
    const studies = [
      ...study("demo", null),
      ...study("hit", { kind: "mturk" }),
      ...study("off", null, false),
    ];
    expect(describeStudyLinks("http://127.0.0.1:8787", studies).split("\n")).toEqual([
      '  Study "demo" (Prolific)',
      "    Panel link       http://127.0.0.1:8787/s/demo?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}",
      "    Pilot link       http://127.0.0.1:8787/s/demo/pilot   (new ids for each tester, marked as a pilot)",
      '  Study "hit" (Amazon Mechanical Turk (ExternalQuestion))',
      "    Panel link       http://127.0.0.1:8787/s/hit",
      "    Pilot link       http://127.0.0.1:8787/s/hit/pilot   (new ids for each tester, marked as a pilot)",
    ]);
  });
});
