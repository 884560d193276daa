import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./same-origin";

const SITE = "https://study.example.org";

const post = (headers: Record<string, string>, method = "POST") =>
  new Request(`${SITE}/s/demo/chat`, { method, headers, body: method === "GET" ? null : "x=1" });

describe("crossSiteRefusal", () => {
  it("lets the site's own forms and scripts through", () => {
    expect(crossSiteRefusal(post({ "sec-fetch-site": "same-origin", origin: SITE }))).toBeNull();
    expect(crossSiteRefusal(post({ origin: SITE }))).toBeNull();
    expect(crossSiteRefusal(post({ "sec-fetch-site": "same-origin" }))).toBeNull();
    // A user's own navigation (typed into the address bar, a bookmark).
    expect(crossSiteRefusal(post({ "sec-fetch-site": "none" }))).toBeNull();
  });

  it("lets requests without Sec-Fetch-Site and Origin through (curl, scripts, old browsers)", () => {
    expect(crossSiteRefusal(post({}))).toBeNull();
  });

  it("refuses a post from another site or a sibling subdomain", () => {
    expect(
      crossSiteRefusal(post({ "sec-fetch-site": "cross-site", origin: "https://evil.example" })),
    ).not.toBeNull();
    expect(crossSiteRefusal(post({ "sec-fetch-site": "cross-site" }))).not.toBeNull();
    expect(crossSiteRefusal(post({ "sec-fetch-site": "same-site" }))).not.toBeNull();
    expect(crossSiteRefusal(post({ "sec-fetch-site": "Cross-Site" }))).not.toBeNull();
    expect(crossSiteRefusal(post({ "sec-fetch-site": "something-new" }))).not.toBeNull();
  });

  it("refuses an Origin that is not the request's own, even when Sec-Fetch-Site says same-origin", () => {
    for (const origin of [
      "https://evil.example",
      "http://study.example.org",
      "https://study.example.org:8443",
      "https://sub.study.example.org",
      "null",
      "",
      "not a url",
    ]) {
      expect(crossSiteRefusal(post({ origin })), origin).not.toBeNull();
      expect(crossSiteRefusal(post({ origin, "sec-fetch-site": "same-origin" })), origin).not.toBeNull();
    }
  });

  it("checks every method but GET and HEAD", () => {
    const foreign = { "sec-fetch-site": "cross-site", origin: "https://evil.example" };
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      expect(crossSiteRefusal(post(foreign, method)), method).not.toBeNull();
    }
    expect(crossSiteRefusal(new Request(`${SITE}/`, { headers: foreign }))).toBeNull();
    expect(crossSiteRefusal(new Request(`${SITE}/`, { method: "HEAD", headers: foreign }))).toBeNull();
  });

  it("compares with the port of the request's own URL (local development)", () => {
    const local = new Request("http://127.0.0.1:8787/t", {
      method: "POST",
      headers: { origin: "http://127.0.0.1:8787" },
      body: "{}",
    });
    expect(crossSiteRefusal(local)).toBeNull();
    const otherPort = new Request("http://127.0.0.1:8787/t", {
      method: "POST",
      headers: { origin: "http://127.0.0.1:3000" },
      body: "{}",
    });
    expect(crossSiteRefusal(otherPort)).not.toBeNull();
  });
});
