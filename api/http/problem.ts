/** A refusal as JSON with a stable code and a message a person can act on (the downloads' error body). */
export function problem(status: number, code: string, message: string, headers: HeadersInit = {}): Response {
  return new Response(`${JSON.stringify({ error: { code, message } })}\n`, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
