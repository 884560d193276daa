import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RateLimitedError } from "../../api/errors";
import { CLIENT_IP_HEADER, clientIp } from "../../api/limits/client-ip";
import {
  createRateLimits,
  RATE_LIMIT_BINDINGS,
  RATE_LIMIT_KINDS,
  RATE_LIMITS,
  type RateLimitCaller,
  type RateLimitKind,
  type RateLimits,
} from "../../api/limits/rate-limits";
import { sleep, uid } from "./helpers";
import { TINY_LIMITS, tinyRateLimitEnv } from "./rate-limit-bindings";

/**
 * The limits against the real rate-limiting binding as miniflare simulates
 * it: the TINY_ bindings of vitest.config.ts (session 3, IP 5, the shipped
 * periods). Each test uses its own sessions and addresses, so tests do not
 * share counters.
 */
const tiny = () => createRateLimits(tinyRateLimitEnv(env));

/** A fresh address each call: 10.x.y.z or one /64 of 2001:db8::/32. */
const ipv4 = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join(".")}`;
const ipv6Prefix = () =>
  `2001:db8:${Array.from(crypto.getRandomValues(new Uint16Array(2)), (n) => n.toString(16)).join(":")}`;

/**
 * miniflare counts in fixed windows of the period (and forgets every key when
 * one ends): a test that fills a limit waits for a new window when little of
 * the current one is left, so the window cannot end between its calls.
 */
async function awayFromWindowEnd(period: number): Promise<void> {
  const left = period * 1000 - (Date.now() % (period * 1000));
  if (left < 3000) await sleep(left + 100);
}

async function refusal(limits: RateLimits, kind: RateLimitKind, caller: RateLimitCaller) {
  const error = await limits.take(kind, caller).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RateLimitedError))
    throw new Error(`expected ${kind} to be refused for ${JSON.stringify(caller)}`);
  return error;
}

async function takeTimes(limits: RateLimits, kind: RateLimitKind, callers: RateLimitCaller[]) {
  for (const caller of callers) await limits.take(kind, caller);
}

const sessionScoped = RATE_LIMIT_BINDINGS.filter((b) => b.scope === "session");
const ipScoped = RATE_LIMIT_BINDINGS.filter((b) => b.scope === "ip");

describe("rate limits on the Workers rate-limiting binding", () => {
  it("binds every limit in the api project (unreachably high there: other api tests are never limited)", () => {
    expect(createRateLimits({ ...env }).off).toEqual([]);
  });

  it.each(sessionScoped)(
    "$kind: a session takes its limit, then is refused with the period as Retry-After",
    async ({ kind, period }) => {
      await awayFromWindowEnd(period);
      const limits = tiny();
      const sessionId = uid();
      // From a new address each time, so only the session's count can refuse.
      await takeTimes(
        limits,
        kind,
        Array.from({ length: TINY_LIMITS.session }, () => ({ sessionId, ip: ipv4() })),
      );
      const error = await refusal(limits, kind, { sessionId, ip: ipv4() });
      expect(error.code).toBe("RATE_LIMITED");
      expect(error.retryAfterSeconds).toBe(period);
      expect(error.details).toEqual({ retryAfterSeconds: period });
      expect(error.message).toBe(RATE_LIMITS[kind].refused(period));
      // Another session is not affected.
      await limits.take(kind, { sessionId: uid(), ip: ipv4() });
    },
  );

  it.each(ipScoped)(
    "$kind: an address takes its limit, then is refused with the period as Retry-After",
    async ({ kind, period }) => {
      await awayFromWindowEnd(period);
      const limits = tiny();
      const ip = ipv4();
      // A new session each time, as a script minting sessions would.
      await takeTimes(
        limits,
        kind,
        Array.from({ length: TINY_LIMITS.ip }, () => ({ sessionId: uid(), ip })),
      );
      const error = await refusal(limits, kind, { sessionId: uid(), ip });
      expect(error.retryAfterSeconds).toBe(period);
      await limits.take(kind, { sessionId: uid(), ip: ipv4() });
    },
  );

  it("two sessions behind one address share the address's limit, each keeping its own", async () => {
    await awayFromWindowEnd(RATE_LIMITS.answer.ip.period);
    const limits = tiny();
    const ip = ipv4();
    const [a, b] = [uid(), uid()];
    await takeTimes(limits, "answer", [
      { sessionId: a, ip },
      { sessionId: a, ip },
      { sessionId: b, ip },
      { sessionId: b, ip },
      { sessionId: b, ip },
    ]);
    // Five from the address: a third session there is refused though it sent nothing.
    await refusal(limits, "answer", { sessionId: uid(), ip });
    // a, elsewhere, still has its third; b has used its three.
    await limits.take("answer", { sessionId: a, ip: ipv4() });
    await refusal(limits, "answer", { sessionId: b, ip: ipv4() });
  });

  it("one session from two addresses shares the session's limit", async () => {
    await awayFromWindowEnd(RATE_LIMITS.answer.session.period);
    const limits = tiny();
    const sessionId = uid();
    const [home, phone] = [ipv4(), ipv4()];
    await takeTimes(limits, "answer", [
      { sessionId, ip: home },
      { sessionId, ip: phone },
      { sessionId, ip: home },
    ]);
    await refusal(limits, "answer", { sessionId, ip: phone });
    await refusal(limits, "answer", { sessionId, ip: ipv4() });
    // Both addresses have room left for other sessions.
    await limits.take("answer", { sessionId: uid(), ip: home });
    await limits.take("answer", { sessionId: uid(), ip: phone });
  });

  it("counts the IPv6 addresses of one /64 as one address, and the next /64 apart", async () => {
    await awayFromWindowEnd(RATE_LIMITS.ingest.ip.period);
    const limits = tiny();
    const prefix = ipv6Prefix();
    const from = (address: string): RateLimitCaller => ({
      sessionId: uid(),
      ip: clientIp(new Request("https://study.example/t", { headers: { [CLIENT_IP_HEADER]: address } })),
    });
    await takeTimes(
      limits,
      "ingest",
      [
        `${prefix}::1`,
        `${prefix}:0:0:0:2`,
        `${prefix}:1:2:3:4`,
        `${prefix}:ffff:ffff:ffff:ffff`,
        `${prefix}::abcd`,
      ].map(from),
    );
    await refusal(limits, "ingest", from(`${prefix.toUpperCase()}:0000:0000:0000:0099`));
    const [a, b, c, d] = prefix.split(":");
    const next = `${a}:${b}:${c}:${(Number.parseInt(d ?? "0", 16) ^ 1).toString(16)}`;
    await limits.take("ingest", from(`${next}::1`));
  });

  it("does not count a caller in a scope whose key is null (or empty)", async () => {
    const limits = tiny();
    for (const kind of RATE_LIMIT_KINDS)
      for (let i = 0; i < TINY_LIMITS.ip + 2; i++) {
        await limits.take(kind, { sessionId: null, ip: null });
        await limits.take(kind, { sessionId: "", ip: "" });
      }
  });

  it("does not limit what a deployment has no binding for, and keeps the bindings it has", async () => {
    await awayFromWindowEnd(RATE_LIMITS.answer.ip.period);
    const { RATE_LIMIT_ANSWER_IP } = tinyRateLimitEnv(env);
    const limits = createRateLimits({ RATE_LIMIT_ANSWER_IP });
    expect(limits.off).not.toContain("RATE_LIMIT_ANSWER_IP");
    expect(limits.off).toContain("RATE_LIMIT_ANSWER_SESSION");
    const sessionId = uid();
    // The session limit (3) is off: one session from many addresses is never refused.
    await takeTimes(
      limits,
      "answer",
      Array.from({ length: 10 }, () => ({ sessionId, ip: ipv4() })),
    );
    // The address limit (5) still holds.
    const ip = ipv4();
    await takeTimes(
      limits,
      "answer",
      Array.from({ length: TINY_LIMITS.ip }, () => ({ sessionId, ip })),
    );
    await refusal(limits, "answer", { sessionId, ip });
    // And with no bindings at all, nothing is limited.
    const none = createRateLimits({});
    for (let i = 0; i < 20; i++) await none.take("answer", { sessionId, ip });
  });
});
