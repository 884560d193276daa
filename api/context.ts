import type { Config } from "./config";
import type { Llm } from "./llm/llm";
import type { Store } from "./store/store";

/** What every resolver sees: the ports, never an adapter. */
export type Context = {
  store: Store;
  llm: Llm;
  config: Config;
  version: string;
  /** True when the request carried a valid researcher token. */
  researcher: boolean;
};
