import { describe, expect, it } from "vitest";
import { trackerExtraDataSchema } from "./extra-data";

const exposure = {
  url: "https://example.org/a",
  rank: 1,
  originalRank: null,
  visibleMs: 1200,
  hovers: 1,
  hoverMs: 450,
  clicks: 1,
  awayMs: 3000,
};

describe("the tracker's extraData, as /t checks it", () => {
  it("takes what the tracker sends, and keys it does not know", () => {
    const data = {
      kind: "exposure",
      pageViewId: "0f8e6a52-5c3e-4d5e-9a57-3f1c2b7d9e10",
      seq: 3,
      sources: [exposure],
      sentAt: "2026-01-01T00:00:00.000Z",
    };
    expect(trackerExtraDataSchema.parse(data)).toEqual(data);
    expect(
      trackerExtraDataSchema.parse({ via: "tracker", element: null, rank: null, originalRank: null }),
    ).toEqual({ via: "tracker", element: null, rank: null, originalRank: null });
    expect(trackerExtraDataSchema.parse({ kind: "page", title: "from an older tracker" })).toEqual({
      kind: "page",
      title: "from an older tracker",
    });
  });

  it.each([
    ["a page type not in the list", { pageType: "survey" }, "pageType"],
    ["an element not in the list", { element: "button" }, "element"],
    ["a rank below 1", { rank: 0 }, "rank"],
    ["a negative sequence number", { seq: -1 }, "seq"],
    ["a depth above 1", { scrollDepth: 1.5 }, "scrollDepth"],
    ["an empty page view id", { pageViewId: "" }, "pageViewId"],
    ["a fractional time in view", { sources: [{ ...exposure, visibleMs: 1.5 }] }, "sources.0.visibleMs"],
    ["a source without its url", { sources: [{ ...exposure, url: undefined }] }, "sources.0.url"],
    ["more than 50 sources", { sources: Array.from({ length: 51 }, () => exposure) }, "sources"],
  ])("refuses %s", (_, data, path) => {
    const result = trackerExtraDataSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join(".")).toBe(path);
  });
});
