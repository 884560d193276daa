/**
 * The monitor's plots in Chromium, as a page of their own (they are not on
 * the monitor until its query has the measures): no WCAG A/AA violation
 * (axe-core) with JavaScript on or off, nothing wider than a phone's screen
 * but the tables' own scrolling regions, every SVG drawn at a readable size,
 * and the same in print.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plotsPage } from "../support/plots-page";
import { launchBrowser, type TestBrowser } from "./support";
import { axeViolations, pageShape } from "./support/page-checks";

let browser: TestBrowser;
const html = plotsPage();

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function open(width: number, javaScript: boolean): Promise<Page> {
  const page = await browser.browser.newPage({
    viewport: { width, height: 900 },
    javaScriptEnabled: javaScript,
  });
  await page.setContent(html);
  return page;
}

/** Each plot SVG's rendered width, and its smallest text's height in CSS pixels. */
const svgSizes = (page: Page) =>
  page.$$eval("svg[data-plot-svg]", (svgs) =>
    svgs.map((svg) => ({
      width: svg.getBoundingClientRect().width,
      text: Math.min(...[...svg.querySelectorAll("text")].map((t) => t.getBoundingClientRect().height)),
    })),
  );

describe("the monitor's plots", () => {
  for (const width of [390, 1280]) {
    for (const javaScript of [true, false]) {
      it(`at ${width} px with JavaScript ${javaScript ? "on" : "off"}: accessible, within the screen`, async () => {
        const page = await open(width, javaScript);
        try {
          expect((await pageShape(page)).overflowX).toBe(0);
          expect(await page.locator("#sample svg[data-plot-svg]").count()).toBe(8);
          expect(await page.locator("#empty svg").count()).toBe(0);
          for (const size of await svgSizes(page)) {
            expect(size.width).toBeGreaterThan(300);
            expect(size.width).toBeLessThanOrEqual(width);
            // The smallest labels (the bars' values) stay at least 8 px tall.
            expect(size.text).toBeGreaterThanOrEqual(8);
          }
          // Last: with JavaScript off it takes MutationObserver away, which Playwright's own queries need.
          expect(await axeViolations(page, javaScript)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }

  it("in print, every plot is on the page in one piece with its fill patterns", async () => {
    const page = await open(1280, false);
    try {
      await page.emulateMedia({ media: "print" });
      const figures = await page.$$eval("#sample figure", (all) =>
        all.map((f) => ({
          breakInside: getComputedStyle(f).breakInside,
          height: f.getBoundingClientRect().height,
        })),
      );
      expect(figures).toHaveLength(8);
      for (const f of figures) {
        expect(f.breakInside).toBe("avoid");
        expect(f.height).toBeGreaterThan(0);
      }
      // The bars are filled from patterns defined in their own SVG: print needs no colour to tell them apart.
      const unresolved = await page.$$eval(
        "svg[data-plot-svg] rect[fill^='url(']",
        (rects) =>
          rects.filter((r) => !document.querySelector((r.getAttribute("fill") ?? "").slice(4, -1))).length,
      );
      expect(unresolved).toBe(0);
    } finally {
      await page.close();
    }
  });
});
