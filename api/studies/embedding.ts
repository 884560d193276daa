import { z } from "zod";
import { isOriginPattern } from "./origin-match";

/**
 * A study's `embedding` block: the origins whose pages may frame the study's
 * pages (a survey tool's, sent as CSP frame-ancestors), and the origins the
 * study page may post its messages to (default: the framing ones). A study
 * without the block is never framed. docs/embedding.md explains it.
 */

/** The site's own origin, as CSP spells it: a page of the deployment itself may frame the study. */
export const SELF = "'self'";

/** Hosts that may be named over plain http: the researcher's own machine, for trying an embedding out. */
const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

const ORIGIN_RULE =
  'must be an https origin such as "https://survey.example.org" or "https://*.qualtrics.com" (scheme, host and port only, lowercase; `*.` only at the start of the host; http only for localhost and 127.0.0.1)';

const validOrigin = (value: string) =>
  isOriginPattern(value) && (value.startsWith("https://") || LOOPBACK.test(value));

const originPattern = z.string().refine(validOrigin, ORIGIN_RULE);

const originList = (item: z.ZodType<string>) =>
  z.array(item).min(1, "must list at least one origin").max(20, "must list at most 20 origins");

export const embeddingSchema = z
  .object({
    /** Who may frame the study's pages (CSP frame-ancestors); `'self'` too. */
    frameAncestors: originList(
      z.string().refine((v) => v === SELF || validOrigin(v), `${ORIGIN_RULE}, or "'self'"`),
    ),
    /** Where the page may post its messages (ready, turn, finished, withdrawn); default: frameAncestors but 'self'. */
    messageOrigins: originList(originPattern).optional(),
  })
  .strict();

export type EmbeddingDefinition = z.infer<typeof embeddingSchema>;

/** What the pages of an embeddable study need: who frames them, who hears their messages. */
export type StudyEmbedding = {
  frameAncestors: string[];
  messageOrigins: string[];
};

/**
 * The embedding of a study's pages, or null when nothing may frame them.
 * `extraFrameOrigins` are origins that frame the study whatever its file
 * says (a recruiting panel that shows studies in a frame of its own, such as
 * MTurk's HIT page): they may frame the pages and hear the messages.
 */
export function studyEmbedding(
  definition: EmbeddingDefinition | undefined,
  extraFrameOrigins: readonly string[] = [],
): StudyEmbedding | null {
  const extra = [...extraFrameOrigins];
  if (!definition && extra.length === 0) return null;
  const unique = (list: string[]) => [...new Set(list)];
  return {
    frameAncestors: unique([...(definition?.frameAncestors ?? []), ...extra]),
    messageOrigins: unique([
      ...(definition?.messageOrigins ?? definition?.frameAncestors.filter((o) => o !== SELF) ?? []),
      ...extra,
    ]),
  };
}
