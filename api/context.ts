import type { Config } from "./config";
import type { Llm } from "./llm/llm";
import type { Store } from "./store/store";
import type { StudyCatalog } from "./studies/catalog";

/** What every resolver sees: the ports, never an adapter. */
export type Context = {
  store: Store;
  llm: Llm;
  studies: StudyCatalog;
  config: Config;
  version: string;
  /** True when the request carried a valid researcher token. */
  researcher: boolean;
  /** The Worker's waitUntil, when there is one: work that must finish after the response (a stopped stream's record). */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Aborts when the client of this request goes away (workerd's enable_request_signal). */
  signal?: AbortSignal;
};
