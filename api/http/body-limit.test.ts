import { describe, expect, it } from "vitest";
import { readBodyWithin } from "./body-limit";

const URL_ = "https://study.example.org/t";

/** A body that arrives in `chunks` pieces of `size` bytes, counting how many were pulled. */
function chunked(chunks: number, size: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
  return { stream, pulled: () => pulled };
}

const streamed = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request(URL_, { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBodyWithin", () => {
  it("passes a body at the limit on with the same bytes and a Content-Length that matches", async () => {
    const admitted = await readBodyWithin(new Request(URL_, { method: "POST", body: "a".repeat(100) }), 100);
    expect(admitted.ok).toBe(true);
    if (!admitted.ok) return;
    expect(await admitted.request.text()).toBe("a".repeat(100));
    expect(admitted.request.headers.get("content-length")).toBe("100");
    expect(admitted.request.method).toBe("POST");
    expect(admitted.request.url).toBe(URL_);
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    const body = chunked(10, 50);
    const admitted = await readBodyWithin(streamed(body.stream, { "content-length": "500" }), 100);
    expect(admitted).toEqual({ ok: false, tooLarge: true, declared: true });
    expect(body.pulled()).toBeLessThanOrEqual(1);
  });

  it("counts a body without Content-Length and stops reading one chunk past the limit", async () => {
    const body = chunked(1000, 64);
    const admitted = await readBodyWithin(streamed(body.stream), 1000);
    expect(admitted).toEqual({ ok: false, tooLarge: true, declared: false });
    // 1000 bytes are 15.6 chunks of 64: the 16th passes the limit, and reading stops there.
    expect(body.pulled()).toBeLessThan(20);
  });

  it("counts a body whose Content-Length says less than arrives", async () => {
    const body = chunked(100, 64);
    const admitted = await readBodyWithin(streamed(body.stream, { "content-length": "10" }), 1000);
    expect(admitted.ok).toBe(false);
  });

  it("counts bytes, not characters", async () => {
    const twoBytes = "é".repeat(60);
    expect((await readBodyWithin(new Request(URL_, { method: "POST", body: twoBytes }), 100)).ok).toBe(false);
    expect((await readBodyWithin(new Request(URL_, { method: "POST", body: twoBytes }), 120)).ok).toBe(true);
  });

  it("reports a body that breaks off while it is read", async () => {
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("connection reset"));
        sent = true;
        controller.enqueue(new Uint8Array(10));
      },
    });
    expect(await readBodyWithin(streamed(broken), 1000)).toEqual({ ok: false, tooLarge: false });
  });

  it("keeps the request's signal: a participant who leaves still aborts what runs for them", async () => {
    const controller = new AbortController();
    const admitted = await readBodyWithin(
      new Request(URL_, { method: "POST", body: "x", signal: controller.signal }),
      100,
    );
    if (!admitted.ok) throw new Error("refused");
    expect(admitted.request.signal.aborted).toBe(false);
    controller.abort();
    expect(admitted.request.signal.aborted).toBe(true);
  });

  it("uses the headers it is given (the API's have no cookie) and leaves GET alone", async () => {
    const headers = new Headers({ accept: "text/html" });
    const admitted = await readBodyWithin(
      new Request(URL_, { headers: { cookie: "lsp_pid=1", accept: "text/html" } }),
      0,
      headers,
    );
    if (!admitted.ok) throw new Error("refused");
    expect(admitted.request.headers.get("cookie")).toBeNull();
    expect(admitted.request.method).toBe("GET");
  });
});
