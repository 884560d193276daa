import { describe, expect, it } from "vitest";
import { sessionCookieHeader, sessionCookieName } from "./session-cookie";

const https = new URL("https://study.example.org/s/a");
const http = new URL("http://localhost:8787/s/a");
const plainHttp = new URL("http://study.example.org/s/a");

describe("the session cookies", () => {
  it("keeps the site's session in a __Host- SameSite=Lax cookie on https, a plain one on http", () => {
    expect(sessionCookieHeader(https, "T", false)).toBe(
      "__Host-lsp_session=T; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=2592000",
    );
    expect(sessionCookieHeader(http, "T", false)).toBe(
      "lsp_session=T; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000",
    );
  });

  it("keeps an embeddable study's session in a Partitioned SameSite=None cookie of its own on https", () => {
    expect(sessionCookieName(https, true)).toBe("__Host-lsp_embed");
    expect(sessionCookieHeader(https, "T", true)).toBe(
      "__Host-lsp_embed=T; Path=/; HttpOnly; Secure; SameSite=None; Partitioned; Max-Age=2592000",
    );
    // Browsers take Secure from http://localhost and 127.0.0.1 (the e2e tests' Worker), not other http hosts.
    expect(sessionCookieHeader(http, "T", true)).toBe(
      "lsp_embed=T; Path=/; HttpOnly; Secure; SameSite=None; Partitioned; Max-Age=2592000",
    );
    // SameSite=None needs Secure: Lax, which no cross-site frame gets (the URL token carries the session).
    expect(sessionCookieHeader(plainHttp, "T", true)).toBe(
      "lsp_embed=T; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000",
    );
  });
});
