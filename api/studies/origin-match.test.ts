import { describe, expect, it } from "vitest";
import { exactOrigins, isOriginPattern, originAllowed, originMatches } from "./origin-match";

describe("originMatches", () => {
  it("matches an exact origin only, scheme and port included", () => {
    expect(originMatches("https://survey.example.org", "https://survey.example.org")).toBe(true);
    expect(originMatches("https://survey.example.org", "http://survey.example.org")).toBe(false);
    expect(originMatches("https://survey.example.org", "https://survey.example.org:8443")).toBe(false);
    expect(originMatches("https://survey.example.org:8443", "https://survey.example.org:8443")).toBe(true);
    expect(originMatches("https://survey.example.org", "https://other.example.org")).toBe(false);
    expect(originMatches("https://example.org", "https://survey.example.org")).toBe(false);
  });

  it("matches `*.` as CSP does: every subdomain at any depth, not the domain itself, nor a look-alike", () => {
    const pattern = "https://*.qualtrics.com";
    expect(originMatches(pattern, "https://yul1.qualtrics.com")).toBe(true);
    expect(originMatches(pattern, "https://abc.eu.qualtrics.com")).toBe(true);
    expect(originMatches(pattern, "https://qualtrics.com")).toBe(false);
    expect(originMatches(pattern, "https://evilqualtrics.com")).toBe(false);
    expect(originMatches(pattern, "https://qualtrics.com.evil.example")).toBe(false);
    expect(originMatches(pattern, "http://yul1.qualtrics.com")).toBe(false);
    expect(originMatches(pattern, "https://yul1.qualtrics.com:444")).toBe(false);
  });

  it("takes only what a browser reports as an origin: no path, no 'null', no default port spelled out", () => {
    expect(originMatches("https://a.example.org", "https://a.example.org/")).toBe(false);
    expect(originMatches("https://a.example.org", "https://a.example.org:443")).toBe(false);
    expect(originMatches("https://a.example.org", "null")).toBe(false);
    expect(originMatches("*", "https://a.example.org")).toBe(false);
  });

  it("finds an origin in a list, and the patterns a message can be addressed to unseen", () => {
    const list = ["https://*.qualtrics.com", "https://survey.example.org"];
    expect(originAllowed(list, "https://x.qualtrics.com")).toBe(true);
    expect(originAllowed(list, "https://evil.example")).toBe(false);
    expect(exactOrigins(list)).toEqual(["https://survey.example.org"]);
  });

  it("knows a pattern from anything else", () => {
    for (const ok of ["https://a.example.org", "https://*.example.org", "http://localhost:8080"])
      expect(isOriginPattern(ok), ok).toBe(true);
    for (const bad of [
      "https://a.example.org/path",
      "https://a.*.example.org",
      "https://*",
      "HTTPS://A.EXAMPLE.ORG",
      "https://a.example.org;",
      "https://a.example.org https://b.example.org",
      "'self'",
      "*",
      "ftp://a.example.org",
    ])
      expect(isOriginPattern(bad), bad).toBe(false);
  });
});
