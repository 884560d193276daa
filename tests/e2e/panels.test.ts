/**
 * Each panel's link in and its way back out (api/studies/panels.ts), in
 * Chromium on a Worker of the test's own with one study per panel: the
 * records carry the ids of the panel's own parameters (checked in the
 * export), the completion redirect goes to the panel's host with the ids
 * filled in (the host intercepted), MTurk's externalSubmit form posts
 * assignmentId and the code to turkSubmitTo (the POST intercepted, which
 * also shows the page's form-action lets it through), MTurk's preview
 * stores nothing, a turkSubmitTo that is not MTurk's gets no form, and two
 * pilot links give two participants.
 */
import { randomUUID } from "node:crypto";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportRecords, launchBrowser, newParticipant, type TestBrowser } from "./support";
import { RESEARCHER_TOKEN } from "./support/env";
import { type OwnWorker, startOwnWorker } from "./support/worker";

const CODE = "PANEL-DONE";

function study(id: string, panel: Record<string, unknown> | null, redirectUrl?: string) {
  return {
    id,
    version: 1,
    title: `Panel ${id}`,
    consent: "Do you agree?",
    task: "Ask anything.",
    ...(panel ? { panel } : {}),
    conditions: [
      {
        id: "only",
        llm: { provider: "scripted" },
        script: { tokenDelayMs: 0, rules: [], fallback: { answer: "An answer." } },
      },
    ],
    completion: { code: CODE, redirectDelaySeconds: 0, ...(redirectUrl ? { redirectUrl } : {}) },
  };
}

const SONA_CREDIT =
  "https://test.sona-systems.com/webstudy_credit.aspx?experiment_id=11&credit_token=tok&survey_code={{participantId}}";

const STUDIES = [
  study("p-prolific", null, `https://app.prolific.com/submissions/complete?cc=${CODE}`),
  study("p-mturk", { kind: "mturk" }),
  study(
    "p-connect",
    { kind: "connect" },
    "https://connect.cloudresearch.com/participant/project/{{studyId}}/complete?participantId={{participantId}}",
  ),
  study("p-sona", { kind: "sona" }, SONA_CREDIT),
  study(
    "p-qualtrics",
    { kind: "qualtrics" },
    "https://survey.qualtrics.com/jfe/form/SV_back?ResponseID={{participantId}}",
  ),
  study(
    "p-generic",
    { kind: "generic", params: { participantId: "pid", studyId: "wave", sessionId: "visit" } },
    "https://panel.example/done?pid={{participantId}}&visit={{sessionId}}",
  ),
];

let browser: TestBrowser;
let worker: OwnWorker;

