import { RATE_LIMIT_BINDINGS, type RateLimitScope } from "../../api/limits/rate-limits";

/**
 * The rate-limiting bindings of the api project's miniflare (vitest.config.ts),
 * derived from the one list in api/limits/rate-limits.ts:
 * - every binding under its own name, with a limit no test reaches by accident;
 * - a TINY_ copy of each, with small limits and the same period, for the tests
 *   that hit a limit: they pass `tinyRateLimitEnv(env)` to createRateLimits.
 */
export const UNREACHABLE_LIMIT = 1_000_000;

export const TINY_LIMITS: Record<RateLimitScope, number> = { session: 3, ip: 5 };

const tinyName = (binding: string) => `TINY_${binding}`;

export function testRateLimitBindings(): Record<string, { simple: { limit: number; period: 10 | 60 } }> {
  return Object.fromEntries(
    RATE_LIMIT_BINDINGS.flatMap(({ binding, scope, period }) => [
      [binding, { simple: { limit: UNREACHABLE_LIMIT, period } }],
      [tinyName(binding), { simple: { limit: TINY_LIMITS[scope], period } }],
    ]),
  );
}

/** An env whose rate-limiting bindings are the TINY_ ones, under the names createRateLimits reads. */
export function tinyRateLimitEnv(env: object): Record<string, unknown> {
  return Object.fromEntries(
    RATE_LIMIT_BINDINGS.map(({ binding }) => [binding, Reflect.get(env, tinyName(binding))]),
  );
}
