import packageJson from "../package.json";
import { studyFiles } from "../studies/registry.generated";
import { type Config, ConfigError, parseConfig } from "./config";
import type { Limits } from "./deps";
import { createRateLimits } from "./limits/rate-limits";
import { defaultScript } from "./llm/default-script";
import type { Llm } from "./llm/llm";
import { createOpenAiLlm } from "./llm/openai";
import { createScriptedLlm } from "./llm/scripted";
import { createD1Store } from "./store/d1";
import { createDataApiDatabase } from "./store/mongo/data-api";
import { createDriverDatabase, inDriverRequest } from "./store/mongo/driver";
import { createMongoStore } from "./store/mongo/store";
import { type Store, withStoreErrors } from "./store/store";
import { createStudyCatalog, type StudyCatalog } from "./studies/catalog";
import { parseStudies, type Study, StudyDefinitionError, type StudyFile } from "./studies/definition";
import { conditionLlm } from "./studies/llms";
import { type Api, createApi } from "./yoga";

/**
 * The composition root: the only place that picks adapters, from the
 * validated configuration. Everything else knows only the ports.
 */
export type Bindings = { DB?: D1Database } & Record<string, unknown>;

export type App = { api: Api; store: Store; llm: Llm; studies: StudyCatalog; config: Config; limits: Limits };

function createStore(config: Config, env: Bindings): Store {
  switch (config.store.kind) {
    case "d1":
      if (!env.DB)
        throw new ConfigError([
          'STORE is "d1" but the Worker has no D1 binding named DB (see wrangler.toml)',
        ]);
      return createD1Store(env.DB);
    case "mongodb-data-api":
      return createMongoStore(createDataApiDatabase(config.store));
    case "mongodb":
      return createMongoStore(createDriverDatabase(config.store));
  }
}

function createLlm(config: Config): Llm {
  if (config.llm.provider === "openai") return createOpenAiLlm(config.llm);
  return createScriptedLlm(defaultScript);
}

/** The study files, validated again at start (a bad one stops the Worker with its file and field). */
function loadStudies(files: StudyFile[]): Study[] {
  try {
    return parseStudies(files);
  } catch (error) {
    if (error instanceof StudyDefinitionError) throw new ConfigError(error.problems);
    throw error;
  }
}

export function createApp(env: Bindings, files: StudyFile[] = studyFiles): App {
  const config = parseConfig(env);
  const store = withStoreErrors(createStore(config, env));
  const llm = createLlm(config);
  const studies = createStudyCatalog(
    loadStudies(files),
    (study, condition, index) => conditionLlm(config, study, condition, index),
    files,
  );
  const limits = createRateLimits(env);
  const api = createApi({ store, llm, studies, config, limits, version: packageJson.version });
  return { api, store, llm, studies, config, limits };
}

/**
 * Runs one Worker request: adapters that hold connections (the MongoDB
 * driver) give it connections of its own, closed after it
 * (docs/decisions/011-mongodb-connections.md).
 */
export const inRequest: <T>(waitUntil: (promise: Promise<unknown>) => void, run: () => T) => T =
  inDriverRequest;

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
