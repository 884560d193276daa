import { problem } from "../../api/http/problem";
import { ApiCallError } from "../graphql/client.server";

/** A download's refusal, as JSON with a stable code and a message a person can act on. */
export { problem };

/** The API's refusal of a download's first call as its HTTP answer (401, 400, else 503); other errors are rethrown. */
export function apiProblem(error: unknown): Response {
  if (!(error instanceof ApiCallError)) throw error;
  const status = error.code === "UNAUTHENTICATED" ? 401 : error.code === "BAD_USER_INPUT" ? 400 : 503;
  return problem(status, error.code, error.message);
}

/** A download's headers: a file named after what it holds and when it was made, never cached. */
export function attachment(name: string): HeadersInit {
  const stamp = new Date().toISOString().replaceAll(":", "-").slice(0, 19);
  return {
    "content-type": "application/x-ndjson; charset=utf-8",
    "content-disposition": `attachment; filename="${name}-${stamp}.ndjson"`,
    "cache-control": "no-store",
  };
}
