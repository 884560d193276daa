import { describe, expect, it } from "vitest";
import { withoutUrlToken } from "./url-token-param";

describe("withoutUrlToken", () => {
  it.each([
    ["https://x.example/s/a?lsp_token=lsp1.a.b", "https://x.example/s/a"],
    ["https://x.example/s/a/chat?c=1&lsp_token=lsp1.a.b#a-2", "https://x.example/s/a/chat?c=1#a-2"],
    ["https://x.example/s/a?lsp_token=t&PROLIFIC_PID=p", "https://x.example/s/a?PROLIFIC_PID=p"],
    [
      "https://x.example/s/a?PROLIFIC_PID=p&lsp_token=t&STUDY_ID=s",
      "https://x.example/s/a?PROLIFIC_PID=p&STUDY_ID=s",
    ],
    ["https://x.example/s/a?lsp_token=t&lsp_token=u", "https://x.example/s/a"],
    ["/s/a?lsp_token=t#x", "/s/a#x"],
  ])("strips the token from %s", (url, stripped) => {
    expect(withoutUrlToken(url)).toBe(stripped);
  });

  it("leaves every other address as it was, byte for byte", () => {
    for (const url of [
      "https://x.example/s/a?c=1+2&q=%20",
      "https://x.example/s/a?not_lsp_token=t",
      "https://x.example/lsp_token=t",
      "not a url",
    ])
      expect(withoutUrlToken(url)).toBe(url);
    expect(withoutUrlToken(null)).toBeNull();
  });
});
