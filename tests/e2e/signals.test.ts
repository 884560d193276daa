/**
 * Input signals in Chromium (docs/tracking.md#input-signals): in a study
 * with botSignals on, one participant types their question key by key
 * (page.keyboard.type with a delay) and another pastes theirs (a real paste:
 * the text written to the clipboard with clipboard permissions granted,
 * then Control+V in the question box); the researcher's participant list
 * and the participants download then flag the paster (pasted-whole-message)
 * and not the typist, and the timeline shows each message's signals. A
 * participant with JavaScript off, and a study without botSignals, record
 * none. On a Worker of its own, on the project's store.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvObjects } from "../support/csv";
import {
  launchBrowser,
  newParticipant,
  type Participant,
  type TestBrowser,
  waitForHydration,
} from "./support";
import { RESEARCHER_TOKEN } from "./support/env";
import { type OwnWorker, startOwnWorker } from "./support/worker";

const study = (id: string, fields: Record<string, unknown>) => ({
  id,
  version: 1,
  title: `Signals ${id}`,
  task: "Ask the assistant one question.",
  conditions: [
    {
      id: "only",
      llm: { provider: "scripted" },
      script: {
        model: "scripted-signals",
        tokenDelayMs: 0,
        rules: [],
        fallback: { answer: "Thank you for asking." },
      },
    },
  ],
  completion: { code: "SIG2026" },
  consent: "We record your messages.",
  ...fields,
});

const ON = study("signals-on", {
  botSignals: true,
  consent:
    "We record your messages, and how you write them: how many characters you paste, your keystrokes and typing time, never what you type or paste.",
});
const OFF = study("signals-off", {});

/** Typed at one key per 100 ms: at most 10 characters a second, under the 15 of inhuman-typing. */
const QUESTION = "How much coffee a day is fine?";
const PASTED = "Summarise the evidence on coffee and heart disease in three bullet points.";

let browser: TestBrowser;
let worker: OwnWorker;
beforeAll(async () => {
  browser = await launchBrowser();
  worker = await startOwnWorker({ studies: [ON, OFF], vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN } });
});
afterAll(async () => {
  await worker?.stop();
  await browser?.close();
});

/** Consent, task, chat, as a participant from a panel arrives. */
async function enter(who: Participant, studyId: string, javaScript = true): Promise<Page> {
  const { page } = who;
  await page.goto(`/s/${studyId}?PROLIFIC_PID=pp-${crypto.randomUUID()}`);
  await page.getByRole("button", { name: "I agree to take part" }).click();
  await page.getByRole("link", { name: "Start" }).click();
  await page.locator('[data-step="chat"] form.composer').waitFor();
  if (javaScript) await waitForHydration(page);
  return page;
}

async function answered(page: Page, question: string) {
  const turn = page.locator("main article.turn[data-answer-id]").filter({ hasText: question });
  await turn.locator(".answer").waitFor();
}

async function researcherGraphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${worker.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${RESEARCHER_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body));
  return body.data;
}

const SIGNALS_OF = `query($u: [ID!]) { export(filter: { userIds: $u, kinds: [QUERY] }, first: 10) {
  edges { node { ... on QueryRecord { query inputSignals { pastedChars pastes keystrokes typingMs length flags } } } } } }`;

async function signalsOf(userId: string) {
  const data = await researcherGraphql<{
    export: { edges: { node: { query: string; inputSignals: Record<string, unknown> | null } }[] };
  }>(SIGNALS_OF, { u: [userId] });
  return data.export.edges.map((e) => e.node);
}

async function participantsCsv(studyId: string) {
  const response = await fetch(`${worker.url}/export/participants.csv?studyIds=${studyId}`, {
    headers: { authorization: `Bearer ${RESEARCHER_TOKEN}` },
  });
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return csvObjects(body);
}

