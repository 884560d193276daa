import { describe, expect, it } from "vitest";
import { type Placed, placeOf, visitOrder } from "./visit-order";

type R = { name: string } & Placed;
const r = (name: string, time: string, pageViewId: string | null = null, seq: number | null = null): R => ({
  name,
  time: `2026-01-01T00:00:${time}Z`,
  pageViewId,
  seq,
});
const names = (records: R[]) => visitOrder(records, (x) => x).map((x) => x.name);

describe("visitOrder", () => {
  it("orders within a page view by seq, even when the device's clock jumps back", () => {
    expect(names([r("scroll", "05", "pv", 2), r("page", "10", "pv", 0), r("click", "01", "pv", 1)])).toEqual([
      "page",
      "click",
      "scroll",
    ]);
  });

  it("places page views by their page view event's clientTime, and server records among them by theirs", () => {
    const records = [
      r("answer", "20"),
      r("chat page", "15", "chat", 0),
      r("chat click", "30", "chat", 1),
      r("task page", "05", "task", 0),
      r("consent_given", "02"),
      r("finish page", "40", "finish", 0),
    ];
    expect(names(records)).toEqual([
      "consent_given",
      "task page",
      "chat page",
      "answer",
      "chat click",
      "finish page",
    ]);
  });

  it("a page view without its page view event goes by its earliest time; ties keep the export's order", () => {
    expect(
      names([r("b", "09", "pv", 3), r("a", "08", "pv", 2), r("step", "08"), r("later step", "08")]),
    ).toEqual(["a", "step", "later step", "b"]);
  });

  it("a server record never reorders a page view whose clock jumped back", () => {
    expect(names([r("page", "10", "pv", 0), r("scroll", "02", "pv", 1), r("answer", "12")])).toEqual([
      "page",
      "scroll",
      "answer",
    ]);
  });
});

describe("placeOf", () => {
  it("reads pageViewId and seq from extraData, and falls back to receivedAt without clientTime", () => {
    expect(
      placeOf({
        clientTime: null,
        receivedAt: "2026-01-01T00:00:00Z",
        extraData: { pageViewId: "pv", seq: 4 },
      }),
    ).toEqual({ pageViewId: "pv", seq: 4, time: "2026-01-01T00:00:00Z" });
    expect(placeOf({ clientTime: "2026-01-02T00:00:00Z", receivedAt: "2026-01-01T00:00:00Z" })).toEqual({
      pageViewId: null,
      seq: null,
      time: "2026-01-02T00:00:00Z",
    });
  });
});
