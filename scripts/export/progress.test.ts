import { describe, expect, it } from "vitest";
import { progressLine } from "./progress";

describe("progressLine", () => {
  it("shows rows of the total, the rate of this run and the time left, with a bar on a terminal", () => {
    const snapshot = { table: "events", rows: 3000, total: 12000, ms: 2000, startRows: 1000 };
    expect(progressLine(snapshot, true)).toBe(
      "events  [######------------------]  3,000/12,000 rows (25%)  1,000 rows/s  0:09 left",
    );
    expect(progressLine(snapshot, false)).toBe("events  3,000/12,000 rows (25%)  1,000 rows/s  0:09 left");
  });

  it("shows rows and rate only when the table has no count", () => {
    expect(progressLine({ table: "sources", rows: 500, total: null, ms: 1000, startRows: 0 }, true)).toBe(
      "sources  500 rows  500 rows/s",
    );
  });
});
