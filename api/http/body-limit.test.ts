import { describe, expect, it } from "vitest";
import { discardBody, readBodyWithin } from "./body-limit";

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

  it("refuses a declared Content-Length over the limit before holding any of it", async () => {
    const body = chunked(100, 50);
    const admitted = await readBodyWithin(streamed(body.stream, { "content-length": "5000" }), 100);
    expect(admitted).toEqual({ ok: false, tooLarge: true, declared: true });
    // What arrives is dropped, up to twice the limit (so a keep-alive connection stays usable), then given up.
    expect(body.pulled()).toBeLessThanOrEqual(6);
  });

  it("counts a body without Content-Length, refuses it past the limit, and reads at most twice the limit", async () => {
    const body = chunked(1000, 64);
    const admitted = await readBodyWithin(streamed(body.stream), 1000);
    expect(admitted).toEqual({ ok: false, tooLarge: true, declared: false });
    // 2000 bytes are 31.3 chunks of 64: reading stops at the 32nd.
    expect(body.pulled()).toBeGreaterThan(16);
    expect(body.pulled()).toBeLessThanOrEqual(33);
  });

  it("drains a slightly oversized body to its end, so the connection can carry the next request", async () => {
    const body = chunked(20, 64);
    const admitted = await readBodyWithin(streamed(body.stream), 1000);
    expect(admitted.ok).toBe(false);
    expect(body.pulled()).toBe(20);
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

  it("discardBody drops a refused body up to its bound and survives a client that went away", async () => {
    const body = chunked(10, 10);
    await discardBody(body.stream, 1000);
    expect(body.pulled()).toBe(10);
    const long = chunked(1000, 10);
    await discardBody(long.stream, 100);
    expect(long.pulled()).toBeLessThanOrEqual(12);
    const broken = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.error(new Error("reset")),
    });
    await expect(discardBody(broken, 100)).resolves.toBeUndefined();
    await expect(discardBody(null, 100)).resolves.toBeUndefined();
  });
});
