/**
 * What keeps `npm start` from serving a study: the problems the Worker
 * would report for it (api/studies/problems.ts), found before the build (a
 * condition's LLM not configured: from the configuration alone) and once
 * the Worker runs (a study file changed without a new version: only the
 * store knows the first definition, so the Worker's `status` is asked, which
 * registers each definition on first use). The messages are the Worker's own.
 */
import type { Config } from "../api/config";
import { createStudyCatalog } from "../api/studies/catalog";
import type { Study } from "../api/studies/definition";
import { conditionLlm } from "../api/studies/llms";

/** The configuration problems of the active studies, as the Worker will see them. */
export function configurationProblems(config: Config, studies: Study[]): string[] {
  const catalog = createStudyCatalog(studies, (study, condition, index) =>
    conditionLlm(config, study, condition, index),
  );
  return studies
    .filter((s) => s.active)
    .flatMap((s) => catalog.configurationProblems(s).map((p) => p.message));
}

const STATUS_QUERY = "{ status { studies { id problems { message } } } }";

/** Every problem the running Worker at `url` reports for its active studies (through `status`). */
export async function workerStudyProblems(url: string): Promise<string[]> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: STATUS_QUERY }),
  });
  const body = (await response.json()) as {
    data?: { status: { studies: { id: string; problems: { message: string }[] }[] } };
    errors?: { message: string }[];
  };
  if (!body.data) {
    throw new Error(
      `the Worker's status failed: ${body.errors?.map((e) => e.message).join("; ") ?? response.status}`,
    );
  }
  return body.data.status.studies.flatMap((s) => s.problems.map((p) => p.message));
}

/** What `npm start` prints and exits with when a study has problems; null when there are none. */
export function startRefusal(problems: string[]): { exitCode: number; text: string } | null {
  if (problems.length === 0) return null;
  return {
    exitCode: 1,
    text: `A study cannot take participants:\n${problems.map((p) => `  - ${p}`).join("\n")}\nFix the study file or the configuration (see docs/studies.md), then run npm start again.`,
  };
}
