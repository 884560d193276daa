import { idSchema } from "../../api/validation";

/** Where a study's pages live: /s/<studyId>/... */
export const studyPath = (studyId: string, step = "") =>
  `/s/${encodeURIComponent(studyId)}${step ? `/${step}` : ""}`;

const STUDY_PAGE = /^\/s\/([^/?#]+)(?:[/?#]|$)/;

/**
 * The study a page of this site belongs to, from its URL (the tracker's
 * pageUrl, a Referer): events sent from a study's pages carry the study.
 * Only same-origin URLs count.
 */
export function studyOfPage(pageUrl: string | null | undefined, origin: string): string | undefined {
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
