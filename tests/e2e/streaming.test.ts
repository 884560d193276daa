/**
 * Streamed answers in the demo study's controlled-stimulus condition, whose
 * scripted answer streams one word every 40 ms: the first words show while
 * the answer is still coming and the text grows, then the stored answer
 * replaces it; Stop keeps what had arrived, stored once with stopped: true;
 * the condition's turn limit replaces the composer with a notice, and the
 * server refuses one more message.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerId,
  ask,
  byPanel,
  DEMO_STUDY_ID,
  exportRecords,
  launchBrowser,
  newParticipant,
  openStudyChat,
  type ProlificVisitor,
  type QueryRecord,
  queriesOf,
  SCREENSHOTS,
  STIMULUS,
  type TestBrowser,
  turns,
  visitorIn,
  waitForExport,
  waitForHydration,
} from "./support";

const QUESTION = "How much coffee is safe per day?";
/** About 200 words of letters and spaces, which the stimulus's fallback repeats as they are. */
const LONG_QUESTION = `Tell me ${"about the history of tea and how people drank it in old times ".repeat(15).trim()}`;
const STUDY = { studyIds: [DEMO_STUDY_ID] };
const WORDS = STIMULUS.answer.split(/\s+/).length;

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const streaming = (page: Page) => page.locator("main article.turn.pending[data-streaming]");

/** Waits until the answer still streaming shows more than `after` (and returns it). */
async function streamedBeyond(page: Page, after: string): Promise<string> {
  const handle = await page.waitForFunction(
    (before) => {
      const text = document.querySelector("main [data-streaming] p.streamed")?.textContent ?? "";
      return text.length > before.length ? text : false;
    },
    after,
    { polling: "raf" },
  );
  return (await handle.jsonValue()) as string;
}

async function sendMessage(page: Page, message: string) {
  await page.getByLabel("Your message").fill(message);
  await page.getByRole("button", { name: "Send" }).click();
}

/** The participant's stored queries in the study, once there are `count`. */
const storedQueries = (visitor: ProlificVisitor, count: number) =>
  waitForExport(
    byPanel(visitor),
    (all) => {
      const queries = queriesOf(all);
      return queries.length >= count ? queries : undefined;
    },
    `${count} stored queries`,
    10_000,
    STUDY,
  );

