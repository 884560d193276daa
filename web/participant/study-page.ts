import { idSchema } from "../../api/domain/validation";
import type { ApiClient } from "../graphql/client.server";
import { StudyIdsDocument } from "../graphql/generated/graphql";

/** Where a study's pages live: /s/<studyId>/... */
export const studyPath = (studyId: string, step = "") =>
  `/s/${encodeURIComponent(studyId)}${step ? `/${step}` : ""}`;

const STUDY_PAGE = /^\/s\/([^/?#]+)(?:[/?#]|$)/;

/**
 * The study a page of this site belongs to, from its URL (the tracker's
 * pageUrl, a Referer): events sent from a study's pages carry the study.
 * Only same-origin URLs count.
 */
export function studyPathOf(pageUrl: string | null | undefined, origin: string): string | undefined {
  if (!pageUrl) return undefined;
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== origin) return undefined;
  const match = STUDY_PAGE.exec(url.pathname);
  if (!match?.[1]) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return idSchema.safeParse(id).success ? id : undefined;
}

/**
 * The studies of the pages these events come from, each checked against the
 * deployment's studies (a page under /s/<unknown> is a 404 page, whose events
 * belong to no study: they must not make the API refuse the batch).
 */
export async function studiesOfPages(
  api: ApiClient,
  pageUrls: (string | null | undefined)[],
  origin: string,
): Promise<(string | undefined)[]> {
  const candidates = pageUrls.map((url) => studyPathOf(url, origin));
  if (candidates.every((id) => id === undefined)) return candidates;
  const { studies } = await api.run(StudyIdsDocument, {});
  const known = new Set(studies.map((s) => s.id));
  return candidates.map((id) => (id !== undefined && known.has(id) ? id : undefined));
}
