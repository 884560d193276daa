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

const encoder = new TextEncoder();

/** Whether `value`'s JSON text is at most `max` bytes of UTF-8, measuring only when its length leaves it open. */
export function jsonWithin(value: unknown, max: number): boolean {
  const text = JSON.stringify(value);
  if (text === undefined) return true;
  // A UTF-16 code unit is 1 to 3 bytes of UTF-8 (a surrogate pair 4 for two units).
  if (text.length * 3 <= max) return true;
  if (text.length > max) return false;
  return encoder.encode(text).length <= max;
}

export const extraDataSchema = z
  .unknown()
  .refine((value) => value === undefined || value === null || jsonWithin(value, MAX_EXTRA_DATA_BYTES), {
    message: `must be at most ${MAX_EXTRA_DATA_BYTES} bytes of JSON`,
  });
