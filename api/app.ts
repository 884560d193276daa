import scriptedDemo from "../config/scripted-llm.json";
import packageJson from "../package.json";
import { type Config, parseConfig } from "./config";
import type { Llm } from "./llm/llm";
import { createOpenAiLlm } from "./llm/openai";
import { createScriptedLlm, parseScript } from "./llm/scripted";
import { createD1Store } from "./store/d1";
import { type Store, withStoreErrors } from "./store/store";
import { type Api, createApi } from "./yoga";

/**
 * The composition root: the only place that picks adapters, from the
 * validated configuration. Everything else knows only the ports.
 */
export type Bindings = { DB: D1Database } & Record<string, unknown>;

export type App = { api: Api; store: Store; llm: Llm; config: Config };

function createLlm(config: Config): Llm {
  if (config.llm.provider === "openai") return createOpenAiLlm(config.llm);
  return createScriptedLlm(parseScript(scriptedDemo));
}

export function createApp(env: Bindings): App {
  const config = parseConfig(env);
  const store = withStoreErrors(createD1Store(env.DB));
  const llm = createLlm(config);
  const api = createApi({ store, llm, config, version: packageJson.version });
  return { api, store, llm, config };
}

/** One app per isolate and environment: config is parsed once, clients are reused. */
const apps = new WeakMap<object, App>();

export function appFor(env: Bindings): App {
  let app = apps.get(env);
  if (!app) {
    app = createApp(env);
    apps.set(env, app);
  }
  return app;
}
