import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { graphiqlHeaders } from "../../api/graphiql";
import {
  BASELINE_HEADERS,
  DEFAULT_FRAME_ANCESTORS,
  FORM_ACTION_HEADER,
  formActionOf,
  frameAncestorsOf,
  newNonce,
  pageHeaders,
  pagePolicy,
} from "./headers.server";

describe("the participant pages' policy", () => {
  it("allows only the site's own files, and inline scripts with this response's nonce", () => {
    expect(pagePolicy("abc123")).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
        "frame-ancestors 'none'",
    );
  });

  it("lets the deployment say who may frame the pages", () => {
    expect(pagePolicy("n", "https://survey.example.org 'self'")).toMatch(
      /; frame-ancestors https:\/\/survey\.example\.org 'self'$/,
    );
  });

  it("sends nosniff, a referrer policy and the policy on every page; X-Frame-Options while framing is 'none'", () => {
    expect(pageHeaders("n")).toEqual({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Content-Security-Policy": pagePolicy("n"),
      "X-Frame-Options": "DENY",
    });
    expect(pageHeaders("n", "'self'")["X-Frame-Options"]).toBe("SAMEORIGIN");
    // X-Frame-Options cannot name origins: frame-ancestors alone decides then.
    expect(pageHeaders("n", "https://survey.example.org")).not.toHaveProperty("X-Frame-Options");
  });
});

describe("a panel's form targets", () => {
  it("are added to form-action, only when they are a panel's (MTurk's hosts), and the route's header is removed", () => {
    const headers = new Headers({
      [FORM_ACTION_HEADER]: "https://www.mturk.com https://evil.example https://workersandbox.mturk.com",
    });
    const origins = formActionOf(headers);
    expect(origins).toEqual(["https://www.mturk.com", "https://workersandbox.mturk.com"]);
    expect(headers.has(FORM_ACTION_HEADER)).toBe(false);
    expect(pagePolicy("n", "'none'", origins)).toContain(
      "; form-action 'self' https://www.mturk.com https://workersandbox.mturk.com;",
    );
    expect(formActionOf(new Headers({ [FORM_ACTION_HEADER]: "https://evil.example" }))).toEqual([]);
    expect(formActionOf(new Headers())).toEqual([]);
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, new each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(atob(nonce)).toHaveLength(16);
    }
  });
});

describe("frameAncestorsOf (the Remix load context)", () => {
  it("takes the deployment's source list from context.security", () => {
    expect(frameAncestorsOf({ security: { frameAncestors: "https://a.example.org 'self'" } })).toBe(
      "https://a.example.org 'self'",
    );
  });

  it("falls back to no framing when the context has none, or something that is not one source list", () => {
    for (const context of [
      undefined,
      null,
      {},
      { security: null },
      { security: {} },
      { security: { frameAncestors: 42 } },
      { security: { frameAncestors: "" } },
      { security: { frameAncestors: "'self'; script-src *" } },
      { security: { frameAncestors: "'self', script-src *" } },
      { security: { frameAncestors: "'self'\r\nSet-Cookie: x=1" } },
      { security: { frameAncestors: "a  b" } },
    ])
      expect(frameAncestorsOf(context), JSON.stringify(context)).toBe(DEFAULT_FRAME_ANCESTORS);
  });
});

describe("the baseline headers, in each place that sends them", () => {
  it("are what public/_headers gives every static asset", () => {
    const file = readFileSync(new URL("../../public/_headers", import.meta.url), "utf8");
    const rules = file.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(rules[0]).toBe("/*");
    const headers = Object.fromEntries(
      rules.slice(1).map((line) => {
        const [name = "", ...value] = line.trim().split(":");
        return [name, value.join(":").trim()];
      }),
    );
    expect(headers).toEqual(BASELINE_HEADERS);
  });

  it("are on GraphiQL's page too", () => {
    expect(graphiqlHeaders("n")).toMatchObject(BASELINE_HEADERS);
  });
});
