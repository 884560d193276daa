import { ConfigError } from "../config";
import { RateLimitedError } from "../errors";

/**
 * Per-caller limits on the actions that cost money (LLM calls) or storage,
 * counted by Cloudflare's Workers rate-limiting binding (`[[ratelimits]]` in
 * wrangler.toml). Why these limits and what they cannot do:
 * docs/decisions/010-rate-limits.md.
 *
 * The binding answers only `{ success }`: it does not report its period, so
 * the period (the Retry-After a refused caller gets) is kept here, next to the
 * binding's name, and a unit test checks it against wrangler.toml.
 */

/** The only periods the binding supports, in seconds. */
export type RateLimitPeriod = 10 | 60;

export type RateLimitScope = "session" | "ip";

type ScopeLimit = { binding: string; period: RateLimitPeriod };

type KindLimits = {
  session?: ScopeLimit;
  ip?: ScopeLimit;
  /** What a refused caller reads (a person, so it says what to do). */
  refused: (seconds: number) => string;
};

/** Every limited action, with the binding and period of each scope it is counted in. */
export const RATE_LIMITS = {
  /** An LLM answer: query, queryStream, the chat form, /stream. */
  answer: {
    session: { binding: "RATE_LIMIT_ANSWER_SESSION", period: 60 },
    ip: { binding: "RATE_LIMIT_ANSWER_IP", period: 60 },
    refused: (s) =>
      `Too many messages are being sent from this chat or network. Please wait ${s} seconds and try again.`,
  },
  /** Stored interaction events: logEvent, logEvents, the tracker route /t. */
  ingest: {
    session: { binding: "RATE_LIMIT_INGEST_SESSION", period: 60 },
    ip: { binding: "RATE_LIMIT_INGEST_IP", period: 60 },
    refused: (s) => `Too many events are being sent. Please wait ${s} seconds and try again.`,
  },
  /** Consenting to (enrolling in) a study, and starting a new participant session (no session yet: IP only). */
  enroll: {
    session: { binding: "RATE_LIMIT_ENROLL_SESSION", period: 60 },
    ip: { binding: "RATE_LIMIT_ENROLL_IP", period: 60 },
    refused: (s) => `Too many sign-ups from this browser or network. Please wait ${s} seconds and try again.`,
  },
  /**
   * A failed researcher-token check, per IP only (a wrong token has no session).
   * The binding cannot be asked without counting, so only failures are
   * counted, and a right token is never refused: this limit slows a flood of
   * wrong tokens, it cannot stop a guess. Tokens must be long and random.
   */
  researcherAuth: {
    ip: { binding: "RATE_LIMIT_RESEARCHER_AUTH_IP", period: 60 },
    refused: (s) =>
      `Too many failed researcher-token attempts from this address. Please wait ${s} seconds and try again.`,
  },
} as const satisfies Record<string, KindLimits>;

export type RateLimitKind = keyof typeof RATE_LIMITS;

export const RATE_LIMIT_KINDS = Object.keys(RATE_LIMITS) as RateLimitKind[];

const SCOPES: readonly RateLimitScope[] = ["session", "ip"];

function scopeLimit(kind: RateLimitKind, scope: RateLimitScope): ScopeLimit | undefined {
  const limits: KindLimits = RATE_LIMITS[kind];
  return limits[scope];
}

/** Every binding the limits use, derived from RATE_LIMITS (for wrangler.toml's test and the test config). */
export const RATE_LIMIT_BINDINGS: readonly {
  kind: RateLimitKind;
  scope: RateLimitScope;
  binding: string;
  period: RateLimitPeriod;
}[] = RATE_LIMIT_KINDS.flatMap((kind) =>
  SCOPES.flatMap((scope) => {
    const limit = scopeLimit(kind, scope);
    return limit ? [{ kind, scope, ...limit }] : [];
  }),
);

/** Who is acting: a null (or empty) key is not counted in that scope. */
export type RateLimitCaller = { sessionId: string | null; ip: string | null };

/** The shape of the Workers rate-limiting binding that this code uses. */
export type RateLimitBinding = { limit(options: { key: string }): Promise<{ success: boolean }> };

export type RateLimits = {
  /**
   * Counts one `kind` action of `caller` in its session and IP scopes (at
   * once); throws RateLimitedError, retryable after the refusing binding's
   * period, when either is over its limit. Both scopes count the action even
   * when one refuses it.
   */
  take(kind: RateLimitKind, caller: RateLimitCaller): Promise<void>;
  /** The bindings this deployment lacks (an older wrangler.toml): those limits are off. */
  readonly off: readonly string[];
};

// An object with a limit method (or a callable stub with one, should the runtime hand out an RPC proxy).
function isRateLimitBinding(value: unknown): value is RateLimitBinding {
  if (typeof value !== "object" && typeof value !== "function") return false;
  return value !== null && "limit" in value && typeof value.limit === "function";
}

/**
 * The limits of one deployment, from its Worker bindings. A missing binding
 * turns that limit off (so a deployment with an older wrangler.toml still
 * runs); a binding of that name that is not a rate-limiting binding is a
 * ConfigError naming it.
 */
export function createRateLimits(env: Record<string, unknown>): RateLimits {
  const bound = new Map<string, RateLimitBinding>();
  const off: string[] = [];
  const problems: string[] = [];
  for (const { binding } of RATE_LIMIT_BINDINGS) {
    const value = env[binding];
    if (value === undefined) off.push(binding);
    else if (isRateLimitBinding(value)) bound.set(binding, value);
    else
      problems.push(
        `${binding} is bound but is not a rate-limiting binding (no limit function): it must be a [[ratelimits]] entry in wrangler.toml, not a variable or another kind of binding`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    off,
    async take(kind, caller) {
      const refusals = SCOPES.map(async (scope): Promise<RateLimitPeriod | null> => {
        const limit = scopeLimit(kind, scope);
        const key = scope === "session" ? caller.sessionId : caller.ip;
        const binding = limit && bound.get(limit.binding);
        if (!limit || !binding || key === null || key === "") return null;
        // Prefixed by kind and scope, so keys stay apart even if two bindings share a namespace_id.
        const { success } = await binding.limit({ key: `${kind}:${scope}:${key}` });
        return success ? null : limit.period;
      });
      const periods = (await Promise.all(refusals)).filter((p) => p !== null);
      if (periods.length > 0) {
        const seconds = Math.max(...periods);
        throw new RateLimitedError(seconds, RATE_LIMITS[kind].refused(seconds));
      }
    },
  };
}
