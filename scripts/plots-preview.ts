/**
 * `npx tsx scripts/plots-preview.ts [dir]`: renders the monitor's plots
 * (web/research/measure-plots.tsx) with made-up measures to an HTML page
 * with the site's CSS, and screenshots it in Chromium at desktop (1280 px)
 * and phone (390 px) width, and as print (PDF). For looking at the plots.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../tests/support/chromium";
import { plotsPage } from "../tests/support/plots-page";

const dir = resolve(process.argv[2] ?? "test-results/plots");
mkdirSync(dir, { recursive: true });
const html = plotsPage();
const file = join(dir, "plots.html");
writeFileSync(file, html);

const executablePath = findChromium();
if (!executablePath) throw new Error("No Chromium found (see tests/support/chromium.ts).");
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`file://${file}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    await page.screenshot({ path: join(dir, `plots-${width}.png`), fullPage: true });
    console.log(`${width} px: ${join(dir, `plots-${width}.png`)} (page scrolls sideways by ${overflow} px)`);
    if (width === 1280) {
      await page.emulateMedia({ media: "print" });
      await page.pdf({ path: join(dir, "plots-print.pdf"), format: "A4" });
      await page.screenshot({ path: join(dir, "plots-print.png"), fullPage: true });
      console.log(`print: ${join(dir, "plots-print.pdf")}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