beforeAll(async () => {
  [browser, worker] = await Promise.all([
    launchBrowser(),
    startOwnWorker({ studies: STUDIES, vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN } }),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([browser?.close(), worker?.stop()]);
});

const fromWorker = () => ({ from: { url: worker.url, researcherToken: RESEARCHER_TOKEN } });

/** Records every request to `origin` and answers it with a small page of the panel's (a stand-in). */
async function interceptHost(page: Page, origin: string): Promise<Request[]> {
  const hits: Request[] = [];
  await page.route(`${origin}/**`, (route) => {
    hits.push(route.request());
    return route.fulfill({
      status: 200,
      contentType: "text/html; charset=utf-8",
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Panel (test stand-in)</title></head><body><h1 data-panel-host>Back at the panel</h1></body></html>',
    });
  });
  return hits;
}

/** From the study link through consent and task to the finish step, then finishing (the code, or at once the redirect). */
async function takePart(page: Page, link: string, studyId: string): Promise<void> {
  await page.goto(link);
  await page.getByRole("button", { name: "I agree to take part" }).click();
  await page.locator('.study[data-step="task"]').waitFor();
  await page.goto(`/s/${studyId}/finish`);
  await page.getByRole("button", { name: "Finish and get my code" }).click();
}

/** The finish page's completion code (for a study without a redirect, which would leave the page at once). */
const codeOf = (page: Page) => page.locator("[data-completion-code]").textContent();

/** The panel ids on every stored record of the participant (consent, steps, page views). */
async function panelIdsOf(userId: string) {
  const records = await exportRecords(userId, fromWorker());
  expect(records.length).toBeGreaterThan(0);
  return new Set(
    records.map((r) =>
      JSON.stringify([r.panelParticipantId ?? null, r.prolificStudyId ?? null, r.panelSessionId ?? null]),
    ),
  );
}

const only = (ids: [string | null, string | null, string | null]) => new Set([JSON.stringify(ids)]);

describe("each panel's link in and completion out", () => {
  it.each([
    {
      studyId: "p-prolific",
      query: (id: string) => `PROLIFIC_PID=${id}&STUDY_ID=ps-1&SESSION_ID=se-${id}&workerId=not-this`,
      ids: (id: string) => [id, "ps-1", `se-${id}`] as [string, string, string],
      host: "https://app.prolific.com",
      back: () => `https://app.prolific.com/submissions/complete?cc=${CODE}`,
    },
    {
      studyId: "p-connect",
      query: (id: string) => `participantId=${id}&projectId=proj-1&assignmentId=as-${id}&PROLIFIC_PID=x`,
      ids: (id: string) => [id, "proj-1", `as-${id}`] as [string, string, string],
      host: "https://connect.cloudresearch.com",
      back: (id: string) =>
        `https://connect.cloudresearch.com/participant/project/proj-1/complete?participantId=${id}`,
    },
    {
      studyId: "p-sona",
      query: () => "survey_code=48213",
      ids: () => ["48213", null, null] as [string, null, null],
      host: "https://test.sona-systems.com",
      back: () =>
        "https://test.sona-systems.com/webstudy_credit.aspx?experiment_id=11&credit_token=tok&survey_code=48213",
    },
    {
      studyId: "p-qualtrics",
      query: (id: string) => `ResponseID=R_${id}`,
      ids: (id: string) => [`R_${id}`, null, null] as [string, null, null],
      host: "https://survey.qualtrics.com",
      back: (id: string) => `https://survey.qualtrics.com/jfe/form/SV_back?ResponseID=R_${id}`,
    },
    {
      studyId: "p-generic",
      query: (id: string) => `pid=${id}%20x&wave=w2&visit=v%261`,
      ids: (id: string) => [`${id} x`, "w2", "v&1"] as [string, string, string],
      host: "https://panel.example",
      back: (id: string) => `https://panel.example/done?pid=${id}%20x&visit=v%261`,
    },
  ])("$studyId: the records carry the panel's ids, and the redirect takes them back", async (panel) => {
    const id = `id-${randomUUID().slice(0, 8)}`;
    const participant = await newParticipant(browser, { baseURL: worker.url });
    const hits = await interceptHost(participant.page, panel.host);
    await takePart(participant.page, `/s/${panel.studyId}?${panel.query(id)}`, panel.studyId);
    await participant.page.locator("[data-panel-host]").waitFor();
    expect(hits.map((h) => h.url())).toEqual([panel.back(id)]);
    expect(await panelIdsOf(await participant.userId())).toEqual(only(panel.ids(id)));
  });
});

describe("MTurk", () => {
  const hitLink = (worker: string, submitTo: string) =>
    `/s/p-mturk?assignmentId=as-${worker}&hitId=hit-1&turkSubmitTo=${encodeURIComponent(submitTo)}&workerId=${worker}`;

  it("posts assignmentId and the completion code to <turkSubmitTo>/mturk/externalSubmit", async () => {
    const id = `w-${randomUUID().slice(0, 8)}`;
    const participant = await newParticipant(browser, { baseURL: worker.url });
    const hits = await interceptHost(participant.page, "https://workersandbox.mturk.com");
    await takePart(participant.page, hitLink(id, "https://workersandbox.mturk.com"), "p-mturk");
    expect(await codeOf(participant.page)).toBe(CODE);
    await participant.page.getByRole("button", { name: "Submit the HIT" }).click();
    await participant.page.locator("[data-panel-host]").waitFor();
    expect(hits.map((h) => [h.method(), h.url()])).toEqual([
      ["POST", "https://workersandbox.mturk.com/mturk/externalSubmit"],
    ]);
    expect(Object.fromEntries(new URLSearchParams(hits[0]?.postData() ?? ""))).toEqual({
      assignmentId: `as-${id}`,
      completionCode: CODE,
    });
    // The POST above got through the page's form-action, which names MTurk's hosts.
    const finishPage = await participant.page.goto("/s/p-mturk/finish");
    expect(finishPage?.headers()["content-security-policy"]).toContain(
      "form-action 'self' https://www.mturk.com https://workersandbox.mturk.com;",
    );
    expect(await panelIdsOf(await participant.userId())).toEqual(only([id, "hit-1", `as-${id}`]));
  });

  it("gives no form for a turkSubmitTo that is not MTurk's: the code is shown, nothing goes elsewhere", async () => {
    const id = `w-${randomUUID().slice(0, 8)}`;
    const participant = await newParticipant(browser, { baseURL: worker.url });
    const hits = await interceptHost(participant.page, "https://evil.example");
    await takePart(participant.page, hitLink(id, "https://evil.example"), "p-mturk");
    expect(await codeOf(participant.page)).toBe(CODE);
    expect(await participant.page.locator("[data-panel-submit]").count()).toBe(0);
    expect(hits).toEqual([]);
    expect(await panelIdsOf(await participant.userId())).toEqual(only([id, "hit-1", `as-${id}`]));
  });

  it("shows the preview of a HIT not yet accepted, with no consent form, and stores nothing", async () => {
    const participant = await newParticipant(browser, { baseURL: worker.url });
    const { page } = participant;
    const response = await page.goto("/s/p-mturk?assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&hitId=hit-1");
    // MTurk's HIT page frames the study: its two hosts, and no other origin, may (panelFrameOrigins).
    expect(response?.headers()["content-security-policy"]).toMatch(
      /frame-ancestors https:\/\/www\.mturk\.com https:\/\/workersandbox\.mturk\.com(;|$)/,
    );
    expect(response?.headers()["x-frame-options"]).toBeUndefined();
    await expect.poll(() => page.locator("[data-panel-preview]").textContent()).toContain("accept the HIT");
    expect(await page.getByRole("button", { name: "I agree to take part" }).count()).toBe(0);
    // Give a tracker, were there one, the time to send.
    await page.waitForTimeout(1500);
    const records = await exportRecords(await participant.userId(), fromWorker());
    expect(records).toEqual([]);
  });
});

describe("pilot links", () => {
  it("give each tester, and each visit, a participant of their own, marked as a pilot", async () => {
    const a = await newParticipant(browser, { baseURL: worker.url });
    const b = await newParticipant(browser, { baseURL: worker.url });
    const pids: string[] = [];
    const users: string[] = [];
    for (const tester of [a, b, a]) {
      await tester.page.goto("/s/p-prolific/pilot");
      await tester.page.getByRole("button", { name: "I agree to take part" }).click();
      await tester.page.locator('.study[data-step="task"]').waitFor();
      const link = new URL(tester.page.url());
      users.push(await tester.userId());
      const records = await exportRecords(users.at(-1) ?? "", fromWorker());
      const pid = records[0]?.panelParticipantId ?? "";
      expect(pid).toMatch(/^pilot-/);
      pids.push(pid);
      expect(records.map((r) => r.prolificStudyId)).toEqual(records.map(() => "pilot"));
      expect(link.pathname).toBe("/s/p-prolific/task");
    }
    expect(new Set(users).size).toBe(3);
    expect(new Set(pids).size).toBe(3);
  });
});
