import { InvalidCursorError } from "./store";

/**
 * Opaque keyset cursors over the shared log sequence. Base64url of "v1:<seq>",
 * so a client cannot mistake them for an offset, and a later version can
 * change the key without breaking old clients silently.
 */
export function encodeCursor(seq: number): string {
  return btoa(`v1:${seq}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): number {
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    throw new InvalidCursorError();
  }
  const match = /^v1:(\d{1,15})$/.exec(text);
  if (!match?.[1]) throw new InvalidCursorError();
  return Number(match[1]);
}
