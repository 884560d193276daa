/**
 * A request body read in full, at most `limit` bytes, before anything parses
 * it. A declared Content-Length over the limit is refused before a byte is
 * read; a body without one (chunked), or with one that does not match what
 * arrives, is counted while it is read and refused as soon as it passes the
 * limit, so no more than `limit` bytes plus one chunk are ever held.
 *
 * The request comes back with the bytes read as its body, the same signal
 * (a participant who leaves still aborts a stream), and its other fields.
 * GET and HEAD requests carry no body anyone reads: they pass untouched.
 */
/** A refused body is drained up to this many times the limit, then the connection is given up. */
const DRAIN_LIMIT_FACTOR = 2;

export type Admitted =
  | { ok: true; request: Request }
  /** Over the limit: by its Content-Length (`declared`), or while it was read. */
  | { ok: false; tooLarge: true; declared: boolean }
  /** The body broke off or failed while it was read. */
  | { ok: false; tooLarge: false };

const DIGITS = /^\d+$/;

/**
 * Reads what is left of a refused request's body and drops it, up to
 * `maxBytes`, then gives up (cancels). An answer sent while the body is
 * still arriving leaves unread bytes on the connection: a keep-alive client
 * or proxy that is still writing them sees the connection reset, and may
 * lose the answer. Under `wrangler dev` the proxy in front of the Worker
 * then answers 503 "Your worker restarted mid-request" to the next request
 * on that connection (docs/decisions/008-dev-proxy-503.md). HTTP servers
 * call this lingering close; nginx drains the same way.
 */
export async function discardBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<void> {
  if (body === null) return;
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return;
      }
    }
  } catch {
    // The client went away: nothing left to drain.
  }
}

export async function readBodyWithin(
  request: Request,
  limit: number,
  headers: Headers = new Headers(request.headers),
): Promise<Admitted> {
  if (request.method === "GET" || request.method === "HEAD") {
    return { ok: true, request: new Request(request, { headers }) };
  }
  const declared = request.headers.get("content-length");
  if (declared !== null && DIGITS.test(declared.trim()) && Number(declared.trim()) > limit) {
    await discardBody(request.body, DRAIN_LIMIT_FACTOR * limit);
    return { ok: false, tooLarge: true, declared: true };
  }
  if (request.body === null) return { ok: true, request: new Request(request, { headers }) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return { ok: false, tooLarge: false };
    }
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > limit) {
      reader.releaseLock();
      await discardBody(request.body, DRAIN_LIMIT_FACTOR * limit - total);
      return { ok: false, tooLarge: true, declared: false };
    }
    chunks.push(chunk.value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // What was read is what the body is now: a lying Content-Length does not travel on.
  headers.set("content-length", String(total));
  return { ok: true, request: new Request(request, { headers, body }) };
}
