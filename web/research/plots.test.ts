import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { emptyCondition, SAMPLE_CONDITIONS, sampleCondition } from "../../tests/support/measures-sample";
import { MeasurePlots } from "./measure-plots";
import type { ConditionMeasures, RankClickThrough } from "./measures";
import { PositionCurve, type PositionCurveProps } from "./position-curve";
import { linear, niceTicks } from "./scale";

const html = (conditions: ConditionMeasures[]) =>
  renderToStaticMarkup(createElement(MeasurePlots, { conditions }));
const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

/** The markup of the figure with this id. */
function figure(markup: string, id: string): string {
  const start = markup.indexOf(`<figure class="plot" id="${id}"`);
  if (start < 0) throw new Error(`no figure ${id}`);
  return markup.slice(start, markup.indexOf("</figure>", start) + 9);
}

/** The table's body rows: each row's header and cells, as text. */
function rows(markup: string): string[][] {
  const body = markup.slice(markup.indexOf("<tbody>"), markup.indexOf("</tbody>"));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? "").replace(/<[^>]+>/g, ""),
    ),
  );
}

function rank(
  r: number,
  shown: number,
  clicked: number,
  seen = shown,
  seenClicked = clicked,
): RankClickThrough {
  return {
    rank: r,
    shown,
    seen,
    clicked,
    seenClicked,
    clickRate: shown ? clicked / shown : null,
    seenClickRate: seen ? seenClicked / seen : null,
  };
}

const curve = (props: Partial<PositionCurveProps> & Pick<PositionCurveProps, "series">) =>
  renderToStaticMarkup(
    createElement(PositionCurve, { id: "c", caption: "Curve", rank: "displayed", over: "shown", ...props }),
  );

