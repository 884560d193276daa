/**
 * The demo study (studies/demo.json) as a participant from Prolific meets
 * it: the study link with PROLIFIC_PID, STUDY_ID and SESSION_ID, the steps
 * from consent to the chat, the recruiting platform's completion page (a
 * stand-in), and a participant already assigned to a chosen condition.
 */
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import demo from "../../../studies/demo.json";
import { BASE_URL, RESEARCHER_TOKEN } from "./env";
import { sessionOf } from "./participant";

export const DEMO = demo;
export const DEMO_STUDY_ID = demo.id;
/** What Prolific puts in STUDY_ID: kept on every record as prolificStudyId. */
export const PROLIFIC_STUDY = "demo-prolific";
export type ConditionId = "sources-shown" | "sources-hidden" | "controlled-stimulus";
export const CONDITIONS: ConditionId[] = ["sources-shown", "sources-hidden", "controlled-stimulus"];

/** The controlled stimulus: the scripted answer every participant of that condition gets about coffee. */
export const STIMULUS = (() => {
  const condition = demo.conditions.find((c) => c.id === "controlled-stimulus");
  const rule = condition?.script?.rules.find((r) => new RegExp(r.pattern, "i").test("coffee"));
  if (!condition?.script || !rule || condition.maxTurns == null)
    throw new Error("studies/demo.json: controlled-stimulus has no coffee rule or no turn limit");
  return {
    ...rule,
    /** What it answers any other message with; `{{query}}` is the message. */
    fallback: condition.script.fallback?.answer ?? "",
    tokenDelayMs: condition.script.tokenDelayMs,
    maxTurns: condition.maxTurns,
  };
})();

/**
 * The scripted answer about coffee of the sources-shown and sources-hidden
 * conditions (the same script in both: only the source list differs).
 */
export const SOURCES_ANSWER = (() => {
  const condition = demo.conditions.find((c) => c.id === "sources-shown");
  const rule = condition?.script?.rules.find((r) => new RegExp(r.pattern, "i").test("coffee"));
  if (!rule) throw new Error("studies/demo.json: sources-shown has no script with a coffee rule");
  return rule;
})();

/**
 * A participant as Prolific identifies them: fresh ids for each test, and,
 * once they have one, the session the site issued them (its token).
 */
export type ProlificVisitor = { pid: string; session: string; token?: string };
export const newVisitor = (): ProlificVisitor => ({
  pid: `pp-${randomUUID()}`,
  session: `se-${randomUUID()}`,
});

/** The study link Prolific sends the participant to. */
export const studyLink = ({ pid, session }: ProlificVisitor) =>
  `/s/${DEMO_STUDY_ID}?PROLIFIC_PID=${encodeURIComponent(pid)}&STUDY_ID=${PROLIFIC_STUDY}&SESSION_ID=${encodeURIComponent(session)}`;

export const studyPage = (step = "") => `/s/${DEMO_STUDY_ID}${step ? `/${step}` : ""}`;

/** Which step of the path the page shows (StudyLayout's data-step), or "chat". */
export async function stepOf(page: Page): Promise<string | null> {
  if ((await page.locator('[data-step="chat"]').count()) > 0) return "chat";
  return page.locator(".study[data-step]").getAttribute("data-step");
}

/** The participant id of the page's session (the site's session cookie). */
export async function userIdOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies(BASE_URL)).find((c) => c.name.endsWith("lsp_session"));
  if (!cookie) throw new Error("the site set no session cookie");
  return sessionOf(cookie.value).userId;
}

/**
 * The condition the page's participant is in, as a researcher reads it: the
 * page itself never shows it (participants are blind to their condition).
 */
export async function conditionOf(page: Page): Promise<ConditionId> {
  const { assignment } = await graphql<{ assignment: { condition: string } | null }>(
    "query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { condition } }",
    { s: DEMO_STUDY_ID, u: await userIdOf(page) },
    { authorization: `Bearer ${RESEARCHER_TOKEN}` },
  );
  const condition = assignment?.condition;
  expect(CONDITIONS).toContain(condition);
  return condition as ConditionId;
}

