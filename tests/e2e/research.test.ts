/**
 * The researcher's pages, as a researcher uses them, with JavaScript on and
 * off: sign in at /research (a wrong token is refused and sets nothing), the
 * studies list, a study's monitor after simulated participants in several
 * conditions (consent shown, declined, enrolled through the API, answers,
 * one finished, one withdrawn) showing the right counts, the monitor
 * refreshing itself with JavaScript on, and sign out. Every page: no WCAG
 * A/AA violation (axe-core), never framed, never cached. On a Worker of its
 * own (on the project's store: D1 or either MongoDB adapter), with
 * RESEARCHER_TOKENS set and a study that assigns in balance.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO, launchBrowser, newParticipant, type TestBrowser } from "./support";
import { RESEARCHER_TOKEN } from "./support/env";
import { axeViolations, pageShape } from "./support/page-checks";
import { type OwnWorker, startOwnWorker } from "./support/worker";

/** The demo's conditions (weights 1:1:2), assigned in balance, finishing without criteria. */
const STUDY = {
  ...DEMO,
  id: "monitor-journey",
  title: "Monitor journey",
  assignment: "balanced",
  completion: { code: "MON2026" },
};

let browser: TestBrowser;
let worker: OwnWorker;
beforeAll(async () => {
  browser = await launchBrowser();
  worker = await startOwnWorker({ studies: [STUDY], vars: { RESEARCHER_TOKENS: RESEARCHER_TOKEN } });
});
afterAll(async () => {
  await worker?.stop();
  await browser?.close();
});

