/**
 * What a record is, in one place for the API's ports (store, LLM), its
 * schema and the site: the kinds of records, the event types, a source.
 * A new event type is one edit here plus a migration of the D1 CHECK
 * constraint (docs/extending.md).
 */

/** The event types a browser sends: the tracker, the tracker's endpoint /t. */
export const BROWSER_EVENT_TYPES = ["BROWSE", "CLICK", "SCROLL", "CONVERSION"] as const;
export type BrowserEventType = (typeof BROWSER_EVENT_TYPES)[number];

/** What a page of the site is, on its root element's `data-page-type`; page views carry it (docs/tracking.md). */
export const PAGE_TYPES = ["consent", "task", "chat", "finish", "withdraw", "declined", "open-chat"] as const;
export type PageType = (typeof PAGE_TYPES)[number];

/**
 * Event types only the server records: a participant's logEvents refuses
 * them (api/events/record.ts), so a participant cannot forge, say, a passed
 * attention check.
 */
export const SERVER_ONLY_EVENT_TYPES = ["ATTENTION_CHECK"] as const;

/** Every event type: the browser's, the study steps the server records itself, and the server-only ones. */
export const EVENT_TYPES = [...BROWSER_EVENT_TYPES, "STUDY_STEP", ...SERVER_ONLY_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const RECORD_KINDS = ["QUERY", "EVENT"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Which link of an answer was clicked, on the link's `data-element`: a citation marker, the source list, a link in the text. */
export const CLICK_ELEMENTS = ["marker", "source-list", "answer-link"] as const;
export type ClickElement = (typeof CLICK_ELEMENTS)[number];

/** A source an answer cites, ranked as the model gave it (1 first). */
export type Source = { rank: number; title: string; url: string; content: string | null };

/**
 * A source as the participant's condition presents it (api/answers/presentation.ts):
 * `rank` is its position in the list shown (1 first), `originalRank` its rank
 * as the model gave it (null for a source the study injected).
 */
export type ShownSource = Source & { originalRank: number | null; injected: boolean };

/** What produced an answer, as sent to the provider: kept on every answer record. */
export type LlmProvenance = {
  /** openai (any OpenAI-compatible API) or scripted. */
  provider: string;
  /** The host of the OpenAI-compatible API (api.openai.com, openrouter.ai, ...); null for scripted answers. */
  endpoint: string | null;
  /** The model asked for (the record's `model` is the one the provider says answered). */
  requestedModel: string;
  /** SHA-256 (hex) of the system prompt sent; null when none was sent. The prompt is in the study file. */
  systemPromptHash: string | null;
  /** The generation parameters sent with each call (temperature; tokenDelayMs for scripted answers); null: not sent. */
  parameters: Record<string, number | null>;
};

/** How an answer was presented: the condition's settings as applied to it. */
export type AnswerPresentation = {
  /** Whether the participant saw the source list. */
  sourcesShown: boolean;
  /** model, reversed, random, fixed or latin-square (api/studies/definition.ts SOURCE_ORDERS). */
  order: string;
  /** For fixed: the permutation; for latin-square: the rotation (the arrival number mod the sources' count). */
  permutation: number[] | null;
  rotation: number | null;
  limit: number | null;
  /** The injected source's position and URL, if the condition injects one. */
  inject: { position: number; url: string } | null;
  /** numbered (markers in the text) or list-only. */
  citations: string;
  /** What happened to the markers in the text: linked (to the source shown), text (kept, not linked) or removed. */
  markers: "linked" | "text" | "removed";
  /** Links the model wrote into the text: links or text. */
  answerLinks: "links" | "text";
};

/** Everything that says what produced an answer and how it was shown. */
export type Provenance = LlmProvenance &
  AnswerPresentation & {
    /** SHA-256 (hex) of the study file as deployed (api/studies/definition-hash.ts); null outside a study. */
    studyHash: string | null;
  };

/**
 * The tokens the provider reported for one answer, as OpenAI's `usage`
 * object gives them (prompt_tokens, completion_tokens, total_tokens). A
 * field is null when the provider left it out; never estimated.
 */
export type TokenUsage = {
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
};

/** How a component (store, LLM) answers `status`. */
export type ComponentHealth = { ok: boolean; latencyMs: number | null; detail: string | null };
