import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";
import { InvalidCursorError } from "./store";

const b64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

describe("keyset cursors", () => {
  it.each([0, 1, 42, 1_000_000, 999_999_999_999_999])("round-trips %d", (seq) => {
    expect(decodeCursor(encodeCursor(seq))).toBe(seq);
  });

  it("are opaque base64url: no padding, no + or /, not the number itself", () => {
    for (let seq = 0; seq < 300; seq++) {
      const cursor = encodeCursor(seq);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toBe(String(seq));
    }
  });

  it.each([
    ["empty", ""],
    ["garbage", "garbage!!"],
    ["a bare number", "42"],
    ["not base64", "%%%%"],
    ["an unversioned number", b64url("42")],
    ["a wrong prefix", b64url("v2:42")],
    ["a negative number", b64url("v1:-1")],
    ["a fraction", b64url("v1:1.5")],
    ["a trailing suffix", b64url("v1:42;drop table")],
    ["too many digits", b64url("v1:1234567890123456")],
    ["no number", b64url("v1:")],
  ])("rejects %s", (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
