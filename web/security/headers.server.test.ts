import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { graphiqlHeaders } from "../../api/graphiql";
import {
  BASELINE_HEADERS,
  DEFAULT_FRAME_ANCESTORS,
  EMBEDDED_REFERRER_POLICY,
  FORM_ACTION_HEADER,
  formActionOf,
  frameAncestorsFor,
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

  it("names who may frame the page", () => {
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

describe("frameAncestorsFor (a study's embedding)", () => {
  it("lists the study's origins, wildcards included, as one directive's value", () => {
    expect(frameAncestorsFor(["https://*.qualtrics.com", "https://survey.example.org"])).toBe(
      "https://*.qualtrics.com https://survey.example.org",
    );
    expect(frameAncestorsFor(["'self'"])).toBe("'self'");
  });

  it("is 'none' without origins, or for a list that could start another directive", () => {
    for (const origins of [
      null,
      undefined,
      [],
      ["https://a.example.org; script-src *"],
      ["https://a.example.org,", "script-src *"],
      ["https://a.example.org\r\nSet-Cookie: x=1"],
      [""],
    ])
      expect(frameAncestorsFor(origins), JSON.stringify(origins)).toBe(DEFAULT_FRAME_ANCESTORS);
  });

  it("makes the page headers of an embeddable study: frame-ancestors, no X-Frame-Options, no Referer elsewhere", () => {
    const headers = pageHeaders("n", frameAncestorsFor(["https://*.qualtrics.com"]));
    expect(headers["Content-Security-Policy"]).toMatch(/; frame-ancestors https:\/\/\*\.qualtrics\.com$/);
    expect(headers).not.toHaveProperty("X-Frame-Options");
    expect(headers["Referrer-Policy"]).toBe(EMBEDDED_REFERRER_POLICY);
    expect(EMBEDDED_REFERRER_POLICY).toBe("same-origin");
    // Only the site itself: SAMEORIGIN says the same as frame-ancestors 'self'.
    expect(pageHeaders("n", frameAncestorsFor(["'self'"]))["X-Frame-Options"]).toBe("SAMEORIGIN");
    // Not embeddable: the baseline's referrer policy and DENY.
    expect(pageHeaders("n", frameAncestorsFor(null))).toMatchObject({
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Frame-Options": "DENY",
    });
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
