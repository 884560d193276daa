import type { InputSignals } from "../../api/signals/input-signals";
import { placeOf, visitOrder } from "./visit-order";

/**
 * One participant's visit as entries for their timeline: their records in
 * visit order (./visit-order.ts), each with the time since the entry before
 * it; answers with their sources as shown and which were clicked; clicks
 * with the time since their answer arrived (its clientTime plus its
 * latency) and the time away (awayMs of the latest exposure summary of
 * that page view and answer: docs/tracking.md, "Exposure"). Exposure
 * summaries are read for that, not listed.
 */
export type AnswerRecord = {
  kind: "answer";
  id: string;
  clientTime: string | null;
  receivedAt: string;
  query: string;
  displayedResponse: string | null;
  latencyMs: number | null;
  stopped: boolean;
  error: string | null;
  model: string;
  sources: { rank: number; originalRank: number | null; injected: boolean; title: string; url: string }[];
  provenance: { provider: string; systemPromptHash: string | null; studyHash: string | null } | null;
  /** How the question was written (docs/tracking.md#input-signals); null: not recorded. */
  inputSignals: MessageSignals | null;
};

/** A message's input signals as the API gives researchers them: what was recorded, its speed and flags. */
export type MessageSignals = InputSignals & { charsPerSecond: number | null; flags: string[] };

export type EventRecord = {
  kind: "event";
  id: string;
  clientTime: string | null;
  receivedAt: string;
  eventType: string;
  queryId: string | null;
  targetUrl: string | null;
  extraData: unknown;
};

type Extra = {
  kind?: string;
  pageType?: string | null;
  step?: string;
  scrollDepth?: number;
  label?: string;
  element?: string | null;
  rank?: number | null;
  originalRank?: number | null;
  pageViewId?: string;
  seq?: number;
  sources?: { url: string; rank: number; awayMs?: number }[];
  // ATTENTION_CHECK (api/attention/reply.ts)
  checkId?: string;
  reply?: string;
  passed?: boolean;
  failures?: number;
  ended?: boolean;
};

const extra = (e: EventRecord) => (e.extraData ?? {}) as Extra;

type Timed = { time: string; sincePreviousMs: number | null };

export type TimelineEntry = Timed & EntryBody;

type EntryBody =
  | { type: "step"; step: string }
  | { type: "page"; pageType: string | null }
  | { type: "answer-seen"; queryId: string | null }
  | {
      type: "answer";
      answer: AnswerRecord;
      /** The answer as shown, rendered from its Markdown as safe HTML (null: show the text). */
      html: string | null;
      sources: (AnswerRecord["sources"][number] & { clicks: number })[];
    }
  | {
      type: "click";
      targetUrl: string | null;
      element: string | null;
      rank: number | null;
      originalRank: number | null;
      sinceAnswerMs: number | null;
      awayMs: number | null;
    }
  | { type: "scroll"; depth: number | null }
  | { type: "conversion"; label: string | null }
  | {
      type: "attention";
      checkId: string | null;
      reply: string | null;
      passed: boolean | null;
      /** The participant's failed checks so far, this one included. */
      failures: number | null;
      /** Whether this reply ended the participation (the study's attentionPolicy). */
      ended: boolean;
    }
  | { type: "other"; eventType: string };

type VisitRecord = AnswerRecord | EventRecord;

const timeOf = (r: VisitRecord) => r.clientTime ?? r.receivedAt;
const pairKey = (...parts: (string | number | null | undefined)[]) => JSON.stringify(parts);

/** Renders an answer's displayed Markdown as safe HTML (on the server: ./answer-html.server.ts). */
export type AnswerHtml = (answer: AnswerRecord) => string | null;

