import { fromMarkdown } from "mdast-util-from-markdown";
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

/** queryId null: the researcher's own text (consent, task), whose links are plain links. */
type RenderContext = {
  queryId: string | null;
  sourceUrls: string[];
  /** The answer's links that may be opened, with their signatures for the click route. */
  signatures: ReadonlyMap<string, string>;
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

function link(ctx: RenderContext, url: string, inner: string, className?: string): string {
  const cls = className ? ` class="${className}"` : "";
  if (ctx.queryId === null)
    return `<a${cls} href="${escapeHtml(url)}" target="_blank" rel="noopener">${inner}</a>`;
  const signature = ctx.signatures.get(url);
  if (!signature) return inner;
  return `<a${cls} href="${escapeHtml(outHref(ctx.queryId, url, signature))}" data-out="${escapeHtml(url)}" target="_blank" rel="noopener" referrerpolicy="same-origin">${inner}</a>`;
}

function text(ctx: RenderContext, value: string): string {
  // [n] cites the n-th source.
  return value
    .split(/(\[\d{1,3}\])/)
    .map((part) => {
      const n = /^\[(\d{1,3})\]$/.exec(part)?.[1];
      const url = n ? ctx.sourceUrls[Number(n) - 1] : undefined;
      return url ? link(ctx, url, escapeHtml(part), "cite") : escapeHtml(part);
    })
    .join("");
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
      return node.url && isHttp(node.url) ? link(ctx, node.url, children(ctx, node)) : children(ctx, node);
    case "linkReference": {
      const url = ctx.definitions.get(node.identifier ?? "");
      return url && isHttp(url) ? link(ctx, url, children(ctx, node)) : children(ctx, node);
    }
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

export function renderAnswer(
  markdown: string,
  queryId: string,
  sourceUrls: string[],
  signatures: ReadonlyMap<string, string>,
): string {
  // The chat's outline: h1 the chat's title, h2 its sections (the conversation, each answer's sources).
  return renderMarkdown(markdown, 3, { queryId, sourceUrls, signatures });
}

/**
 * A study's own text (consent, task, closing message): the same safe subset,
 * links opened directly. Its headings start at h2, under the page's h1 (the
 * study's title, or the step's own heading).
 */
export function renderStudyText(markdown: string): string {
  return renderMarkdown(markdown, 2, { queryId: null, sourceUrls: [], signatures: new Map() });
}