/**
 * From the study link to the chat, as a participant clicks through it:
 * consent ("I agree to take part"), the task ("Start"), the chat. Works with
 * JavaScript on and off; `screenshot` names the files of the consent and
 * task pages. Resolves with the condition the participant was assigned.
 */
export async function enterStudy(
  page: Page,
  visitor: ProlificVisitor,
  screenshot?: (name: string) => Promise<void>,
): Promise<ConditionId> {
  await page.goto(studyLink(visitor));
  await page.locator('.study[data-step="consent"]').waitFor();
  await screenshot?.("consent");
  await page.getByRole("button", { name: "I agree to take part" }).click();
  await page.locator('.study[data-step="task"]').waitFor();
  expect(new URL(page.url()).pathname).toBe(studyPage("task"));
  await screenshot?.("task");
  await page.getByRole("link", { name: "Start" }).click();
  await page.locator('[data-step="chat"] form.composer').waitFor();
  expect(new URL(page.url()).pathname).toBe(studyPage("chat"));
  return conditionOf(page);
}

async function graphql<T>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data)
    throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(body)}`);
  return body.data;
}

/**
 * A participant already in `condition`: assignment is random (weights
 * 1:1:2), so new participants consent through the API's `enroll` (what the
 * consent page's action calls) until one lands there. The others stay
 * enrolled, harmlessly, under their own fresh ids. With probability at
 * least 1/4 per try, 60 tries fail with probability below 1e-7.
 */
export async function visitorIn(condition: ConditionId): Promise<ProlificVisitor> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const visitor = newVisitor();
    // The session the study link would start, then consent with it.
    const { startSession } = await graphql<{ startSession: { token: string; userId: string } }>(
      "mutation($i: StartSessionInput) { startSession(input: $i) { token userId } }",
      {
        i: {
          panelParticipantId: visitor.pid,
          prolificStudyId: PROLIFIC_STUDY,
          panelSessionId: visitor.session,
        },
      },
    );
    await graphql(
      "mutation($i: StudyParticipantInput!) { enroll(input: $i) { assignedAt } }",
      { i: { studyId: DEMO_STUDY_ID } },
      { "x-participant-token": startSession.token },
    );
    const { assignment } = await graphql<{ assignment: { condition: string } }>(
      "query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { condition } }",
      { s: DEMO_STUDY_ID, u: startSession.userId },
      { authorization: `Bearer ${RESEARCHER_TOKEN}` },
    );
    if (assignment.condition === condition) return { ...visitor, token: startSession.token };
    seen.push(assignment.condition);
  }
  throw new Error(`no participant was assigned ${condition} in 60 tries: ${seen.join(", ")}`);
}

/** Opens the study's chat for a participant already assigned (a returning participant from Prolific's link). */
export async function openStudyChat(page: Page, visitor: ProlificVisitor): Promise<ConditionId> {
  // The browser continues the visitor's session (as the browser that consented would).
  if (visitor.token) {
    await page.context().addCookies([{ name: "lsp_session", value: visitor.token, url: BASE_URL }]);
  }
  await page.goto(studyLink(visitor));
  await page.locator('[data-step="chat"]').waitFor();
  expect(new URL(page.url()).pathname).toBe(studyPage("chat"));
  return conditionOf(page);
}

/**
 * Prolific's completion page, fulfilled by a stand-in: resolves the URLs
 * the browser was sent to there.
 */
export async function interceptProlific(page: Page): Promise<string[]> {
  const hits: string[] = [];
  await page.route("https://app.prolific.com/**", (route) => {
    hits.push(route.request().url());
    return route.fulfill({
      status: 200,
      contentType: "text/html; charset=utf-8",
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Prolific (test stand-in)</title></head><body><h1 data-prolific>Submission complete</h1></body></html>',
    });
  });
  return hits;
}