async function graphql<T>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${worker.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data)
    throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(body)}`);
  return body.data;
}

type Simulated = { userId: string; sessionId: string; token: string; condition: string | null };

/** A participant who was shown the consent page (the STUDY_STEP the page logs), through the API. */
async function shownConsent(): Promise<Simulated> {
  const { startSession: s } = await graphql<{
    startSession: { token: string; userId: string; sessionId: string };
  }>("mutation($i: StartSessionInput) { startSession(input: $i) { token userId sessionId } }", {
    i: { studyId: STUDY.id, panelParticipantId: `pp-${randomUUID()}` },
  });
  const p = { userId: s.userId, sessionId: s.sessionId, token: s.token, condition: null };
  await step(p, "consent_shown");
  return p;
}

async function step(p: Simulated, name: string) {
  await graphql(
    "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
    {
      e: [
        {
          eventId: randomUUID(),
          userId: p.userId,
          sessionId: p.sessionId,
          studyId: STUDY.id,
          eventType: "STUDY_STEP",
          extraData: { step: name },
        },
      ],
    },
    { "x-participant-token": p.token },
  );
}

async function enrol(p: Simulated): Promise<Simulated> {
  await graphql(
    "mutation($i: StudyParticipantInput!) { enroll(input: $i) { assignedAt } }",
    { i: { studyId: STUDY.id } },
    { "x-participant-token": p.token },
  );
  const { assignment } = await graphql<{ assignment: { condition: string } }>(
    "query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { condition } }",
    { s: STUDY.id, u: p.userId },
    { authorization: `Bearer ${RESEARCHER_TOKEN}` },
  );
  return { ...p, condition: assignment.condition };
}

async function ask(p: Simulated) {
  await graphql(
    "mutation($i: QueryInput!) { query(input: $i) { id } }",
    { i: { userId: p.userId, sessionId: p.sessionId, studyId: STUDY.id, query: "Is coffee bad for sleep?" } },
    { "x-participant-token": p.token },
  );
}

/** What the monitor should show per condition, counted from what the test did. */
type Expected = Record<string, { consented: number; finished: number; withdrawn: number; answers: number }>;
const expected: Expected = Object.fromEntries(
  STUDY.conditions.map((c) => [c.id, { consented: 0, finished: 0, withdrawn: 0, answers: 0 }]),
);
/** Participants shown the consent page (a withdrawal deletes theirs, so it counts no more) and consented. */
const totals = { shown: 0, consented: 0 };
const at = (condition: string | null) => {
  const entry = condition ? expected[condition] : undefined;
  if (!entry) throw new Error(`no condition ${condition}`);
  return entry;
};

beforeAll(async () => {
  // Six shown the consent page; one declines; five consent (balanced: 1, 1, 2 over 1:1:2, then one more).
  const shown = await Promise.all(Array.from({ length: 6 }, shownConsent));
  totals.shown += 6;
  const [decliner, ...rest] = shown as [Simulated, ...Simulated[]];
  await step(decliner, "consent_declined");
  const enrolled: Simulated[] = [];
  for (const p of rest) enrolled.push(await enrol(p));
  for (const [i, p] of enrolled.entries()) {
    at(p.condition).consented++;
    totals.consented++;
    // The first asks twice, the others once.
    for (let n = 0; n < (i === 0 ? 2 : 1); n++) {
      await ask(p);
      at(p.condition).answers++;
    }
  }
  const [, finisher, leaver] = enrolled as [Simulated, Simulated, Simulated];
  await graphql(
    "mutation($i: StudyParticipantInput!) { finishStudy(input: $i) { code } }",
    { i: { studyId: STUDY.id } },
    { "x-participant-token": finisher.token },
  );
  at(finisher.condition).finished++;
  await graphql(
    "mutation($s: ID!) { withdraw(studyId: $s) { deletedQueries } }",
    { s: STUDY.id },
    { "x-participant-token": leaver.token },
  );
  at(leaver.condition).consented--;
  totals.consented--;
  totals.shown--;
  at(leaver.condition).withdrawn++;
  at(leaver.condition).answers--;
}, 60_000);

async function expectAccessible(page: Page, javaScript: boolean, name: string) {
  expect(await axeViolations(page, javaScript), name).toEqual([]);
}

async function signIn(page: Page, token: string) {
  await page.getByLabel("Researcher token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const researchCookie = async (page: Page) =>
  (await page.context().cookies(worker.url)).find((c) => c.name.endsWith("lsp_research"));

async function expectMonitorCounts(page: Page) {
  const total = (name: string) => page.locator(`[data-total="${name}"]`).textContent();
  expect(await total("consentShown")).toBe(String(totals.shown));
  expect(await total("consentDeclined")).toBe("1");
  expect(await total("consented")).toBe(String(totals.consented));
  for (const [condition, counts] of Object.entries(expected)) {
    const row = page.locator(`[data-table="participants"] tr[data-condition="${condition}"] td`);
    const cells = await row.allTextContents();
    // Consented, in progress, finished, withdrawn.
    expect(cells.slice(0, 4), condition).toEqual(
      [counts.consented, counts.consented - counts.finished, counts.finished, counts.withdrawn].map(String),
    );
    const answers = await page
      .locator(`[data-table="answers"] tr[data-condition="${condition}"] td`)
      .first()
      .textContent();
    expect(answers, condition).toBe(String(counts.answers));
    // What produced them: the answers of the condition's rows add up, and all were produced alike.
    const provenance = page.locator(`[data-table="provenance"] tr[data-condition="${condition}"]`);
    const perRow = await provenance.locator("td:last-child").allTextContents();
    expect(
      perRow.reduce((n, cell) => n + Number(cell), 0),
      condition,
    ).toBe(counts.answers);
    expect(await provenance.locator("xpath=self::*[@data-mixed]").count(), condition).toBe(0);
  }
  await expectMeasurePlots(page);
}

/** The measures' eight plots, each with its table (or saying it has no data); questions per participant add up to each condition's consented. */
async function expectMeasurePlots(page: Page) {
  const plots = await page.locator("figure[data-plot]").evaluateAll((figures) =>
    figures.map((f) => ({
      id: f.getAttribute("data-plot"),
      svg: f.querySelectorAll('svg[role="img"]').length,
      table: f.querySelectorAll("table").length,
      empty: f.querySelectorAll("[data-empty]").length,
    })),
  );
  expect(plots.map((p) => p.id)).toEqual([
    "ctr-displayed-shown",
    "ctr-displayed-seen",
    "ctr-original-shown",
    "ctr-original-seen",
    "scroll-depth",
    "time-on-task",
    "questions",
    "conversions",
  ]);
  for (const p of plots)
    expect(p.empty === 1 ? [0, 0] : [p.svg, p.table], p.id ?? "").toEqual(p.empty === 1 ? [0, 0] : [1, 1]);
  const questions = page.locator('table[data-table="questions"]');
  const names = await questions.locator("thead tr").first().locator("th").allTextContents();
  const rows = await questions
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
  names.forEach((name, i) => {
    const cells = rows.map((r) => (r[i * 2] ?? "").split(" / ").map(Number));
    const consented = expected[name]?.consented;
    expect(
      cells.reduce((n, [count]) => n + (count ?? 0), 0),
      name,
    ).toBe(consented);
    for (const [, of] of cells) expect(of, name).toBe(consented);
  });
}

describe("researcher pages", () => {
  it("run on the project's store", async () => {
    const { status } = await graphql<{ status: { store: { name: string; ok: boolean } } }>(
      "{ status { store { name ok } } }",
      {},
    );
    expect(status.store).toEqual({ name: inject("store"), ok: true });
  });

  for (const javaScript of [true, false]) {
    it(`sign in, the studies, a study's monitor with the right counts, sign out (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const researcher = await newParticipant(browser, {
        javaScriptEnabled: javaScript,
        baseURL: worker.url,
      });
      // The wrong token's answer is a 401.
      researcher.allowConsoleError(/status of 401/);
      const { page } = researcher;
      const first = await page.goto("/research");
      expect(first?.headers()["cache-control"]).toBe("no-store");
      expect(first?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await expectAccessible(page, javaScript, "sign-in form");

      // A wrong token: an error, no cookie.
      await signIn(page, "not-the-token");
      await expect(page.getByRole("alert").textContent()).resolves.toContain("not a researcher token");
      expect(await researchCookie(page)).toBeUndefined();
      await expectAccessible(page, javaScript, "sign-in form with its error");

      await signIn(page, RESEARCHER_TOKEN);
      await page.getByRole("heading", { name: "Studies", level: 1 }).waitFor();
      const cookie = await researchCookie(page);
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe("Strict");
      const row = page.locator(`tr[data-study="${STUDY.id}"]`);
      expect(await row.locator("td").first().textContent()).toBe(String(STUDY.version));
      expect(await row.locator("code.hash").textContent()).toMatch(/^[0-9a-f]{64}$/);
      for (const c of STUDY.conditions) expect(await row.textContent()).toContain(c.id);
      await expectAccessible(page, javaScript, "studies list");

      await row.getByRole("link", { name: STUDY.title }).click();
      await page.getByRole("heading", { name: `Monitor: ${STUDY.title}` }).waitFor();
      await expectMonitorCounts(page);
      expect(await page.locator(`svg[data-plot-svg="consented-share"] [data-bar]`).count()).toBe(
        STUDY.conditions.length,
      );
      await expectAccessible(page, javaScript, "monitor");

      if (javaScript) {
        // A new participant arrives: the page shows them without a reload.
        await page.evaluate(() => {
          (window as unknown as { notReloaded: boolean }).notReloaded = true;
        });
        const p = await enrol(await shownConsent());
        at(p.condition).consented++;
        totals.consented++;
        totals.shown++;
        await page
          .locator('[data-total="consented"]', { hasText: String(totals.consented) })
          .waitFor({ timeout: 30_000 });
        const notReloaded = await page.evaluate(
          () => (window as unknown as { notReloaded?: boolean }).notReloaded,
        );
        expect(notReloaded).toBe(true);
        await expectMonitorCounts(page);
      } else {
        await page.getByRole("link", { name: "Refresh" }).click();
        await page.getByRole("heading", { name: `Monitor: ${STUDY.title}` }).waitFor();
      }

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
      expect(await researchCookie(page)).toBeUndefined();
      // The monitor is behind the sign-in again.
      await page.goto(`/research/s/${STUDY.id}`);
      expect(new URL(page.url()).pathname).toBe("/research");
      await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
    });
  }
});

