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
