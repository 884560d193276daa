/**
 * What a participant (and a screen reader) notices about a page's shape:
 * its headings, whether it scrolls sideways, whether the chat header keeps
 * its title and links inside its padding, and what axe-core finds.
 */
import axe from "axe-core";
import type { Frame, Page } from "playwright-core";

/** axe-core's tags for WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
/** Best practices, outside WCAG's tags, that the site keeps too. */
export const HEADING_RULES = ["page-has-heading-one", "heading-order"];

/**
 * axe-core's violations on the page, one line each (rule, impact, the first
 * elements). axe is evaluated from node_modules through the DevTools
 * protocol: the site's CSP allows only scripts with the page's nonce, so an
 * injected `<script>` tag would be refused, and `bypassCSP` would test
 * another page than the one that ships. With JavaScript off Chromium runs
 * promise jobs but no timers and no MutationObserver callbacks, the two ways
 * axe schedules its work: they are pointed at promise jobs first (the page's
 * own scripts do not run, so nothing of the page's is changed).
 */
export async function axeViolations(page: Page | Frame, javaScript: boolean): Promise<string[]> {
  if (!javaScript) {
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      w.MutationObserver = undefined;
      w.WebKitMutationObserver = undefined;
      // axe's waits (a frame that never answers) never end here; its "next tick"s become promise jobs.
      w.setTimeout = (run: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
        if (!ms) void Promise.resolve().then(() => run(...args));
        return 0;
      };
      w.clearTimeout = () => {};
    });
  }
  await page.evaluate(axe.source);
  return page.evaluate(
    ({ tags, rules }) =>
      new Promise<string[]>((resolve, reject) => {
        const w = window as unknown as { axe: typeof axe };
        w.axe.run(
          document,
          {
            runOnly: { type: "tag", values: tags },
            rules: Object.fromEntries(rules.map((rule) => [rule, { enabled: true }])),
            resultTypes: ["violations"],
          },
          (error, results) => {
            if (error) return reject(error);
            resolve(
              results.violations.map(
                (v) =>
                  `${v.id} (${v.impact}): ${v.help} at ${v.nodes
                    .slice(0, 3)
                    .map((n) => n.target.join(" "))
                    .join(", ")}`,
              ),
            );
          },
        );
      }),
    { tags: WCAG_A_AA, rules: HEADING_RULES },
  );
}

export type PageShape = {
  /** The headings in document order, as "h2 Sources". */
  headings: string[];
  /** How far the page scrolls sideways, in CSS pixels (0: not at all). */
  overflowX: number;
};

export async function pageShape(page: Page | Frame): Promise<PageShape> {
  return page.evaluate(() => ({
    headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(
      (h) => `${h.tagName.toLowerCase()} ${h.textContent?.trim().replace(/\s+/g, " ")}`,
    ),
    overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
}

/** Headings that come more than one level below the heading before them (the first must be an h1). */
export function skippedLevels(headings: string[]): string[] {
  let previous = 0;
  return headings.flatMap((heading) => {
    const level = Number(heading[1]);
    const skipped = level > previous + 1 ? [`${heading} after h${previous}`] : [];
    previous = level;
    return skipped;
  });
}

export type ChatHeaderShape = {
  /** Children of the header that reach into its padding or beyond its edges. */
  outside: string[];
  /** The header's left and right padding, in CSS pixels. */
  padding: [number, number];
  /** Whether the title is cut (its text is wider than its box), and whether it ends in an ellipsis then. */
  titleCut: boolean;
  ellipsis: boolean;
  /** The header's top edge within the viewport, and the composer's bottom edge (null: none on the page). */
  headerTop: number;
  composerBottom: number | null;
  viewportHeight: number;
};

export async function chatHeaderShape(page: Page | Frame): Promise<ChatHeaderShape> {
  return page.evaluate(() => {
    const header = document.querySelector(".chat-header");
    const title = header?.querySelector("h1");
    if (!header || !title) throw new Error("the page has no chat header with an h1");
    const box = header.getBoundingClientRect();
    const style = getComputedStyle(header);
    const left = box.left + Number.parseFloat(style.paddingLeft);
    const right = box.right - Number.parseFloat(style.paddingRight);
    const outside = [...header.children].flatMap((child) => {
      const r = child.getBoundingClientRect();
      // Half a pixel for rounding.
      return r.left < left - 0.5 || r.right > right + 0.5
        ? [
            `${child.tagName.toLowerCase()} "${child.textContent}" spans ${r.left}-${r.right}, inside is ${left}-${right}`,
          ]
        : [];
    });
    const titleStyle = getComputedStyle(title);
    return {
      outside,
      padding: [Number.parseFloat(style.paddingLeft), Number.parseFloat(style.paddingRight)],
      titleCut: title.scrollWidth > title.clientWidth,
      ellipsis: titleStyle.textOverflow === "ellipsis" && titleStyle.overflow === "hidden",
      headerTop: box.top,
      composerBottom: document.querySelector("form.composer")?.getBoundingClientRect().bottom ?? null,
      viewportHeight: window.innerHeight,
    };
  });
}
