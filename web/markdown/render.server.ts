import { fromMarkdown } from "mdast-util-from-markdown";
import type { ClickElement } from "../../api/domain/records";
import { outHref } from "../participant/out-href";

/**
 * Answers are Markdown from a model: rendered on the server to a small, fixed
 * set of HTML elements, with every piece of text escaped. Raw HTML in the
 * answer is shown as text, images as their alt text, and a link is kept only
 * for http(s) URLs that the API signed for this answer (AnswerLink: never a
 * URL the participant typed), through the click route (/out); any other
 * link is shown as its text. Citation markers like [2] become links to the
 * answer's second source.
 */

type Node = {
  type: string;
  value?: string;
  url?: string;
  alt?: string;
  depth?: number;
  ordered?: boolean;
  start?: number | null;
  identifier?: string;
  children?: Node[];
};

/** A source of the answer as shown: its rank in the list shown and the model's rank (null: injected). */
export type RenderedSource = { url: string; rank: number; originalRank: number | null };

/** How an answer is rendered, as its condition decided when it was stored (QueryRecord.display). */
export type AnswerRenderOptions = {
  /** The sources as shown (none when the condition hides them): marker [n] cites the n-th. */
  sources: RenderedSource[];
  /** Markers as links to their source ("linked") or as plain text; the API already removed any that should go. */
  markers: "linked" | "text" | "removed";
  /** Links the model wrote: clickable, or their text only. */
  answerLinks: "links" | "text";
  /** The answer's links that may be opened, with their signatures for the click route. */
  signatures: ReadonlyMap<string, string>;
};

/** queryId null: the researcher's own text (consent, task), whose links are plain links. */
type RenderContext = AnswerRenderOptions & {
  queryId: string | null;
  definitions: Map<string, string>;
  headings: HeadingLevels;
};

/**
 * Where the text's headings sit in the page's outline: its shallowest heading
 * level becomes h`top` (right under the page's own headings), the others
 * keep their distance to it, and none is more than one level below the one
 * before it, so the outline has no gaps (screen readers list the headings by
 * level; axe's heading-order rule).
 */
type HeadingLevels = { offset: number; top: number; last: number };

function headingLevels(tree: Node, top: number): HeadingLevels {
  const depths: number[] = [];
  const collect = (node: Node) => {
    if (node.type === "heading") depths.push(node.depth ?? 1);
    for (const child of node.children ?? []) collect(child);
  };
  collect(tree);
  return { offset: top - Math.min(6, ...depths), top, last: top - 1 };
}

