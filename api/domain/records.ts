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

/** Which link of an answer was clicked, on the link's `data-element`: a citation marker, the source list, a link in the text. */
export const LINK_ELEMENTS = ["marker", "source-list", "answer-link"] as const;
export type LinkElement = (typeof LINK_ELEMENTS)[number];

/** Every event type: the browser's, and the study steps the server records itself. */
export const EVENT_TYPES = [...BROWSER_EVENT_TYPES, "STUDY_STEP"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const RECORD_KINDS = ["QUERY", "EVENT"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A source an answer cites, ranked as the model gave it (1 first). */
export type Source = { rank: number; title: string; url: string; content: string | null };

/** How a component (store, LLM) answers `status`. */
export type ComponentHealth = { ok: boolean; latencyMs: number | null; detail: string | null };
