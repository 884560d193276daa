/** The chat page's actions, as a participant does them. */
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

/** The answered turns on the page (the pending one has no data-answer-id yet). */
export const turns = (page: Page) => page.locator("main article.turn[data-answer-id]");

/**
 * Waits until React has hydrated the chat form (or the form `selector`
 * names), so a submit goes through Remix, not a full page load.
 */
export async function waitForHydration(page: Page, selector = "form.composer"): Promise<void> {
  await page.waitForFunction((selector) => {
    const form = document.querySelector(selector);
    return form !== null && Object.keys(form).some((key) => key.startsWith("__reactProps"));
  }, selector);
}

/** Types a question and sends it; resolves with the new answered turn. Works with JS on and off. */
export async function ask(page: Page, question: string): Promise<Locator> {
  const before = await turns(page).count();
  await page.getByLabel("Your message").fill(question);
  await page.getByRole("button", { name: "Send" }).click();
  const turn = turns(page).nth(before);
  await turn.locator(".answer").waitFor();
  expect(await turn.locator(".question").textContent()).toBe(question);
  return turn;
}

/** The stored id of an answered turn (QueryRecord.id; events about it carry it as queryId). */
export async function answerId(turn: Locator): Promise<string> {
  const id = await turn.getAttribute("data-answer-id");
  if (!id) throw new Error("the turn has no data-answer-id");
  return id;
}
