import type { Config } from "./config";
import type { Llm } from "./llm/llm";
import type { Store } from "./store/store";
import type { StudyCatalog } from "./studies/catalog";

/**
 * What the domain (answers, studies, participants, events) works with: the
 * ports and the validated configuration, never GraphQL. The API's context
 * carries these, and the domain's functions take them as their first argument.
 */
export type Limits = {
  /** Counts one action of the caller; throws RateLimitedError when their session or address is over its limit. */
  take(
    kind: "answer" | "ingest" | "enroll" | "researcherAuth",
    caller: { sessionId: string | null; ip: string | null },
  ): Promise<void>;
};

export type Deps = {
  store: Store;
  llm: Llm;
  studies: StudyCatalog;
  config: Config;
  limits: Limits;
  /** The Worker's waitUntil, when there is one: work that must finish after the response (a stopped stream's record). */
  waitUntil?: (promise: Promise<unknown>) => void;
};
