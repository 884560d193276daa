import { describe, expect, it } from "vitest";
import { newQuery } from "../../../tests/store-contract/shared";
import { queryColumns, usageColumns } from "../columns";
import { toQueryRecord } from "./records";

/** How a query document reads back: what the contract suite cannot make, a document written by an older release. */
describe("toQueryRecord", () => {
  const received = new Date("2026-03-01T12:00:00.000Z");
  const document = (fields: Record<string, unknown>) => ({
    _id: "q1",
    ...queryColumns(newQuery({ userId: "u" })),
    received_at: received,
    ...fields,
  });

  it("reads a document stored before usage was kept (no `usage` field) as usage null", () => {
    const older = document({});
    expect(Object.keys(older)).not.toContain("usage");
    expect(toQueryRecord(older).usage).toBeNull();
  });

  it("reads the `usage` subdocument under OpenAI's names", () => {
    const usage = { promptTokens: 9, completionTokens: null, totalTokens: 12 };
    expect(toQueryRecord(document({ usage: usageColumns(usage) })).usage).toEqual(usage);
    expect(toQueryRecord(document({ usage: null })).usage).toBeNull();
  });
});
