import { base64url, fromBase64url } from "../encoding/base64url";
import { InvalidCursorError } from "./store";

/**
 * The export's cursors, one codec for every adapter: base64url of a
 * versioned UTF-8 text ("v1:<seq>" on D1, "m1:<time>:<kind>:<id>" on
 * MongoDB), so a client cannot mistake them for an offset, and a later
 * version can change the key without breaking old clients silently.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function cursorOf(text: string): string {
  return base64url(encoder.encode(text));
}

/** The cursor's text matched against its version's pattern; InvalidCursorError for anything this API did not make. */
export function matchCursor(cursor: string, pattern: RegExp): RegExpExecArray {
  const bytes = fromBase64url(cursor);
  let text: string;
  try {
    if (!bytes) throw new InvalidCursorError();
    text = decoder.decode(bytes);
  } catch {
    throw new InvalidCursorError();
  }
  const match = pattern.exec(text);
  if (!match) throw new InvalidCursorError();
  return match;
}

/** D1's keyset cursor: the shared log sequence. */
export function encodeCursor(seq: number): string {
  return cursorOf(`v1:${seq}`);
}

export function decodeCursor(cursor: string): number {
  return Number(matchCursor(cursor, /^v1:(\d{1,15})$/)[1]);
}

/** The `participants` download's keyset cursor, on every adapter: the assignment's (assignedAt, studyId, userId). */
export type ParticipantPosition = { assignedAt: string; studyId: string; userId: string };

export function encodeParticipantCursor(p: ParticipantPosition): string {
  return cursorOf(`p1:${JSON.stringify([p.assignedAt, p.studyId, p.userId])}`);
}

export function decodeParticipantCursor(cursor: string): ParticipantPosition {
  const [, json = ""] = matchCursor(cursor, /^p1:(\[.*\])$/s);
  let parts: unknown;
  try {
    parts = JSON.parse(json);
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === "string"))
    throw new InvalidCursorError();
  const [assignedAt, studyId, userId] = parts as [string, string, string];
  if (Number.isNaN(Date.parse(assignedAt))) throw new InvalidCursorError();
  return { assignedAt, studyId, userId };
}
