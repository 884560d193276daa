import { ErrorCode } from "../errors";
import { discardBody, readBodyWithin } from "./body-limit";
import { BODY_LIMITS } from "./limits";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "./same-origin";

/**
 * What the Worker checks before a request reaches the API or the site: the
 * body's size (before anything parses it), cross-site posts to the site,
 * and no cookie into the API. Each returns the request to pass on, or the
 * answer that refuses it.
 */

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;

const graphqlError = (status: number, code: string, message: string, extensions = {}) =>
  Response.json(
    { errors: [{ message, extensions: { ...extensions, code } }] },
    { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } },
  );

const text = (status: number, message: string) =>
  new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/**
 * /graphql. Its caller is identified by the Authorization header alone, so
 * cookies are dropped here: a page elsewhere that makes a browser call the
 * API sends no credential with it (CSRF cannot apply), whatever a later
 * change reads in the API's context.
 */
export async function admitApiRequest(request: Request): Promise<Request | Response> {
  const headers = new Headers(request.headers);
  headers.delete("cookie");
  const limit = BODY_LIMITS.graphql;
  const admitted = await readBodyWithin(request, limit, headers);
  if (admitted.ok) return admitted.request;
  if (!admitted.tooLarge)
    return graphqlError(400, ErrorCode.BAD_REQUEST, "The request body could not be read.");
  return graphqlError(
    413,
    ErrorCode.PAYLOAD_TOO_LARGE,
    `The request body is larger than ${size(limit)} (${limit} bytes), the most this API takes in one request. Send fewer events per logEvents batch.`,
    { limitBytes: limit },
  );
}

/** What the site's POSTs carry: urlencoded forms, but at the paths that take text (the tracker's beacons). */
export type SitePosts = { textPaths: readonly string[] };

const FORM = /^application\/x-www-form-urlencoded\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const TEXT = /^(text\/plain|application\/json)\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Everything but /graphql: the Remix site, its forms and the tracker's
 * endpoint. A request that changes something must come from the site's
 * own pages, be a POST, and carry what its route reads: Remix runs a
 * route's action for any method, and `request.formData()` throws (a 500)
 * on a body that is not a form, so those are refused here as the
 * caller's (405, 415). The site's own pages send nothing else: <Form>
 * posts urlencoded (no form of the site uploads files), the chat's script
 * posts URLSearchParams, the tracker text/plain.
 */
export async function admitSiteRequest(request: Request, posts: SitePosts): Promise<Request | Response> {
  if (request.method === "GET" || request.method === "HEAD") return request;
  const refuse = async (response: Response) => {
    await discardBody(request.body, 2 * BODY_LIMITS.site);
    return response;
  };
  if (crossSiteRefusal(request) !== null) return refuse(text(403, CROSS_SITE_MESSAGE));
  if (request.method !== "POST") {
    const response = text(405, "This site takes GET, and POST from its own forms.");
    response.headers.set("allow", "GET, HEAD, POST");
    return refuse(response);
  }
  const url = new URL(request.url);
  const takesText = posts.textPaths.includes(url.pathname);
  const type = request.headers.get("content-type") ?? "";
  if (!(takesText ? TEXT : FORM).test(type.trim())) {
    return refuse(
      text(
        415,
        takesText
          ? "This address takes text/plain or application/json."
          : "This address takes forms (application/x-www-form-urlencoded) only.",
      ),
    );
  }
  // Remix makes the same check of Origin against Host or X-Forwarded-Host, and answers 500 when it
  // fails. This Worker is the edge: no proxy in front of it forwards a host, so a client's
  // X-Forwarded-Host is dropped, and Host is the host the request was routed on.
  const headers = new Headers(request.headers);
  headers.delete("x-forwarded-host");
  headers.set("host", url.host);
  const limit = BODY_LIMITS.site;
  const admitted = await readBodyWithin(request, limit, headers);
  if (admitted.ok) return admitted.request;
  if (!admitted.tooLarge) return text(400, "The request body could not be read.");
  return text(413, `This request is larger than ${size(limit)}, the most this site takes in one request.`);
}
