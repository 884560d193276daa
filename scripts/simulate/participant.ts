/**
 * One simulated participant, recorded as the site's pages and tracker record
 * a real one (docs/tracking.md): the consent page's STUDY_STEP, consent
 * (enroll, where the server stamps consent_given), the task and chat steps,
 * a page view of the chat, 1 to 3 questions with each answer in view, a
 * click on a shown source or not, the exposure summary of each answer's
 * sources, scrolling, a conversion or not, and finishing (the server stamps
 * completed) or leaving. Its panel participant id starts with `sim-`.
 */
import { randomUUID } from "node:crypto";
import type { Client } from "./client";
import type { Random } from "./random";

/** The questions a simulated participant asks (the demo study's scripted answers match "coffee"). */
export const QUESTIONS = [
  "How much coffee a day is healthy?",
  "Is coffee bad for sleep?",
  "How much caffeine is in an espresso?",
  "Is decaf healthier than regular coffee?",
  "Can I drink coffee when pregnant?",
] as const;

/** The prefix of every simulated participant's panel participant id (PROLIFIC_PID), and of its panel session id. */
export const SIMULATED_PREFIX = "sim-";
/** The Prolific STUDY_ID every simulated participant carries. */
export const SIMULATED_STUDY_ID = "simulated";

export type Outcome = {
  panelParticipantId: string;
  userId: string;
  consented: boolean;
  /** The condition's id when a researcher token was given, else null (participants are blind to it). */
  condition: string | null;
  showSources: boolean;
  questions: string[];
  clicks: number;
  scrollDepth: number | null;
  conversions: string[];
  finished: boolean;
};

type Source = { rank: number; originalRank: number | null; url: string };

/** The sources of one answer's list whose exposure a plan fixes (a longer list's later ones are not seen). */
const PLANNED_SOURCES = 8;

/**
 * What one participant will do, drawn before anything is sent: the same seed
 * and position give the same plan whatever condition the deployment assigns.
 */
export type Plan = {
  declines: boolean;
  questions: { text: string; clicks: boolean; clickAt: number; visibleMs: number[] }[];
  scrollDepth: number | null;
  converts: boolean;
  finishes: boolean;
};

export function plan(random: Random): Plan {
  const declines = random.chance(0.15);
  // Different questions: each drawn from those not asked yet.
  const left: string[] = [...QUESTIONS];
  const questions = Array.from({ length: random.int(1, 3) }, () => ({
    text: left.splice(random.int(0, left.length - 1), 1)[0] ?? QUESTIONS[0],
    // About half click a shown source (the list is empty when the condition hides it).
    clicks: random.chance(0.5),
    clickAt: random.next(),
    // The first source is always seen; each later one by about half.
    visibleMs: Array.from({ length: PLANNED_SOURCES }, (_, i) =>
      i === 0 || random.chance(0.5) ? random.int(300, 4000) : 0,
    ),
  }));
  const scrolls = random.chance(0.7);
  const depth = random.int(30, 100) / 100;
  return {
    declines,
    questions,
    scrollDepth: scrolls ? depth : null,
    converts: random.chance(0.3),
    finishes: random.chance(0.85),
  };
}
type Session = { token: string; userId: string; sessionId: string };