describe("input signals in Chromium", () => {
  it("flags a pasted question and not a typed one, in the participant list, the timeline and the download", async () => {
    const typist = await newParticipant(browser, { baseURL: worker.url });
    const typing = await enter(typist, ON.id);
    expect(await typing.locator("input[data-input-signals]").count()).toBe(1);
    await typing.getByLabel("Your message").click();
    await typing.keyboard.type(QUESTION, { delay: 100 });
    await typing.keyboard.press("Enter");
    await answered(typing, QUESTION);

    const paster = await newParticipant(browser, {
      baseURL: worker.url,
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const pasting = await enter(paster, ON.id);
    await pasting.evaluate((text) => navigator.clipboard.writeText(text), PASTED);
    await pasting.getByLabel("Your message").click();
    await pasting.keyboard.press("Control+V");
    expect(await pasting.getByLabel("Your message").inputValue()).toBe(PASTED);
    await pasting.keyboard.press("Enter");
    await answered(pasting, PASTED);

    const [typed] = await signalsOf(await typist.userId());
    expect(typed?.inputSignals).toMatchObject({
      pastedChars: 0,
      pastes: 0,
      keystrokes: QUESTION.length,
      length: QUESTION.length,
      flags: [],
    });
    expect(typed?.inputSignals?.typingMs as number).toBeGreaterThanOrEqual((QUESTION.length - 1) * 100);
    const [pasted] = await signalsOf(await paster.userId());
    // Control+V is a shortcut, not a key press that types.
    expect(pasted?.inputSignals).toMatchObject({
      pastedChars: PASTED.length,
      pastes: 1,
      keystrokes: 0,
      length: PASTED.length,
      flags: ["pasted-whole-message"],
    });

    // The researcher's participant list.
    const researcher = await newParticipant(browser, { baseURL: worker.url });
    const { page } = researcher;
    await page.goto("/research");
    await page.getByLabel("Researcher token").fill(RESEARCHER_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Studies", level: 1 }).waitFor();
    await page.goto(`/research/s/${ON.id}`);
    const row = (userId: string) => page.locator(`[data-table="participant-list"] tr[data-user="${userId}"]`);
    const pasterRow = row(await paster.userId());
    expect(await pasterRow.locator("[data-flags]").getAttribute("data-flags")).toBe("pasted-whole-message");
    expect(await pasterRow.locator("[data-pasted-messages]").textContent()).toBe("1 of 1");
    const typistRow = row(await typist.userId());
    expect(await typistRow.locator("[data-flags]").getAttribute("data-flags")).toBe("");
    expect(await typistRow.locator("[data-pasted-messages]").textContent()).toBe("0 of 1");

    // The paster's timeline shows the message's signals.
    await pasterRow.getByRole("link").click();
    const line = page.locator(".timeline-signals");
    await line.waitFor();
    expect(await line.getAttribute("data-signals")).toBe("pasted-whole-message");
    expect(await line.textContent()).toContain(
      `${PASTED.length} characters, ${PASTED.length} pasted in 1 paste`,
    );

    // The participants download.
    const rows = await participantsCsv(ON.id);
    const csvRow = async (who: Participant) => {
      const userId = await who.userId();
      return rows.find((r) => r.user_id === userId);
    };
    expect(await csvRow(paster)).toMatchObject({
      signal_messages: "1",
      pasted_messages: "1",
      pasted_chars: String(PASTED.length),
      typed_messages: "0",
      flags: "pasted-whole-message",
    });
    expect(await csvRow(typist)).toMatchObject({
      signal_messages: "1",
      pasted_messages: "0",
      pasted_chars: "0",
      typed_messages: "1",
      flags: "",
    });
    expect(Number((await csvRow(typist))?.median_chars_per_second)).toBeGreaterThan(0);
  });

  it("records none with JavaScript off, nor in a study without botSignals", async () => {
    const noScript = await newParticipant(browser, { baseURL: worker.url, javaScriptEnabled: false });
    const plain = await enter(noScript, ON.id, false);
    await plain.getByLabel("Your message").fill(QUESTION);
    await plain.getByRole("button", { name: "Send" }).click();
    await answered(plain, QUESTION);
    expect(await signalsOf(await noScript.userId())).toEqual([{ query: QUESTION, inputSignals: null }]);

    const elsewhere = await newParticipant(browser, { baseURL: worker.url });
    const off = await enter(elsewhere, OFF.id);
    expect(await off.locator("input[data-input-signals]").count()).toBe(0);
    await off.getByLabel("Your message").click();
    await off.keyboard.type(QUESTION, { delay: 20 });
    await off.keyboard.press("Enter");
    await answered(off, QUESTION);
    expect(await signalsOf(await elsewhere.userId())).toEqual([{ query: QUESTION, inputSignals: null }]);
    const rows = await participantsCsv(OFF.id);
    const userId = await elsewhere.userId();
    expect(rows.find((r) => r.user_id === userId)).toMatchObject({ signal_messages: "0", flags: "" });
  });
});
