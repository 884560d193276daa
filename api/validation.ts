import { z } from "zod";

/** Shared input rules, used by the GraphQL inputs and by the site's routes. */

export const MAX_QUERY_LENGTH = 8000;
export const MAX_EXTRA_DATA_BYTES = 8 * 1024;
export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_FILTER_VALUES = 100;
export const MAX_PAGE_SIZE = 1000;

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;

/** Participant, session, conversation and event ids: opaque, 1 to 128 printable characters. */
export const idSchema = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(NO_CONTROL_CHARS, "must not contain control characters");

export const querySchema = z
  .string()
  .trim()
  .min(1, "the message is empty")
  .max(MAX_QUERY_LENGTH, `the message is longer than ${MAX_QUERY_LENGTH} characters`);

export const urlTextSchema = z.string().max(2048, "must be at most 2048 characters");

export const extraDataSchema = z
  .unknown()
  .refine(
    (value) =>
      value === undefined ||
      value === null ||
      new TextEncoder().encode(JSON.stringify(value)).length <= MAX_EXTRA_DATA_BYTES,
    { message: `must be at most ${MAX_EXTRA_DATA_BYTES} bytes of JSON` },
  );
