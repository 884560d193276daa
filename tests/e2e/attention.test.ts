/**
 * Attention checks in the chat (api/attention/), in Chromium with
 * JavaScript on and off, on a Worker of the test's own whose LLM is the real
 * `openai` provider talking to the OpenAI stub: the check shows after the
 * first answer as a message from the researchers, set apart from the
 * assistant's answers; the box then answers the check (not the assistant,
 * no turn taken); the model never receives the check or the reply (the
 * stub's request log). A passed check lets the chat go on; a failed one,
 * with maxFailures 1, ends the participation and shows the finish page.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type OpenAiStub, startOpenAiStub } from "../support/openai-stub";
import {
  ask,
  eventsOf,
  exportRecords,
  launchBrowser,
  newParticipant,
  SCREENSHOTS,
  type TestBrowser,
  turns,
  waitForHydration,
} from "./support";
import { RESEARCHER_TOKEN } from "./support/env";
import { axeViolations } from "./support/page-checks";
import { type OwnWorker, startOwnWorker } from "./support/worker";

const API_KEY = "sk-e2e-attention-0123456789";
const CHECK_TEXT = "To show that you are reading carefully, please type the word blue.";
const ANSWER = "Here is what the assistant says.";

function study(id: string, policy: Record<string, unknown>, checkFields: Record<string, unknown> = {}) {
  return {
    id,
    version: 1,
    title: `Attention ${id}`,
    consent: "Do you agree?",
    task: "Ask anything.",
    conditions: [{ id: "only", maxTurns: 5 }],
    completion: { code: "DONE-ATT" },
    outcomes: {
      "failed-attention-check": { code: "FAILED-ATT", message: "Thank you: the study has ended." },
      "screened-out": { code: "SCREENED-ATT", message: "Thank you: this study is for other participants." },
    },
    attentionChecks: [
      {
        id: "colour",
        afterTurns: 1,
        message: `${CHECK_TEXT.replace("blue", "**blue**")}`,
        rule: { equals: "blue" },
        ...checkFields,
      },
    ],
    attentionPolicy: policy,
  };
}

const PASSING = "attention-pass";
const ENDING = "attention-end";
const SCREENING = "attention-screen";

let browser: TestBrowser;
let stub: OpenAiStub;
let worker: OwnWorker;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  stub = await startOpenAiStub({ apiKey: API_KEY });
  browser = await launchBrowser();
  worker = await startOwnWorker({
    studies: [
      study(PASSING, { maxFailures: 2 }),
      study(ENDING, { maxFailures: 1 }),
      // A screening item: its first wrong reply ends the part screened-out, though the policy only flags.
      study(SCREENING, { action: "flag" }, { failOutcome: "screened-out" }),
    ],
    store: "d1",
    vars: {
      RESEARCHER_TOKENS: RESEARCHER_TOKEN,
      LLM_PROVIDER: "openai",
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: stub.url,
      LLM_MODEL: "stub-model",
      LLM_MAX_RETRIES: "0",
    },
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await stub?.close();
});
beforeEach(() => {
  stub.reset();
  stub.respondWith({ text: ANSWER });
});

/** A new participant consents to the study and opens its chat. */
async function inChat(studyId: string, js: boolean) {
  const participant = await newParticipant(browser, { javaScriptEnabled: js, baseURL: worker.url });
  const { page } = participant;
  await page.goto(`/s/${studyId}`);
  await page.getByRole("button", { name: "I agree to take part" }).click();
  await page.getByRole("link", { name: "Start" }).click();
  await page.locator("form.composer").waitFor();
  if (js) await waitForHydration(page);
  return participant;
}

const studyMessage = (page: Page) => page.getByRole("region", { name: "Message from the researchers" });

/** The check as the page shows it: a message from the researchers, not an answer, and the box answers it. */
async function expectCheckShown(page: Page) {
  const message = studyMessage(page);
  await message.waitFor();
  expect(await message.textContent()).toContain(CHECK_TEXT);
  expect(await message.locator("strong").textContent()).toBe("blue");
  // Not in the assistant's voice: outside every answered turn, with a look of its own.
  expect(await page.locator("article.turn .study-message").count()).toBe(0);
  expect(await turns(page).count()).toBe(1);
  const look = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => {
        const style = getComputedStyle(el);
        return { background: style.backgroundColor, border: style.borderStyle };
      });
  expect(await look(".study-message")).not.toEqual(await look(".answer"));
  expect(await page.getByLabel("Your answer to the researchers").count()).toBe(1);
  expect(await page.locator(".turns-left").textContent()).toBe("4 messages left");
}

/** Sends the reply to the check through the chat's box. */
async function replyToCheck(page: Page, reply: string) {
  await page.getByLabel("Your answer to the researchers").fill(reply);
  await page.getByRole("button", { name: "Send answer" }).click();
}

/** What the model was sent, all requests together. */
const sentToModel = () => JSON.stringify(stub.chatRequests().map((r) => r.body?.messages ?? []));

