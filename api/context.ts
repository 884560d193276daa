import type { Deps } from "./deps";
import type { RateLimitedError } from "./errors";
import type { Caller } from "./participants/guard";

/** What every resolver sees: the domain's ports and the caller, never an adapter. */
export type Context = Deps & {
  version: string;
  /** Who calls: their participant credential (verified), researcher token, address. */
  caller: Caller;
  /** True when the request carried a valid researcher token (also caller.researcher). */
  researcher: boolean;
  /** Set when this address has failed researcher-token checks too often: researcher fields answer it. */
  researcherLimited: RateLimitedError | null;
  /** Aborts when the client of this request goes away (workerd's enable_request_signal). */
  signal?: AbortSignal;
};
