import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appOn, countingDb } from "./helpers";
import { gql, testApp } from "./support";

describe("status", () => {
  it("reports the D1 store and the scripted LLM, and no secret", async () => {
    const app = testApp({ OPENAI_API_KEY: "" });
    const result = await gql<{ status: { ok: boolean; time: string; store: unknown; llm: unknown } }>(
      app,
      "{ status { ok version time store { name ok latencyMs detail } llm { name ok detail } } }",
    );
    expect(result.errors).toBeUndefined();
    const status = result.data?.status;
    expect(status?.ok).toBe(true);
    expect(status?.store).toMatchObject({ name: "d1", ok: true });
    expect(status?.llm).toMatchObject({ name: "scripted", ok: true });
    expect(Date.parse(status?.time ?? "")).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toContain("test-researcher-token");
  });

  it("checks only what is asked: the LLM's name costs no database call, the store's health one, the studies' one per isolate", async () => {
    const { db, calls } = countingDb(env.DB);
    const app = appOn(db);
    const llmOnly = await gql<{ status: { llm: { name: string } } }>(app, "{ status { llm { name } } }");
    expect(llmOnly.data?.status.llm.name).toBe("scripted");
    expect(calls).toEqual([]);
    const both = await gql<{ status: { ok: boolean; store: { ok: boolean } } }>(
      app,
      "{ status { ok store { ok } } }",
    );
    expect(both.data?.status).toEqual({ ok: true, store: { ok: true } });
    // The ping, and the demo study's definition registered with its first use (one batch).
    expect([...calls].sort()).toEqual(["batch", "statement.first"]);
    calls.length = 0;
    await gql(app, "{ status { ok store { ok } } }");
    // Once it matched, the definition is not asked about again in this isolate.
    expect(calls).toEqual(["statement.first"]);
  });
});
