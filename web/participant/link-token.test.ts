import { describe, expect, it } from "vitest";
import { withLinkToken } from "./link-token";

describe("withLinkToken", () => {
  it("adds the token as lsp_token, before any fragment, encoded", () => {
    expect(withLinkToken("/s/a/chat", "lsp1.x.y")).toBe("/s/a/chat?lsp_token=lsp1.x.y");
    expect(withLinkToken("/s/a/chat?c=1#a-2", "lsp1.x.y")).toBe("/s/a/chat?c=1&lsp_token=lsp1.x.y#a-2");
    expect(withLinkToken("/stream", "a+b/c=")).toBe("/stream?lsp_token=a%2Bb%2Fc%3D");
  });

  it("leaves the link as it is without a token", () => {
    expect(withLinkToken("/s/a/chat?c=1", null)).toBe("/s/a/chat?c=1");
    expect(withLinkToken("/s/a", undefined)).toBe("/s/a");
  });
});
