import { describe, expect, it } from "vitest";
import { envelope, type FrameView, targetOrigins } from "./parent-messages";

const ALLOWED = ["https://*.qualtrics.com", "https://survey.example.org"];
const view = (over: Partial<FrameView>): FrameView => ({
  framed: true,
  ancestorOrigins: null,
  referrer: "",
  ownOrigin: "https://study.example.org",
  remembered: null,
  ...over,
});

describe("targetOrigins", () => {
  it("posts to the parent's origin when the browser names it and the study allows it", () => {
    expect(targetOrigins(ALLOWED, view({ ancestorOrigins: ["https://yul1.qualtrics.com"] }))).toEqual([
      "https://yul1.qualtrics.com",
    ]);
    expect(targetOrigins(ALLOWED, view({ referrer: "https://survey.example.org/form?id=3" }))).toEqual([
      "https://survey.example.org",
    ]);
    expect(targetOrigins(ALLOWED, view({ remembered: "https://x.qualtrics.com" }))).toEqual([
      "https://x.qualtrics.com",
    ]);
  });

  it("posts nothing to a parent the study does not list, nor outside a frame", () => {
    expect(targetOrigins(ALLOWED, view({ ancestorOrigins: ["https://evil.example"] }))).toEqual([]);
    expect(targetOrigins(ALLOWED, view({ referrer: "https://qualtrics.com/" }))).toEqual([]);
    expect(
      targetOrigins(ALLOWED, view({ framed: false, ancestorOrigins: ["https://survey.example.org"] })),
    ).toEqual([]);
  });

  it("never takes the study's own previous page for the parent; unknown: the exact origins only, never *", () => {
    expect(targetOrigins(ALLOWED, view({ referrer: "https://study.example.org/s/a" }))).toEqual([
      "https://survey.example.org",
    ]);
    expect(targetOrigins(["https://*.qualtrics.com"], view({}))).toEqual([]);
  });

  it("wraps each message with the protocol's name, version and the study", () => {
    expect(envelope("demo", { type: "finished", outcome: "completed", code: "C0DE" })).toEqual({
      protocol: "llm-study-platform",
      version: 1,
      studyId: "demo",
      type: "finished",
      outcome: "completed",
      code: "C0DE",
    });
  });
});
