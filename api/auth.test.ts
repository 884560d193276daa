import { describe, expect, it } from "vitest";
import { bearerToken, isResearcherToken } from "./auth";

const request = (authorization?: string) =>
  new Request("https://study.example/graphql", authorization ? { headers: { authorization } } : {});

const TOKEN = "researcher-token-0123456789";
const OTHER = "another-researcher-token-abcdef";

describe("bearerToken", () => {
  it.each([
    ["Bearer abc.def-123", "abc.def-123"],
    ["bearer abc", "abc"],
    ["BEARER   abc  ", "abc"],
  ])("reads %j", (header, token) => {
    expect(bearerToken(request(header))).toBe(token);
  });

  it.each([
    ["no header", undefined],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["no token", "Bearer "],
    ["two tokens", "Bearer abc def"],
    ["no space", "Bearerabc"],
  ])("returns null for %s", (_, header) => {
    expect(bearerToken(request(header))).toBeNull();
  });
});

describe("isResearcherToken", () => {
  it("accepts the configured token", async () => {
    expect(await isResearcherToken(TOKEN, [TOKEN])).toBe(true);
  });

  it("refuses a wrong token, a prefix, an extension and a different case", async () => {
    for (const wrong of [
      "wrong-token-0123456789",
      TOKEN.slice(0, -1),
      `${TOKEN}x`,
      TOKEN.toUpperCase(),
      "",
    ]) {
      expect(await isResearcherToken(wrong, [TOKEN])).toBe(false);
    }
  });

  it("refuses a missing token", async () => {
    expect(await isResearcherToken(null, [TOKEN])).toBe(false);
  });

  it("refuses everything when no token is configured", async () => {
    expect(await isResearcherToken(TOKEN, [])).toBe(false);
    expect(await isResearcherToken("", [])).toBe(false);
  });

  it("accepts any one of several tokens, wherever it is in the list", async () => {
    const tokens = [TOKEN, OTHER, "third-researcher-token-xyz"];
    expect(await isResearcherToken(TOKEN, tokens)).toBe(true);
    expect(await isResearcherToken(OTHER, tokens)).toBe(true);
    expect(await isResearcherToken("third-researcher-token-xyz", tokens)).toBe(true);
    expect(await isResearcherToken("fourth-researcher-token-000", tokens)).toBe(false);
  });

  it("works end to end from the Authorization header", async () => {
    expect(await isResearcherToken(bearerToken(request(`Bearer ${OTHER}`)), [TOKEN, OTHER])).toBe(true);
    expect(await isResearcherToken(bearerToken(request()), [TOKEN, OTHER])).toBe(false);
  });
});