async function attentionEvents(userId: string) {
  const records = await exportRecords(userId, {
    from: { url: worker.url, researcherToken: RESEARCHER_TOKEN },
  });
  return eventsOf(records, "ATTENTION_CHECK").map((e) => e.extraData);
}

describe.each([
  { js: true, name: "js" },
  { js: false, name: "nojs" },
])("attention checks with JavaScript $name", ({ js, name }) => {
  it("a passed check: shown as a message from the researchers after the first answer, answered in the box, never sent to the model", async () => {
    const participant = await inChat(PASSING, js);
    const { page } = participant;
    await ask(page, "What is the first thing?");
    await expectCheckShown(page);
    await page.screenshot({ path: join(SCREENSHOTS, `attention-check-${name}.png`), fullPage: true });
    expect(await axeViolations(page, js), "the chat with a check due").toEqual([]);

    await replyToCheck(page, " Blue ");
    await studyMessage(page).waitFor({ state: "detached" });
    expect(await page.getByLabel("Your message").inputValue(), "the box is emptied of the reply").toBe("");
    expect(await page.locator(".turns-left").textContent(), "the reply took no turn").toBe("4 messages left");

    await ask(page, "And the second thing?");
    expect(await turns(page).count()).toBe(2);
    // The model saw the two questions and the first answer, never the check or the reply.
    expect(stub.chatRequests()).toHaveLength(2);
    const sent = sentToModel();
    expect(sent).toContain("What is the first thing?");
    expect(sent).toContain("And the second thing?");
    expect(sent).not.toContain("blue");
    expect(sent).not.toContain("Blue");
    expect(sent).not.toContain("researchers");

    expect(await attentionEvents(await participant.userId())).toEqual([
      { checkId: "colour", reply: "Blue", passed: true, failures: 0, ended: false },
    ]);
  });

  it("a failed check with maxFailures 1 ends the participation: the finish page, and the chat answers no more", async () => {
    const participant = await inChat(ENDING, js);
    const { page } = participant;
    await ask(page, "What is the first thing?");
    await expectCheckShown(page);
    await replyToCheck(page, "green");
    await page.locator('[data-page-type="finish"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/s/${ENDING}/finish`);
    // The failure outcome's own code, never the completed one.
    expect(await page.locator("[data-completion-code]").textContent()).toBe("FAILED-ATT");
    expect(await page.locator("main").textContent()).toContain("Thank you: the study has ended.");
    await page.screenshot({ path: join(SCREENSHOTS, `attention-failed-${name}.png`), fullPage: true });

    // The chat is closed to them: its address leads to the finish page.
    await page.goto(`/s/${ENDING}/chat`);
    await page.locator('[data-page-type="finish"]').waitFor();
    expect(stub.chatRequests(), "only the first question reached the model").toHaveLength(1);
    expect(sentToModel()).not.toContain("green");
    const userId = await participant.userId();
    expect(await attentionEvents(userId)).toEqual([
      { checkId: "colour", reply: "green", passed: false, failures: 1, ended: true },
    ]);

    // The researchers see it on the participant's timeline and in the participants download.
    const researcher = await newParticipant(browser, { javaScriptEnabled: js, baseURL: worker.url });
    const desk = researcher.page;
    await desk.goto("/research");
    await desk.getByLabel("Researcher token").fill(RESEARCHER_TOKEN);
    await desk.getByRole("button", { name: "Sign in" }).click();
    await desk.getByRole("heading", { name: "Studies", level: 1 }).waitFor();
    await desk.goto(`/research/s/${ENDING}/p/${userId}`);
    const entry = desk.locator('[data-timeline] [data-attention="failed"]');
    expect(await entry.textContent()).toBe(
      "Attention check colour: failed, replied green (1 failed so far); this ended the participation",
    );
    const csv = await (
      await desk.request.get(`${worker.url}/export/participants.csv?studyIds=${ENDING}`)
    ).text();
    const [header = "", ...rows] = csv.trim().split("\r\n");
    const columns = header.split(",");
    const row = rows.map((r) => r.split(",")).find((cells) => cells[columns.indexOf("user_id")] === userId);
    expect(row?.[columns.indexOf("attention_checks_passed")]).toBe("0");
    expect(row?.[columns.indexOf("attention_checks_failed")]).toBe("1");
  });
});

describe("a screening item", () => {
  it("a wrong reply ends the participation screened-out, with that outcome's own code and message", async () => {
    const participant = await inChat(SCREENING, true);
    const { page } = participant;
    await ask(page, "What is the first thing?");
    await expectCheckShown(page);
    await replyToCheck(page, "green");
    await page.locator('[data-page-type="finish"]').waitFor();
    expect(await page.locator("[data-outcome]").getAttribute("data-outcome")).toBe("screened-out");
    expect(await page.locator("[data-completion-code]").textContent()).toBe("SCREENED-ATT");
    expect(await page.locator("main").textContent()).toContain("this study is for other participants");
    expect(await attentionEvents(await participant.userId())).toEqual([
      { checkId: "colour", reply: "green", passed: false, failures: 1, ended: true },
    ]);
  });
});