describe("streamed answers (controlled stimulus, 40 ms a word)", () => {
  it("JS on: the first words show before the end and the text grows, then the stored answer replaces it; ttft and total time are stored", async () => {
    const visitor = await visitorIn("controlled-stimulus");
    const { page } = await newParticipant(browser);
    await openStudyChat(page, visitor);
    await waitForHydration(page);

    const sent = Date.now();
    await sendMessage(page, QUESTION);
    const first = await streamedBeyond(page, "");
    const firstSeenMs = Date.now() - sent;
    expect(await page.locator("button.stop").isVisible()).toBe(true); // Stop, instead of Send
    expect(await streaming(page).locator(".question").textContent()).toBe(QUESTION);
    const later = await streamedBeyond(page, `${first}  `); // a few characters more
    expect(later.startsWith(first)).toBe(true);
    expect(STIMULUS.answer.startsWith(later)).toBe(true); // the raw Markdown, as it arrives
    expect(later.length).toBeLessThan(STIMULUS.answer.length);
    expect(await streaming(page).count()).toBe(1); // still streaming
    await page.screenshot({ path: join(SCREENSHOTS, "streaming-midway.png") });
    // The participant starts typing their next message meanwhile.
    const NEXT = "Is decaf different?";
    await page.getByLabel("Your message").fill(NEXT);

    // The end: the answer from the store, rendered, with its sources, and no live copy.
    const turn = turns(page).first();
    await turn.locator(".answer").waitFor();
    const doneMs = Date.now() - sent;
    await page.locator("main article.turn.pending").waitFor({ state: "detached" });
    expect(await turn.locator(".answer strong").first().textContent()).toBe(
      "up to about 4 cups of coffee a day",
    );
    expect(await turn.locator("section.sources li").count()).toBe(STIMULUS.sources.length);
    expect(await page.getByRole("button", { name: "Send" }).isVisible()).toBe(true);
    expect(await page.getByLabel("Your message").inputValue()).toBe(NEXT); // what they typed stays
    expect(await page.locator(".turns-left").textContent()).toBe(`${STIMULUS.maxTurns - 1} messages left`);
    await page.screenshot({ path: join(SCREENSHOTS, "streaming-done.png") });
    // The first words came well before the end (WORDS words at 40 ms each).
    expect(doneMs - firstSeenMs).toBeGreaterThan(WORDS * STIMULUS.tokenDelayMs * 0.5);

    const [query] = await storedQueries(visitor, 1);
    expect(query).toMatchObject({
      id: await answerId(turn),
      query: QUESTION,
      response: STIMULUS.answer,
      model: "scripted-stimulus",
      condition: "controlled-stimulus",
      stopped: false,
      error: null,
    });
    const ttft = query?.timeToFirstTokenMs ?? -1;
    const total = query?.latencyMs ?? -1;
    expect(ttft).toBeGreaterThanOrEqual(0);
    expect(ttft).toBeLessThanOrEqual(total);
    expect(total - ttft).toBeGreaterThan(WORDS * STIMULUS.tokenDelayMs * 0.5);
  });

  it("JS on: Stop keeps what had arrived: stored once with stopped: true, shown after the reload as stopped", async () => {
    const visitor = await visitorIn("controlled-stimulus");
    const { page } = await newParticipant(browser);
    await openStudyChat(page, visitor);
    await waitForHydration(page);

    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/stream") posts.push(r.postData() ?? "");
    });
    // Not the coffee question: the fallback repeats the message, so this answer streams for
    // about 10 s (40 ms a word) and Stop reaches the server long before its end, even on a
    // busy machine (the 63-word coffee answer could end before a slow click).
    await sendMessage(page, LONG_QUESTION);
    const before = await streamedBeyond(page, "In this study");
    // The participant types their next question meanwhile: Stop must not send it.
    const NEXT = "And what about tea?";
    await page.getByLabel("Your message").fill(NEXT);
    await page.locator("button.stop").click();
    // The live answer stops growing and says so, then the page reloads it from the store.
    await page.locator("main article.turn.pending .stopped-note").waitFor();
    const turn = turns(page).first();
    await turn.locator(".stopped-note").waitFor();
    expect(await turn.locator(".stopped-note").textContent()).toBe("You stopped this answer.");
    await page.locator("main article.turn.pending").waitFor({ state: "detached" });
    await page.screenshot({ path: join(SCREENSHOTS, "streaming-stopped.png") });
    expect(posts, "messages sent").toHaveLength(1);
    expect(await page.getByLabel("Your message").inputValue()).toBe(NEXT);

    const [stopped] = await storedQueries(visitor, 1);
    const response = stopped?.response ?? "";
    expect(stopped).toMatchObject({
      id: await answerId(turn),
      query: LONG_QUESTION,
      stopped: true,
      error: null,
    });
    // A proper prefix of the stimulus: at least what the page showed, not all of it.
    const full = STIMULUS.fallback.replaceAll("{{query}}", LONG_QUESTION);
    expect(response.startsWith(before)).toBe(true);
    expect(full.startsWith(response)).toBe(true);
    expect(response.length).toBeLessThan(full.length);
    expect(stopped?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    // The page shows what was stored.
    const shown = ((await turn.locator(".answer").textContent()) ?? "").replace(/\s+/g, " ").trim();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toContain("In this study the assistant");

    // Stored once: after the reload, and a new message, still one record of it.
    await page.reload();
    await waitForHydration(page);
    expect(await turns(page).count()).toBe(1);
    const queries: QueryRecord[] = queriesOf(await exportRecords(byPanel(visitor), STUDY));
    expect(queries.map((q) => [q.id, q.stopped])).toEqual([[stopped?.id, true]]);
    // A stopped message counts as one of the condition's messages.
    expect(await page.locator(".turns-left").textContent()).toBe(`${STIMULUS.maxTurns - 1} messages left`);
  });

  it(`JS off: after ${STIMULUS.maxTurns} messages the composer gives way to the limit notice, and the server refuses one more`, async () => {
    const visitor = await visitorIn("controlled-stimulus");
    const { page, context } = await newParticipant(browser, { javaScriptEnabled: false });
    await openStudyChat(page, visitor);
    expect(await page.locator(".turns-left").textContent()).toBe(`${STIMULUS.maxTurns} messages left`);
    for (let sent = 1; sent <= STIMULUS.maxTurns; sent++) {
      await ask(page, `${QUESTION} (${sent})`);
      const left = STIMULUS.maxTurns - sent;
      if (left > 0) {
        expect(await page.locator(".turns-left").textContent()).toBe(
          `${left} message${left === 1 ? "" : "s"} left`,
        );
      }
    }
    const notice = page.getByRole("status");
    expect(await notice.textContent()).toBe(
      "You have sent all the messages this study allows. Please finish the study.",
    );
    expect(await page.locator("form.composer").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Finish" }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, "study-turn-limit.png"), fullPage: true });

    // A message posted anyway (an old tab, a script) is refused by the server, and not stored.
    const refused = await context.request.post("/stream", {
      form: { query: "One more?", studyId: DEMO_STUDY_ID, conversationId: "", clientTime: "" },
      headers: { accept: "text/event-stream" },
    });
    expect(await refused.text()).toContain("TURN_LIMIT_REACHED");
    const queries = queriesOf(await exportRecords(byPanel(visitor), STUDY));
    expect(queries).toHaveLength(STIMULUS.maxTurns);
  });
});
