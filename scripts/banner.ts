import type { Config } from "../api/config";

/**
 * What `npm start` says it runs: the store and the LLM actually configured,
 * with their hosts, never a secret (no password, key or token).
 */

/** host[:port] of a MongoDB connection string (several for a replica set), without its credentials. */
export function mongoHosts(uri: string): string {
  const rest = uri.replace(/^mongodb(\+srv)?:\/\//, "");
  const authority = rest.split(/[/?]/, 1)[0] ?? "";
  return authority.slice(authority.lastIndexOf("@") + 1) || "(no host)";
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
};

export function describeStore(store: Config["store"], d1Folder: string): string {
  switch (store.kind) {
    case "d1":
      return `D1 (SQLite) in ${d1Folder}`;
    case "mongodb":
      return `MongoDB (driver) at ${mongoHosts(store.uri)}, database ${store.database}`;
    case "mongodb-data-api":
      return `MongoDB Data API at ${hostOf(store.url)}, database ${store.database}`;
  }
}

export function describeLlm(llm: Config["llm"]): string {
  if (llm.provider === "scripted") return "scripted demo answers (no OPENAI_API_KEY set)";
  return `OpenAI-compatible at ${llm.baseUrl ? hostOf(llm.baseUrl) : "api.openai.com"}, model ${llm.model}`;
}
