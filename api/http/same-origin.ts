/**
 * Cross-site request forgery protection for the site. Its forms act with
 * the participant's cookies (consent, messages, finishing, withdrawing), so
 * a request that changes something must come from the site's own pages,
 * not from a page elsewhere that makes the participant's browser post.
 *
 * Browsers say where a request comes from: Sec-Fetch-Site (every current
 * browser) and Origin (on every POST, since 2020). A request is refused when
 * Sec-Fetch-Site is anything but `same-origin` or `none` (a user's own
 * navigation), so `same-site` too: another subdomain is another party here;
 * or when Origin is present and is not this request's origin (`null`, sent
 * from sandboxed frames and after some cross-site redirects, included). A
 * request with neither header does not come from a page a browser runs
 * (curl, scripts, very old browsers) and passes: no cookie of a participant
 * rides on it unless its sender holds the cookie already.
 *
 * The same rules as Go's net/http CrossOriginProtection (Go 1.25), stricter
 * in checking Origin even when Sec-Fetch-Site is present.
 */
const SAFE_METHODS = new Set(["GET", "HEAD"]);
const SAME_ORIGIN_FETCH_SITES = new Set(["same-origin", "none"]);

/** Why `request` is refused as cross-site, or null when it may go on. */
export function crossSiteRefusal(request: Request): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && !SAME_ORIGIN_FETCH_SITES.has(fetchSite.trim().toLowerCase())) {
    return "Sec-Fetch-Site is not same-origin";
  }
  const origin = request.headers.get("origin");
  if (origin !== null && origin.trim() !== new URL(request.url).origin) {
    return "Origin is not this site";
  }
  return null;
}

/** What the participant's browser shows for a refused request. */
export const CROSS_SITE_MESSAGE =
  "This request came from another site, so it was not carried out. If you were filling in a form of this study, go back to its page and send it from there.";