function headingLevel(levels: HeadingLevels, depth: number): number {
  levels.last = Math.max(levels.top, Math.min(6, depth + levels.offset, levels.last + 1));
  return levels.last;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const isHttp = (url: string) => /^https?:\/\//i.test(url);

/**
 * A link of an answer, through the click route, marked for the tracker with
 * the element it is (marker, answer-link) and, for a source shown, its rank
 * shown and the model's rank (web/tracker reads them; /out gets the element).
 */
function link(ctx: RenderContext, url: string, inner: string, element: ClickElement): string {
  if (ctx.queryId === null) return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${inner}</a>`;
  const signature = ctx.signatures.get(url);
  if (!signature) return inner;
  const cls = element === "marker" ? ` class="cite"` : "";
  const source = ctx.sources.find((s) => s.url === url);
  const ranks = source
    ? ` data-rank="${source.rank}"${source.originalRank === null ? "" : ` data-original-rank="${source.originalRank}"`}`
    : "";
  const href = outHref(ctx.queryId, url, signature, element);
  return `<a${cls} href="${escapeHtml(href)}" data-out="${escapeHtml(url)}" data-element="${element}"${ranks} target="_blank" rel="noopener" referrerpolicy="same-origin">${inner}</a>`;
}

function text(ctx: RenderContext, value: string): string {
  if (ctx.markers !== "linked") return escapeHtml(value);
  // [n] cites the n-th source shown.
  return value
    .split(/(\[\d{1,3}\])/)
    .map((part) => {
      const n = /^\[(\d{1,3})\]$/.exec(part)?.[1];
      const url = n ? ctx.sources[Number(n) - 1]?.url : undefined;
      return url ? link(ctx, url, escapeHtml(part), "marker") : escapeHtml(part);
    })
    .join("");
}

/** A link the model wrote into its text: through the click route, or its text only when the condition says so. */
function answerLink(ctx: RenderContext, url: string | undefined, inner: string): string {
  if (!url || !isHttp(url) || (ctx.queryId !== null && ctx.answerLinks === "text")) return inner;
  return link(ctx, url, inner, "answer-link");
}

function children(ctx: RenderContext, node: Node): string {
  return (node.children ?? []).map((child) => render(ctx, child)).join("");
}

function render(ctx: RenderContext, node: Node): string {
  switch (node.type) {
    case "root":
      return children(ctx, node);
    case "paragraph":
      return `<p>${children(ctx, node)}</p>`;
    case "heading": {
      const level = headingLevel(ctx.headings, node.depth ?? 1);
      return `<h${level}>${children(ctx, node)}</h${level}>`;
    }
    case "blockquote":
      return `<blockquote>${children(ctx, node)}</blockquote>`;
    case "list": {
      if (!node.ordered) return `<ul>${children(ctx, node)}</ul>`;
      const start = node.start && node.start !== 1 ? ` start="${Number(node.start)}"` : "";
      return `<ol${start}>${children(ctx, node)}</ol>`;
    }
    case "listItem":
      return `<li>${children(ctx, node)}</li>`;
    case "thematicBreak":
      return "<hr>";
    case "break":
      return "<br>";
    case "emphasis":
      return `<em>${children(ctx, node)}</em>`;
    case "strong":
      return `<strong>${children(ctx, node)}</strong>`;
    case "inlineCode":
      return `<code>${escapeHtml(node.value ?? "")}</code>`;
    case "code":
      return `<pre><code>${escapeHtml(node.value ?? "")}</code></pre>`;
    case "link":
      return answerLink(ctx, node.url, children(ctx, node));
    case "linkReference":
      return answerLink(ctx, ctx.definitions.get(node.identifier ?? ""), children(ctx, node));
    case "image":
    case "imageReference":
      return escapeHtml(node.alt ?? "");
    case "text":
      return text(ctx, node.value ?? "");
    case "definition":
      return "";
    default:
      // html and anything unexpected: shown as text, never interpreted
      return node.value !== undefined ? escapeHtml(node.value) : children(ctx, node);
  }
}

function collectDefinitions(node: Node, into: Map<string, string>): void {
  if (node.type === "definition" && node.identifier && node.url) into.set(node.identifier, node.url);
  for (const child of node.children ?? []) collectDefinitions(child, into);
}

function renderMarkdown(
  markdown: string,
  topHeading: number,
  ctx: Omit<RenderContext, "definitions" | "headings">,
): string {
  const tree = fromMarkdown(markdown) as Node;
  const definitions = new Map<string, string>();
  collectDefinitions(tree, definitions);
  return render({ ...ctx, definitions, headings: headingLevels(tree, topHeading) }, tree);
}

export function renderAnswer(markdown: string, queryId: string, options: AnswerRenderOptions): string {
  // The chat's outline: h1 the chat's title, h2 its sections (the conversation, each answer's sources).
  return renderMarkdown(markdown, 3, { ...options, queryId });
}

/**
 * A study's own text (consent, task, closing message): the same safe subset,
 * links opened directly. Its headings start at h2, under the page's h1 (the
 * study's title, or the step's own heading).
 */
export function renderStudyText(markdown: string): string {
  return renderMarkdown(markdown, 2, {
    queryId: null,
    sources: [],
    markers: "text",
    answerLinks: "links",
    signatures: new Map(),
  });
}

/**
 * A study message in the chat (an attention check): the study's own text,
 * its headings from h4, under the message's own h3 label.
 */
export function renderStudyMessage(markdown: string): string {
  return renderMarkdown(markdown, 4, {
    queryId: null,
    sources: [],
    markers: "text",
    answerLinks: "links",
    signatures: new Map(),
  });
}
