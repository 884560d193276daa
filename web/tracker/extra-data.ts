import { z } from "zod";
import { CLICK_ELEMENTS, PAGE_TYPES } from "../../api/domain/records";
import { idSchema, urlTextSchema } from "../../api/domain/validation";

/**
 * What the tracker puts in an event's extraData (docs/tracking.md), as the
 * tracker's endpoint /t checks it. Every field is optional (a batch queued
 * by an older tracker before a deploy is still taken); keys it does not
 * know pass through, bounded by the API's 8 KiB for the whole extraData.
 * The tracker imports only the types, so zod stays out of its bundle.
 */
const MAX_SOURCES = 50;
/** A day: no duration in one page view is longer. */
const MAX_MS = 86_400_000;

const rank = z.int().min(1).max(1000).nullable();
const ms = z.int().min(0).max(MAX_MS);
const count = z.int().min(0).max(100_000);

export const exposureSchema = z.object({
  url: urlTextSchema,
  rank,
  originalRank: rank,
  visibleMs: ms,
  hovers: count,
  hoverMs: ms,
  clicks: count,
  awayMs: ms,
});
export type Exposure = z.infer<typeof exposureSchema>;

export const trackerExtraDataSchema = z.looseObject({
  pageViewId: idSchema.optional(),
  seq: z.int().min(0).max(1_000_000).optional(),
  pageType: z.enum(PAGE_TYPES).nullable().optional(),
  scrollDepth: z.number().min(0).max(1).optional(),
  element: z.enum(CLICK_ELEMENTS).nullable().optional(),
  rank: rank.optional(),
  originalRank: rank.optional(),
  sources: z.array(exposureSchema).max(MAX_SOURCES).optional(),
});