/** A consented participant in a condition that shows sources (enrolling more until one lands there; all counted). */
async function enrolledWithSources(): Promise<Simulated> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = await enrol(await shownConsent());
    totals.shown++;
    totals.consented++;
    at(p.condition).consented++;
    if (p.condition !== "sources-hidden") return p;
  }
  throw new Error("nobody was assigned a condition that shows sources");
}

const iso = (ms: number) => new Date(ms).toISOString();

type Answer = { id: string; displayedResponse: string; sources: { rank: number; url: string }[] };

/**
 * A visit as the chat's tracker records it, through the API: a page view,
 * the question (clientTime 2 s in), the answer in view, a click on its
 * second source, a scroll whose device clock jumped back (seq orders it),
 * the exposure summary with the time away, and a conversion.
 */
async function visit(p: Simulated, t0: number): Promise<Answer> {
  const { query } = await graphql<{ query: Answer }>(
    "mutation($i: QueryInput!) { query(input: $i) { id displayedResponse sources { rank url } } }",
    {
      i: {
        userId: p.userId,
        sessionId: p.sessionId,
        studyId: STUDY.id,
        query: "Is coffee bad for sleep?",
        clientTime: iso(t0 + 2000),
      },
    },
    { "x-participant-token": p.token },
  );
  at(p.condition).answers++;
  const clicked = query.sources[1] ?? query.sources[0];
  if (!clicked) throw new Error("the answer has no sources");
  const pageViewId = randomUUID();
  const event = (
    seq: number,
    ms: number,
    fields: Record<string, unknown>,
    extra: Record<string, unknown>,
  ) => ({
    eventId: seq === 0 ? pageViewId : randomUUID(),
    userId: p.userId,
    sessionId: p.sessionId,
    studyId: STUDY.id,
    clientTime: iso(t0 + ms),
    ...fields,
    extraData: { pageViewId, seq, ...extra },
  });
  await graphql(
    "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
    {
      e: [
        event(0, 0, { eventType: "BROWSE" }, { kind: "page", pageType: "chat" }),
        event(1, 5000, { eventType: "BROWSE", queryId: query.id }, { kind: "answer" }),
        event(
          2,
          8000,
          { eventType: "CLICK", queryId: query.id, targetUrl: clicked.url },
          { element: "source-list", rank: clicked.rank, originalRank: clicked.rank },
        ),
        event(3, 1000, { eventType: "SCROLL", queryId: query.id }, { scrollDepth: 0.5 }),
        event(
          4,
          20_000,
          { eventType: "BROWSE", queryId: query.id },
          {
            kind: "exposure",
            sources: query.sources.map((s) => ({
              url: s.url,
              rank: s.rank,
              originalRank: s.rank,
              visibleMs: 1000,
              hovers: 0,
              hoverMs: 0,
              clicks: s.url === clicked.url ? 1 : 0,
              awayMs: s.url === clicked.url ? 4000 : 0,
            })),
          },
        ),
        event(5, 25_000, { eventType: "CONVERSION" }, { label: "done-reading" }),
      ],
    },
    { "x-participant-token": p.token },
  );
  return query;
}

