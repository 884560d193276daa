import type { AppLoadContext } from "@remix-run/cloudflare";
import type { StudyEmbedding } from "../../api/studies/embedding";
import { studyPathOf } from "../participant/study-page";

/**
 * Whether a study's pages may be framed, and by whom: the Worker answers
 * from the study's file (context.security.embeddingOf, worker.ts). Unknown
 * studies, and a context without the function (a test's), are never framed.
 */
export function embeddingOf(
  context: AppLoadContext | unknown,
  studyId: string | undefined,
): StudyEmbedding | null {
  if (!studyId || typeof context !== "object" || context === null || !("security" in context)) return null;
  const { security } = context as { security?: { embeddingOf?: unknown } };
  if (typeof security?.embeddingOf !== "function") return null;
  const embedding = (security.embeddingOf as (id: string) => StudyEmbedding | null)(studyId);
  return embedding && embedding.frameAncestors.length > 0 ? embedding : null;
}

/** The embedding of the study whose page `url` is (one of this site's /s/<id>/... pages); null for any other. */
export function embeddingOfPage(
  context: AppLoadContext | unknown,
  url: string | null | undefined,
): StudyEmbedding | null {
  if (!url) return null;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return null;
  }
  return embeddingOf(context, studyPathOf(url, origin));
}
