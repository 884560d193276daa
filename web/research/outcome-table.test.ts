import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OutcomeTable } from "./outcome-table";

type Conditions = Parameters<typeof OutcomeTable>[0]["conditions"];

const html = (conditions: Conditions) => renderToStaticMarkup(createElement(OutcomeTable, { conditions }));

/** The table's rows (head and body): each row's cells, as text. */
const rows = (markup: string) =>
  [...markup.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? "").replace(/<[^>]+>/g, ""),
    ),
  );

describe("OutcomeTable", () => {
  it("has one column per outcome any condition has, in code-point order, 0 where a condition has none", () => {
    const markup = html([
      {
        condition: "a",
        finished: 3,
        outcomes: [
          { outcome: "completed", participants: 2 },
          { outcome: "timed-out", participants: 1 },
        ],
      },
      { condition: "b", finished: 1, outcomes: [{ outcome: "screened-out", participants: 1 }] },
      { condition: "c", finished: 0, outcomes: [] },
    ]);
    expect(rows(markup)).toEqual([
      ["Condition", "completed", "screened-out", "timed-out", "Finished"],
      ["a", "2", "0", "1", "3"],
      ["b", "0", "1", "0", "1"],
      ["c", "0", "0", "0", "0"],
    ]);
  });

  it("says so while nobody has finished", () => {
    expect(html([{ condition: "a", finished: 0, outcomes: [] }])).toBe(
      '<p data-table="outcomes">No participant has finished yet.</p>',
    );
  });
});
