/**
 * What the browser journeys run against, as global setup (../worker-setup.ts)
 * provided it, and fixed inputs the journeys share.
 */
import { inject } from "vitest";
import scriptedLlm from "../../../config/scripted-llm.json";

export const BASE_URL = inject("baseUrl");
export const RESEARCHER_TOKEN = inject("researcherToken");
/** The store the shared Worker runs on: "d1" (project e2e) or "mongodb-data-api" (project e2e-data-api). */
export const STORE = inject("store");
export const DATA_API = inject("dataApi");

/** Where screenshots go for people to look at: outside the repository. */
export const SCREENSHOTS = "/tmp/screens";

/** The default scripted LLM's answer to a question about coffee: what the journeys expect to see. */
export const COFFEE = (() => {
  const rule = scriptedLlm.rules.find((r) => new RegExp(r.pattern, "i").test("coffee"));
  if (!rule) throw new Error("config/scripted-llm.json has no rule for coffee");
  return rule;
})();
