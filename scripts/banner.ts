import type { Config } from "../api/config";
import type { Study } from "../api/studies/definition";
import { PANELS, templateLink } from "../api/studies/panels";

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

/**
 * Per active study: the link to give its panel (with the panel's
 * placeholders, such as Prolific's {{%PROLIFIC_PID%}}), and the pilot link
 * that gives each tester new panel ids (web/routes/s.$studyId.pilot.tsx).
 */
export function describeStudyLinks(base: string, studies: readonly Study[]): string {
  return studies
    .filter((s) => s.active)
    .map((s) =>
      [
        `  Study "${s.id}" (${PANELS[s.panel.kind].name})`,
        `    Panel link       ${templateLink(base, s.id, s.panel)}`,
        `    Pilot link       ${base}/s/${s.id}/pilot   (new ids for each tester, marked as a pilot)`,
      ].join("\n"),
    )
    .join("\n");
}
