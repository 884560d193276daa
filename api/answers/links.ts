import { fromMarkdown } from "mdast-util-from-markdown";
import type { QueryRecord } from "../store/store";
import { displayOf } from "./presentation";

type MdNode = { type: string; url?: string; children?: MdNode[] };

function collect(node: MdNode, urls: Set<string>): void {
  if ((node.type === "link" || node.type === "definition") && node.url) urls.add(node.url);
  for (const child of node.children ?? []) collect(child, urls);
}

/** The URLs that an answer's Markdown links to, as the site renders them (same parser). */
export function markdownLinks(markdown: string): Set<string> {
  const urls = new Set<string>();
  collect(fromMarkdown(markdown) as MdNode, urls);
  return urls;
}

function isHttp(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Where a click on this stored answer may lead: what its page shows as a
 * link (its sources, when the condition shows them; its text's Markdown
 * links, when the condition keeps them as links), over http(s) only, and
 * never a URL that the participant typed in the message (a model asked to
 * "repeat exactly" would otherwise turn the click route into an open
 * redirect for whatever a stranger wrote).
 */
export function clickTargets(record: QueryRecord): Set<string> {
  const display = displayOf(record);
  const text = record.displayedResponse;
  const candidates = [
    ...(display.sourcesShown ? record.sources.map((s) => s.url) : []),
    ...(text === null || display.answerLinks === "text" ? [] : markdownLinks(text)),
  ];
  return new Set(candidates.filter((url) => isHttp(url) && !record.query.includes(url)));
}
