import type { z } from "zod";
import type { Panel } from "../participants/participant";

/**
 * Placeholders for the panel's ids in a study's completion redirect URL,
 * such as SONA's `...&survey_code={{participantId}}`: replaced, percent-encoded,
 * by the ids the participant's session holds (an empty string for an id it
 * has none of). The study file is checked when it loads: any other
 * `{{...}}` is an error that names the field.
 */
export const REDIRECT_PLACEHOLDERS = [
  "participantId",
  "studyId",
  "sessionId",
] as const satisfies readonly (keyof Panel)[];

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The placeholders in `url` that are not REDIRECT_PLACEHOLDERS, as written. */
export function unknownPlaceholders(url: string): string[] {
  return [...url.matchAll(PLACEHOLDER)]
    .map((m) => m[1] ?? "")
    .filter((name) => !(REDIRECT_PLACEHOLDERS as readonly string[]).includes(name));
}

/** `url` with each placeholder replaced by the participant's panel id, percent-encoded. */
export function fillRedirect(url: string, ids: Panel): string {
  return url.replace(PLACEHOLDER, (whole, name: string) =>
    (REDIRECT_PLACEHOLDERS as readonly string[]).includes(name)
      ? encodeURIComponent(ids[name as keyof Panel] ?? "")
      : whole,
  );
}

/** For a zod schema of a redirect URL: an issue naming the first unknown placeholder. */
export function checkPlaceholders(url: string, ctx: z.RefinementCtx): void {
  const unknown = unknownPlaceholders(url);
  if (unknown.length > 0)
    ctx.addIssue({
      code: "custom",
      message: `has an unknown placeholder {{${unknown[0]}}}: the placeholders are ${REDIRECT_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}`,
    });
}