describe("the position curve", () => {
  it("draws a point per condition and rank, and tables each one's counts and rate", () => {
    const markup = figure(html(SAMPLE_CONDITIONS), "ctr-displayed-shown");
    expect(count(markup, /data-series="/g)).toBe(3);
    expect(count(markup, /data-point="/g)).toBe(30);
    const table = rows(markup);
    expect(table).toHaveLength(10);
    const control = SAMPLE_CONDITIONS[0]?.clickThrough.byDisplayedRank[0] as RankClickThrough;
    expect(table[0]?.slice(0, 3)).toEqual(["1", `${control.clicked} / ${control.shown}`, "40.0%"]);
  });

  it("over sources seen divides those seen and clicked by those seen", () => {
    const markup = curve({ over: "seen", series: [{ name: "a", ranks: [rank(1, 10, 5, 4, 3)] }] });
    expect(rows(markup)).toEqual([["1", "3 / 4", "75.0%"]]);
    expect(markup).toContain("Clicked / seen");
  });

  it("by original rank lists the ranks it is given (injected sources have none)", () => {
    const markup = figure(html(SAMPLE_CONDITIONS), "ctr-original-shown");
    expect(rows(markup)).toHaveLength(9);
    expect(count(markup, /data-point="/g)).toBe(27);
  });

  it("leaves out a rank with nothing shown, breaking the line there, and tables it as –", () => {
    const markup = curve({ series: [{ name: "a", ranks: [rank(1, 10, 5), rank(2, 0, 0), rank(3, 10, 1)] }] });
    expect(count(markup, /data-point="/g)).toBe(2);
    const path = markup.match(/<path d="([^"]*)" fill="none"/)?.[1] ?? "";
    expect(count(path, /M/g)).toBe(2);
    expect(count(path, /L/g)).toBe(0);
    expect(rows(markup)[1]).toEqual(["2", "0 / 0", "–"]);
  });

  it("a rank one condition lacks is 0 / 0 there", () => {
    const markup = curve({
      series: [
        { name: "a", ranks: [rank(1, 10, 5), rank(2, 10, 2)] },
        { name: "b", ranks: [rank(1, 4, 1)] },
      ],
    });
    expect(rows(markup)).toEqual([
      ["1", "5 / 10", "50.0%", "1 / 4", "25.0%"],
      ["2", "2 / 10", "20.0%", "0 / 0", "–"],
    ]);
  });
});

describe("the bars", () => {
  const markup = html(SAMPLE_CONDITIONS);

  it("scroll depth: a bar per bucket and condition, its share of those who scrolled", () => {
    const plot = figure(markup, "scroll-depth");
    expect(count(plot, /data-bar="/g)).toBe(30);
    const table = rows(plot);
    expect(table).toHaveLength(10);
    const c = SAMPLE_CONDITIONS[0] as ConditionMeasures;
    const last = c.scrollDepth.buckets[9]?.participants ?? 0;
    expect(table[9]?.slice(0, 3)).toEqual([
      "90–100%",
      `${last} / ${c.scrollDepth.participants}`,
      `${((last / c.scrollDepth.participants) * 100).toFixed(1)}%`,
    ]);
  });

  it("time on task: buckets in order, the last open-ended, and each condition's median", () => {
    const plot = figure(markup, "time-on-task");
    const table = rows(plot);
    expect(table.map((r) => r[0])).toEqual([
      "0 s–1 min",
      "1 min–2 min",
      "2 min–5 min",
      "5 min–10 min",
      "10 min–15 min",
      "15 min–20 min",
      "20 min–30 min",
      "30 min or more",
    ]);
    const c = SAMPLE_CONDITIONS[0] as ConditionMeasures;
    expect(table[3]?.[1]).toBe(`${c.timeOnTask.buckets[3]?.participants} / ${c.timeOnTask.finished}`);
    expect(plot).toContain(`median 5.6 min over ${c.timeOnTask.finished} finished`);
  });

  it("questions: the last count is 'or more', shares of all consented", () => {
    const table = rows(figure(markup, "questions"));
    expect(table.map((r) => r[0])).toEqual(["0", "1", "2", "3", "4", "5 or more"]);
    const c = SAMPLE_CONDITIONS[0] as ConditionMeasures;
    expect(table[1]?.[1]).toBe(`${c.questionsPerParticipant[1]?.participants} / ${c.consented}`);
  });

  it("conversions: every label of any condition, 0 where a condition has none, with events", () => {
    const a = {
      ...emptyCondition("a"),
      consented: 10,
      conversions: [{ label: "buy", events: 7, participants: 4 }],
    };
    const b = {
      ...emptyCondition("b"),
      consented: 5,
      conversions: [{ label: "alpha", events: 1, participants: 1 }],
    };
    const plot = figure(html([a, b]), "conversions");
    expect(count(plot, /data-bar="/g)).toBe(4);
    expect(rows(plot)).toEqual([
      ["alpha", "0 / 10", "0.0%", "0", "1 / 5", "20.0%", "1"],
      ["buy", "4 / 10", "40.0%", "7", "0 / 5", "0.0%", "0"],
    ]);
  });
});

describe("with no data yet", () => {
  const markup = html([emptyCondition("control"), emptyCondition("other")]);

  it("each figure says so, with no SVG and no table", () => {
    expect(count(markup, /<figure /g)).toBe(8);
    expect(count(markup, /No data yet: /g)).toBe(8);
    expect(markup).not.toContain("<svg");
    expect(markup).not.toContain("<table");
  });

  it("buckets with nobody in them count as no data", () => {
    const c = sampleCondition("c", 30, 0.8);
    const none = {
      ...c,
      scrollDepth: {
        participants: 0,
        buckets: c.scrollDepth.buckets.map((b) => ({ ...b, participants: 0 })),
      },
    };
    expect(figure(html([none]), "scroll-depth")).toContain("No data yet: no participant has scrolled.");
  });
});

describe("accessibility", () => {
  const markup = html(SAMPLE_CONDITIONS);

  it("every plot is an image named by its title and described by its desc", () => {
    const images = [...markup.matchAll(/<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"/g)];
    expect(images).toHaveLength(8);
    for (const [, ids] of images) {
      for (const id of (ids ?? "").split(" ")) {
        const text = markup.match(new RegExp(`<(title|desc) id="${id}">([^<]+)</`))?.[2];
        expect(text, id).toBeTruthy();
      }
    }
  });

  it("every figure has a caption, a legend naming each condition, and a table", () => {
    for (const id of [
      "ctr-displayed-shown",
      "ctr-displayed-seen",
      "ctr-original-shown",
      "ctr-original-seen",
    ]) {
      const plot = figure(markup, id);
      expect(plot).toMatch(/<figcaption>[^<]+<\/figcaption>/);
      expect(count(plot, /<li><svg[^>]*aria-hidden="true"/g)).toBe(3);
      expect(plot).toContain("<table");
    }
  });

  it("ids are unique on the page (the fill patterns are referenced by id)", () => {
    const ids = [...markup.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("the swatches in the legends are decorative, the condition names are text", () => {
    const legend = markup.slice(markup.indexOf('<ul class="plot-legend">'), markup.indexOf("</ul>"));
    expect(legend).toContain("<code>control</code>");
    expect(legend).not.toMatch(/<svg(?![^>]*aria-hidden="true")/);
  });
});

describe("the scale", () => {
  it("ticks are round steps reaching the maximum", () => {
    expect(niceTicks(0.4, 4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0.47, 4)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(37, 5)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it("maps 0 to the start and the maximum to the end", () => {
    const y = linear(0.5, 200, 10);
    expect([y(0), y(0.25), y(0.5)]).toEqual([200, 105, 10]);
    expect(linear(0, 5, 50)(3)).toBe(5);
  });
});