export async function simulateParticipant(
  api: Client,
  options: { url: URL; studyId: string; researcherToken: string | null; run: string; index: number },
  does: Plan,
): Promise<Outcome> {
  const { studyId } = options;
  const panelParticipantId = `${SIMULATED_PREFIX}${options.run}-${options.index + 1}`;
  const panelSessionId = `${SIMULATED_PREFIX}session-${options.run}-${options.index + 1}`;
  const { startSession: session } = await api.graphql<{ startSession: Session }>(
    "mutation($i: StartSessionInput) { startSession(input: $i) { token userId sessionId } }",
    {
      i: {
        studyId,
        panelParticipantId,
        prolificStudyId: SIMULATED_STUDY_ID,
        panelSessionId,
      },
    },
  );
  const as = { "x-participant-token": session.token };
  const studyUrl = new URL(`/s/${encodeURIComponent(studyId)}`, options.url).toString();
  // The study link a panel sends its participants to, with the panel's ids.
  const link = `?${new URLSearchParams({ PROLIFIC_PID: panelParticipantId, STUDY_ID: SIMULATED_STUDY_ID, SESSION_ID: panelSessionId })}`;
  const log = (events: Record<string, unknown>[]) =>
    api.graphql(
      "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
      {
        e: events.map((e) => ({
          eventId: randomUUID(),
          userId: session.userId,
          sessionId: session.sessionId,
          studyId,
          clientTime: new Date().toISOString(),
          ...e,
        })),
      },
      as,
    );
  const step = (name: string, page: string) =>
    log([{ eventType: "STUDY_STEP", pageUrl: `${studyUrl}${page}`, extraData: { step: name } }]);
  const outcome: Outcome = {
    panelParticipantId,
    userId: session.userId,
    consented: false,
    condition: null,
    showSources: false,
    questions: [],
    clicks: 0,
    scrollDepth: null,
    conversions: [],
    finished: false,
  };

  await step("consent_shown", link);
  if (does.declines) {
    await step("consent_declined", link);
    return outcome;
  }
  const { enroll } = await api.graphql<{ enroll: { showSources: boolean; maxTurns: number | null } }>(
    "mutation($i: StudyParticipantInput!) { enroll(input: $i) { showSources maxTurns } }",
    { i: { studyId } },
    as,
  );
  outcome.consented = true;
  outcome.showSources = enroll.showSources;
  if (options.researcherToken) {
    const { assignment } = await api.graphql<{ assignment: { condition: string | null } | null }>(
      "query($s: ID!, $u: ID) { assignment(studyId: $s, userId: $u) { condition } }",
      { s: studyId, u: session.userId },
      { authorization: `Bearer ${options.researcherToken}` },
    );
    outcome.condition = assignment?.condition ?? null;
  }
  await step("task_shown", "/task");
  await step("chat_shown", "/chat");

  // One page view of the chat: its events share pageViewId, ordered by seq.
  const pageViewId = randomUUID();
  let seq = 0;
  const inView = (extra: Record<string, unknown>) => ({ pageViewId, seq: seq++, ...extra });
  await log([
    {
      eventId: pageViewId,
      eventType: "BROWSE",
      pageUrl: `${studyUrl}/chat`,
      extraData: inView({ kind: "page", pageType: "chat" }),
    },
  ]);
  let latest: string | null = null;
  for (const planned of does.questions.slice(0, enroll.maxTurns ?? undefined)) {
    const question = planned.text;
    const { query: answer } = await api.graphql<{ query: { id: string; sources: Source[] } }>(
      "mutation($i: QueryInput!) { query(input: $i) { id sources { rank originalRank url } } }",
      {
        i: {
          userId: session.userId,
          sessionId: session.sessionId,
          studyId,
          query: question,
          clientTime: new Date().toISOString(),
        },
      },
      as,
    );
    outcome.questions.push(question);
    latest = answer.id;
    await log([{ eventType: "BROWSE", queryId: answer.id, extraData: inView({ kind: "answer" }) }]);
    const clicked = planned.clicks
      ? (answer.sources[Math.floor(planned.clickAt * answer.sources.length)] ?? null)
      : null;
    if (clicked) {
      await log([
        {
          eventType: "CLICK",
          queryId: answer.id,
          targetUrl: clicked.url,
          extraData: inView({
            element: "source-list",
            rank: clicked.rank,
            originalRank: clicked.originalRank,
          }),
        },
      ]);
      outcome.clicks++;
    }
    if (answer.sources.length > 0) {
      // The exposure summary the tracker sends when the answer leaves view: the first sources seen longest.
      await log([
        {
          eventType: "BROWSE",
          queryId: answer.id,
          extraData: inView({
            kind: "exposure",
            sources: answer.sources.map((source, i) => ({
              url: source.url,
              rank: source.rank,
              originalRank: source.originalRank,
              visibleMs: planned.visibleMs[i] ?? 0,
              hovers: 0,
              hoverMs: 0,
              clicks: source === clicked ? 1 : 0,
              awayMs: 0,
            })),
          }),
        },
      ]);
    }
  }
  const depth = does.scrollDepth;
  if (depth !== null) {
    await log(
      [depth / 2, depth].map((scrollDepth) => ({
        eventType: "SCROLL",
        queryId: latest,
        extraData: inView({ scrollDepth }),
      })),
    );
    outcome.scrollDepth = depth;
  }
  if (does.converts) {
    await log([{ eventType: "CONVERSION", extraData: inView({ label: "read-more" }) }]);
    outcome.conversions.push("read-more");
  }
  if (does.finishes) {
    await api.graphql(
      "mutation($i: StudyParticipantInput!) { finishStudy(input: $i) { code } }",
      { i: { studyId } },
      as,
    );
    outcome.finished = true;
  }
  return outcome;
}
