import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "../api/config";
import { parseEnvFile } from "./env-file";

describe(".env.example", () => {
  it("documents every variable the configuration reads, and nothing else but npm start's PORT", () => {
    const example = parseEnvFile(readFileSync(new URL("../.env.example", import.meta.url), "utf8"));
    expect(Object.keys(example).sort()).toEqual([...CONFIG_VARIABLES, "PORT"].sort());
  });
});

describe(".env.example copied as .dev.vars", () => {
  it("parses, once a session secret is filled in: empty values mean the defaults", async () => {
    const { parseConfig } = await import("../api/config");
    const example = parseEnvFile(readFileSync(new URL("../.env.example", import.meta.url), "utf8"));
    const config = parseConfig({ ...example, SESSION_SECRETS: "x".repeat(40) });
    expect(config.store).toEqual({ kind: "d1" });
    expect(config.llm).toEqual({ provider: "scripted" });
    expect(config.openChat).toBe(true);
  });
});