describe("a participant's timeline", () => {
  for (const javaScript of [true, false]) {
    it(`from the monitor's list, in order, with the answer's sources as shown, then withdrawn (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const p = await enrolledWithSources();
      // After the study steps the server stamped (consent shown, given).
      const answer = await visit(p, Date.now() + 1000);
      const researcher = await newParticipant(browser, {
        javaScriptEnabled: javaScript,
        baseURL: worker.url,
      });
      // After the withdrawal the timeline is a 404 that says so.
      researcher.allowConsoleError(/status of 404/);
      const { page } = researcher;
      await page.goto("/research");
      await signIn(page, RESEARCHER_TOKEN);
      await page.getByRole("heading", { name: "Studies", level: 1 }).waitFor();
      await page.goto(`/research/s/${STUDY.id}`);
      const row = page.locator(`[data-table="participant-list"] tr[data-user="${p.userId}"]`);
      // The latest consent first.
      expect(
        await page.locator('[data-table="participant-list"] tbody tr').first().getAttribute("data-user"),
      ).toBe(p.userId);
      expect(await row.locator("td").allTextContents()).toEqual([
        p.condition,
        "in progress",
        "1",
        "1",
        // Pasted messages and input flags: the study does not record input signals.
        "–",
        "not recorded",
        expect.any(String),
      ]);
      for (const table of ["answers", "sources", "events", "participants"])
        for (const format of ["CSV", "NDJSON"]) {
          const href = await page.getByRole("link", { name: `${table} as ${format}` }).getAttribute("href");
          expect(href).toBe(`/export/${table}.${format.toLowerCase()}?studyIds=${STUDY.id}`);
          const download = await page.request.get(`${worker.url}${href}`);
          expect(download.status(), href ?? "").toBe(200);
        }
      await expectAccessible(page, javaScript, "monitor with its participants");
      expect((await pageShape(page)).overflowX).toBe(0);
      if (javaScript) {
        mkdirSync("/tmp/screens", { recursive: true });
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: `/tmp/screens/monitor-${width}.png`, fullPage: true });
          expect((await pageShape(page)).overflowX, `monitor at ${width} px`).toBe(0);
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }

      await row.getByRole("link").click();
      await page.getByRole("heading", { name: `Participant ${p.userId}` }).waitFor();
      expect(await page.locator('[data-fact="condition"]').textContent()).toBe(p.condition);
      const entries = await page
        .locator("[data-timeline] > li")
        .evaluateAll((items) => items.map((li) => li.getAttribute("data-entry")));
      expect(entries).toEqual([
        "step",
        "step",
        "page",
        "answer",
        "answer-seen",
        "click",
        "scroll",
        "conversion",
      ]);
      const shown = await page
        .locator('[data-entry="answer"] [data-sources] li')
        .evaluateAll((items) =>
          items.map((li) => [
            Number(li.getAttribute("data-rank")),
            li.getAttribute("data-url"),
            li.getAttribute("data-clicks"),
          ]),
        );
      const clicked = answer.sources[1] ?? answer.sources[0];
      expect(shown).toEqual(
        [...answer.sources]
          .sort((a, b) => a.rank - b.rank)
          .map((s) => [s.rank, s.url, s.url === clicked?.url ? "1" : "0"]),
      );
      expect(await page.locator('[data-entry="click"] [data-away]').textContent()).toBe("4.0 s");
      // The answer as the participant saw it: its Markdown rendered, but no link to follow (nor to log a click).
      const displayed = page.locator('[data-entry="answer"] [data-displayed]');
      expect(answer.displayedResponse).toMatch(/\S/);
      expect(await displayed.locator("p").count()).toBeGreaterThan(0);
      if (answer.displayedResponse.includes("**"))
        expect(await displayed.locator("strong").count()).toBeGreaterThan(0);
      if (/^- /m.test(answer.displayedResponse))
        expect(await displayed.locator("li").count()).toBeGreaterThan(0);
      expect(await displayed.locator("a").count()).toBe(0);
      expect(await displayed.textContent()).not.toContain("**");
      await expectAccessible(page, javaScript, "timeline");
      expect((await pageShape(page)).overflowX).toBe(0);
      if (javaScript) {
        mkdirSync("/tmp/screens", { recursive: true });
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          expect((await pageShape(page)).overflowX, `${width} px`).toBe(0);
          await page.screenshot({ path: `/tmp/screens/timeline-${width}.png`, fullPage: true });
        }
      }

      await page.getByRole("button", { name: "Withdraw this participant…" }).click();
      await page.getByRole("button", { name: "Yes, withdraw and delete their records" }).waitFor();
      await expectAccessible(page, javaScript, "timeline asking to withdraw");
      await page.getByRole("button", { name: "Yes, withdraw and delete their records" }).click();
      await page.locator("[data-withdrawn]").waitFor();
      expect(await page.locator("[data-withdrawn]").textContent()).toContain("1 answers and 8 events");
      await expectAccessible(page, javaScript, "timeline after withdrawing");
      at(p.condition).consented--;
      at(p.condition).withdrawn++;
      at(p.condition).answers--;
      totals.consented--;
      totals.shown--;
      const again = await page.goto(`/research/s/${STUDY.id}/p/${p.userId}`);
      expect(again?.status()).toBe(404);
      await page.locator("[data-not-found]").waitFor();

      await page.goto(`/research/s/${STUDY.id}`);
      await expectMonitorCounts(page);
      expect(await page.locator(`tr[data-user="${p.userId}"]`).count()).toBe(0);
    });
  }
});
