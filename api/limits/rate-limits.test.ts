import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { z } from "zod";
import { ConfigError } from "../config";
import { createRateLimits, RATE_LIMIT_BINDINGS, RATE_LIMIT_KINDS, RATE_LIMITS } from "./rate-limits";

// What ships: the bindings as wrangler reads them from wrangler.toml (its
// Config type is not installed with it, so the shape is checked here).
const shipped = z
  .array(
    z.object({
      name: z.string(),
      namespace_id: z.string().regex(/^[1-9][0-9]*$/),
      simple: z.object({
        limit: z.number().int().positive(),
        period: z.union([z.literal(10), z.literal(60)]),
      }),
    }),
  )
  .parse(
    unstable_readConfig({ config: new URL("../../wrangler.toml", import.meta.url).pathname }).ratelimits,
  );

describe("wrangler.toml and the list of limits", () => {
  it("binds every limit of the list, with the period the list gives as Retry-After", () => {
    for (const { binding, period } of RATE_LIMIT_BINDINGS) {
      const entry = shipped.find((r) => r.name === binding);
      expect(entry, `${binding} in wrangler.toml`).toBeDefined();
      expect(entry?.simple.period, `${binding}'s period`).toBe(period);
    }
  });

  it("has no [[ratelimits]] binding the list does not know, and no namespace_id twice", () => {
    expect(shipped.map((r) => r.name).sort()).toEqual(RATE_LIMIT_BINDINGS.map((b) => b.binding).sort());
    const ids = shipped.map((r) => r.namespace_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lets a session do less than its address, so two people behind one NAT each get their own limit", () => {
    const limitOf = (binding: string | undefined) =>
      shipped.find((r) => r.name === binding)?.simple.limit ?? 0;
    for (const kind of RATE_LIMIT_KINDS) {
      const { session, ip }: { session?: { binding: string }; ip?: { binding: string } } = RATE_LIMITS[kind];
      if (session && ip) expect(limitOf(session.binding), kind).toBeLessThan(limitOf(ip.binding) / 2);
    }
  });

  it("keeps researcher-token failures per address only, and low", () => {
    expect(RATE_LIMIT_BINDINGS.filter((b) => b.kind === "researcherAuth").map((b) => b.scope)).toEqual([
      "ip",
    ]);
    expect(shipped.find((r) => r.name === "RATE_LIMIT_RESEARCHER_AUTH_IP")?.simple.limit).toBeLessThanOrEqual(
      10,
    );
  });
});

describe("createRateLimits", () => {
  it("turns off the limits whose binding is missing (an older wrangler.toml) and limits nothing", async () => {
    const limits = createRateLimits({ DB: {} });
    expect([...limits.off].sort()).toEqual(RATE_LIMIT_BINDINGS.map((b) => b.binding).sort());
    for (const kind of RATE_LIMIT_KINDS)
      for (let i = 0; i < 100; i++) await limits.take(kind, { sessionId: "s", ip: "203.0.113.7" });
  });

  it("refuses, naming each, a binding of a limit's name that is not a rate-limiting binding", () => {
    const attempt = () =>
      createRateLimits({
        RATE_LIMIT_ANSWER_IP: "300",
        RATE_LIMIT_ANSWER_SESSION: { limit: 20 },
        RATE_LIMIT_INGEST_IP: null,
      });
    expect(attempt).toThrow(ConfigError);
    let problems: string[] = [];
    try {
      attempt();
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toHaveLength(3);
    for (const name of ["RATE_LIMIT_ANSWER_IP", "RATE_LIMIT_ANSWER_SESSION", "RATE_LIMIT_INGEST_IP"])
      expect(problems.some((p) => p.startsWith(`${name} is bound but is not a rate-limiting binding`))).toBe(
        true,
      );
  });
});