export function timeline(
  records: readonly VisitRecord[],
  answerHtml: AnswerHtml = () => null,
): TimelineEntry[] {
  const ordered = visitOrder(records, (r) =>
    placeOf({ ...r, extraData: r.kind === "event" ? r.extraData : null }),
  );
  const events = ordered.filter((r): r is EventRecord => r.kind === "event");
  const answers = new Map(
    ordered.filter((r): r is AnswerRecord => r.kind === "answer").map((a) => [a.id, a] as const),
  );
  const clicks = new Map<string, number>();
  /** The latest exposure summary (highest seq) per page view and answer. */
  const exposure = new Map<string, { seq: number; sources: NonNullable<Extra["sources"]> }>();
  for (const e of events) {
    const x = extra(e);
    if (e.eventType === "CLICK" && e.queryId && e.targetUrl) {
      const key = pairKey(e.queryId, e.targetUrl);
      clicks.set(key, (clicks.get(key) ?? 0) + 1);
    }
    if (e.eventType === "BROWSE" && x.kind === "exposure" && e.queryId && x.pageViewId) {
      const key = pairKey(x.pageViewId, e.queryId);
      const seq = x.seq ?? 0;
      if ((exposure.get(key)?.seq ?? -1) <= seq) exposure.set(key, { seq, sources: x.sources ?? [] });
    }
  }
  const arrivedAt = (a: AnswerRecord) =>
    a.clientTime ? Date.parse(a.clientTime) + (a.latencyMs ?? 0) : Date.parse(a.receivedAt);

  const entries: TimelineEntry[] = [];
  let previous: number | null = null;
  for (const r of ordered) {
    const body = entryOf(r);
    if (!body) continue;
    const time = timeOf(r);
    const at = Date.parse(time);
    entries.push({
      ...body,
      time,
      sincePreviousMs: previous === null ? null : at - previous,
    } as TimelineEntry);
    previous = at;
  }
  return entries;

  function entryOf(r: VisitRecord): EntryBody | null {
    if (r.kind === "answer") {
      return {
        type: "answer",
        answer: r,
        html: answerHtml(r),
        sources: r.sources.map((s) => ({ ...s, clicks: clicks.get(pairKey(r.id, s.url)) ?? 0 })),
      };
    }
    const x = extra(r);
    switch (r.eventType) {
      case "STUDY_STEP":
        return { type: "step", step: x.step ?? "?" };
      case "BROWSE":
        if (x.kind === "exposure") return null;
        if (x.kind === "answer") return { type: "answer-seen", queryId: r.queryId };
        return { type: "page", pageType: x.pageType ?? null };
      case "CLICK": {
        const answer = r.queryId ? answers.get(r.queryId) : undefined;
        const summary =
          x.pageViewId && r.queryId ? exposure.get(pairKey(x.pageViewId, r.queryId)) : undefined;
        const source = summary?.sources.find(
          (s) => s.url === r.targetUrl && (x.rank == null || s.rank === x.rank),
        );
        return {
          type: "click",
          targetUrl: r.targetUrl,
          element: x.element ?? null,
          rank: x.rank ?? null,
          originalRank: x.originalRank ?? null,
          sinceAnswerMs: answer ? Date.parse(timeOf(r)) - arrivedAt(answer) : null,
          awayMs: source?.awayMs ?? null,
        };
      }
      case "SCROLL":
        return { type: "scroll", depth: x.scrollDepth ?? null };
      case "CONVERSION":
        return { type: "conversion", label: x.label ?? null };
      case "ATTENTION_CHECK":
        return {
          type: "attention",
          checkId: x.checkId ?? null,
          reply: x.reply ?? null,
          passed: x.passed ?? null,
          failures: x.failures ?? null,
          ended: x.ended === true,
        };
      default:
        return { type: "other", eventType: r.eventType };
    }
  }
}

/** A duration for people: 850 ms, 12.3 s, 4 min 5 s, 2 h 3 min. */
export function duration(ms: number): string {
  const sign = ms < 0 ? "−" : "";
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(1)} s`;
  if (a < 3_600_000) return `${sign}${Math.floor(a / 60_000)} min ${Math.floor((a % 60_000) / 1000)} s`;
  return `${sign}${Math.floor(a / 3_600_000)} h ${Math.round((a % 3_600_000) / 60_000)} min`;
}
